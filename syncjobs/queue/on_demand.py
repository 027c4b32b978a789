"""Syncs that something outside asks for (a Shopify webhook): started at once, unless one is pending.

Business Central schedules report 30104 on an orders/create notification unless a Ready entry for
the shop is already there. Here Waiting counts too, and a recurring entry counts only when its
next run is due within PENDING_WITHIN; so while an import runs, any number of notifications add at
most one entry, which waits for the running one and then reads everything they announced.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from syncjobs.queue.categories import default_category_for
from syncjobs.queue.dispatch import RUNNABLE, enqueue
from syncjobs.queue.locks import lock_categories, retrying
from syncjobs.queue.models import EntryStatus, JobQueueEntry
from syncjobs.queue.registry import get_report

PENDING_WITHIN = timedelta(minutes=1)
ON_DEMAND_ATTEMPTS = 3
ON_DEMAND_RERUN_DELAY = 60   # seconds


@dataclass(frozen=True)
class OnDemandOutcome:
    entry: JobQueueEntry
    created: bool      # False: `entry` is the one already pending


def pending_entries(*, merchant, report_number: int, now: datetime):
    """Unfiltered entries of the report that will run soon anyway (filtered ones may skip new data)."""
    due_soon = Q(earliest_start_at__isnull=True) | Q(earliest_start_at__lte=now + PENDING_WITHIN)
    return JobQueueEntry.objects.filter(
        Q(status=EntryStatus.WAITING) | (RUNNABLE & due_soon),
        merchant=merchant, report_number=report_number, parameters={},
    )


@retrying
def start_unless_pending(*, merchant, report_number: int, reason: str) -> OnDemandOutcome:
    """A one-off unfiltered entry started at once, unless one of the report's entries is pending.

    The merchant's category row is locked first (as every claim does), so concurrent callers decide
    one after the other and never both create an entry. Call inside the caller's transaction to
    make the decision part of it; the entry is handed to a worker when that commits.
    """
    report = get_report(report_number)
    now = timezone.now()
    with transaction.atomic():
        category = default_category_for(merchant)
        lock_categories([category.pk])
        pending = pending_entries(merchant=merchant, report_number=report_number, now=now).order_by("pk").first()
        if pending is not None:
            return OnDemandOutcome(pending, created=False)
        entry = JobQueueEntry.objects.create(
            merchant=merchant, report_number=report_number, parameters={}, category=category,
            description=f"{report.name} ({reason})", maximum_attempts=ON_DEMAND_ATTEMPTS,
            rerun_delay_seconds=ON_DEMAND_RERUN_DELAY, earliest_start_at=now, enqueued_for=now,
        )
        enqueue(entry.pk, now)
    return OnDemandOutcome(entry, created=True)
