"""Handing due entries to django-q2 (J3): each slot of an entry is handed over at most once.

`dispatch_due_entries` is the django-q2 schedule that runs every minute. Entries of a disabled shop
wait, due, until the shop is enabled again. It locks the due rows it
takes (skipping rows another dispatcher holds) and marks each slot as handed over in the same
transaction, so any number of clusters hand a slot over once. The task itself claims the entry
again (syncjobs.queue.claims), so a redelivered or stale task does nothing.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_q.tasks import async_task

from syncjobs.queue.models import WEEKDAY_FIELDS, EntryStatus, JobQueueEntry
from syncjobs.queue.registry import REPORTS

DISPATCH_BATCH = 500
TASK = "syncjobs.queue.execution.run_queued_entry"

RECURRING = Q(minutes_between_runs__isnull=False)
for _name in WEEKDAY_FIELDS:
    RECURRING |= Q(**{_name: True})
RUNNABLE = Q(status=EntryStatus.READY) | (Q(status=EntryStatus.ERROR) & RECURRING)


def enqueue(entry_id: int, slot: datetime) -> None:
    """Give the entry's slot to django-q2 once the current transaction commits."""
    JobQueueEntry.objects.filter(pk=entry_id).update(enqueued_at=timezone.now())
    _send_after_commit(entry_id, slot)


def _send_after_commit(entry_id: int, slot: datetime) -> None:
    # robust: one failed send must not keep the other entries of the transaction from theirs.
    transaction.on_commit(partial(_send, entry_id, slot), robust=True)


def _send(entry_id: int, slot: datetime) -> None:
    report_number = JobQueueEntry.objects.filter(pk=entry_id).values_list("report_number", flat=True).first()
    report = REPORTS.get(report_number)
    options = {"group": "job queue"}
    if report is not None and report.task_timeout:
        # Above the queue's retry, the broker may hand the task out again while it runs; the
        # entry's claim makes that second delivery do nothing.
        options["timeout"] = report.task_timeout
    # Inside a transaction django-q2's ORM broker keeps the connection; in autocommit it closes
    # and reopens it for every task it queues.
    with transaction.atomic():
        async_task(TASK, entry_id, slot.isoformat(), task_name=f"job queue entry {entry_id}", q_options=options)


def dispatch_due_entries(now: datetime | None = None, *, resend_after: timedelta | None = None) -> int:
    """Hand every due entry's slot to django-q2, and again a slot handed over `resend_after` ago whose
    entry is still Ready (its task was lost); returns how many were handed over."""
    now = now or timezone.now()
    resend_after = resend_after or resend_delay()
    with transaction.atomic():
        # Rows another transaction holds are skipped, never waited for: this pass waits for no lock,
        # so it cannot take part in a deadlock. What it skips, the next pass takes.
        expire_entries(now)
        _unlocked(RUNNABLE, earliest_start_at__isnull=True).update(earliest_start_at=now)
        due = list(
            JobQueueEntry.objects.select_for_update(skip_locked=True, no_key=True)
            .filter(RUNNABLE, earliest_start_at__lte=now, merchant__is_enabled=True)
            .filter(Q(enqueued_for__isnull=True) | ~Q(enqueued_for=F("earliest_start_at")))
            .order_by("earliest_start_at", "id")
            .values_list("pk", "earliest_start_at")[:DISPATCH_BATCH]
        )
        lost = list(
            JobQueueEntry.objects.select_for_update(skip_locked=True, no_key=True)
            .filter(status=EntryStatus.READY, earliest_start_at__lte=now, enqueued_for=F("earliest_start_at"),
                    enqueued_at__lt=now - resend_after, merchant__is_enabled=True)
            .order_by("earliest_start_at", "id")
            .values_list("pk", "earliest_start_at")[:DISPATCH_BATCH]
        )
        JobQueueEntry.objects.filter(pk__in=[pk for pk, _ in due]).update(enqueued_for=F("earliest_start_at"))
        JobQueueEntry.objects.filter(pk__in=[pk for pk, _ in due + lost]).update(enqueued_at=now)
        for pk, slot in due + lost:
            _send_after_commit(pk, slot)
    return len(due) + len(lost)


def resend_delay() -> timedelta:
    """How long a handed-over slot may stay unclaimed before it is handed over again
    (QUEUE_RESEND_AFTER_SECONDS). Its task was lost: a broker dropped it, an enqueue failed, or a
    wedged cluster holds it (django-q2 issue 23). A second delivery is harmless, the claim ignores it;
    a long delay is what leaves a shop's sync waiting."""
    return timedelta(seconds=settings.QUEUE_RESEND_AFTER_SECONDS)


def expire_entries(now: datetime) -> int:
    """Entries past their expiration no longer run (Business Central deletes them; we keep the row)."""
    with transaction.atomic():
        return (_unlocked(RUNNABLE, expires_at__lte=now)
                .update(status=EntryStatus.FINISHED, last_error="expired: its expiration date has passed"))


def _unlocked(*conditions, **filters):
    """The matching entries that no other transaction holds, locked now; update them by id."""
    ids = list(JobQueueEntry.objects.select_for_update(skip_locked=True, no_key=True)
               .filter(*conditions, **filters).order_by("pk").values_list("pk", flat=True))
    return JobQueueEntry.objects.filter(pk__in=ids)
