"""What people do with entries: start a sync in the background, and the admin's status actions."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from syncjobs.queue.categories import default_category_for
from syncjobs.queue.dispatch import RECURRING, enqueue
from syncjobs.queue.locks import lock_categories, lock_entries, retrying
from syncjobs.queue.models import WEEKDAY_FIELDS, EntryStatus, JobQueueEntry
from syncjobs.queue.recurrence import NoNextRun, next_run_after
from syncjobs.queue.registry import REPORTS, get_report


@dataclass(frozen=True)
class Started:
    entry: JobQueueEntry
    created: bool      # False: the same sync was already waiting to start, and `entry` is that one


def start_in_background(*, merchant, report_number: int, raw_parameters: dict | None, user) -> Started:
    """A one-off entry in the merchant's category that starts at once (J5): it runs as soon as a
    worker takes it, or waits for the category's running sync to end. Pressed again before it
    started, with the same request page, it is not queued twice: the pending entry is returned."""
    report = get_report(report_number)
    raw = raw_parameters or {}
    report.clean_parameters(raw)
    return _start_once(merchant, report, raw, user)


@retrying
def _start_once(merchant, report, raw: dict, user) -> Started:
    now = timezone.now()
    category = default_category_for(merchant)
    with transaction.atomic():
        lock_categories([category.pk])   # two presses at once decide one after the other
        pending = (JobQueueEntry.objects.filter(
            merchant=merchant, report_number=report.number, parameters=raw, category=category,
            status__in=(EntryStatus.READY, EntryStatus.WAITING), earliest_start_at__lte=now)
            .exclude(RECURRING).order_by("pk").first())
        if pending is not None:
            return Started(pending, created=False)
        entry = JobQueueEntry.objects.create(
            merchant=merchant, report_number=report.number, parameters=raw, category=category,
            description=f"{report.name} (started by hand)", maximum_attempts=1, earliest_start_at=now,
            enqueued_for=now, created_by=user if user and user.pk else None,
        )
        enqueue(entry.pk, now)
    return Started(entry, created=True)


@dataclass(frozen=True)
class ActionOutcome:
    changed: int
    skipped_in_process: int
    started_once: int = 0   # On Hold recurring entries run once through a one-off entry, left On Hold


def set_on_hold(entries) -> ActionOutcome:
    return _change(entries, lambda entry, now: _hold(entry))


def set_ready(entries) -> ActionOutcome:
    """Ready again, at its planned time if that is still ahead, otherwise at once."""
    return _change(entries, lambda entry, now: _ready(entry, now, keep_planned=True))


def run_now(entries, *, user=None) -> ActionOutcome:
    """Start at once, whatever the plan; a recurring entry plans its next run from this one. A
    recurring entry On Hold runs once, through a one-off entry with its report and request page, and
    stays On Hold: Run now never turns a schedule someone paused back on."""
    entries = list(entries)
    held = [e for e in entries if e.is_recurring and e.status == EntryStatus.ON_HOLD]
    for entry in held:
        start_in_background(merchant=entry.merchant, report_number=entry.report_number,
                            raw_parameters=entry.parameters, user=user)
    outcome = _change([e for e in entries if e not in held],
                      lambda entry, now: _ready(entry, now, keep_planned=False))
    return ActionOutcome(outcome.changed, outcome.skipped_in_process, started_once=len(held))


def restart(entries) -> ActionOutcome:
    """Forget the attempts and the last error, then run as Set Ready would."""
    def restart_one(entry, now):
        entry.attempts = 0
        entry.last_error = ""
        _ready(entry, now, keep_planned=True)
    return _change(entries, restart_one)


def _change(entries, change) -> ActionOutcome:
    return _change_locked([entry.pk for entry in entries], change)


@retrying
def _change_locked(ids: list[int], change) -> ActionOutcome:
    now = timezone.now()
    changed = skipped = 0
    with transaction.atomic():
        for entry in lock_entries(ids):
            if entry.status == EntryStatus.IN_PROCESS:
                skipped += 1
                continue
            change(entry, now)
            entry.save()
            changed += 1
    return ActionOutcome(changed=changed, skipped_in_process=skipped)


def delete_entries(entries) -> ActionOutcome:
    """Delete the entries but those running: a running entry holds its category, and deleting it would
    let the category's next entry start beside its run. Rows are locked first, so an entry a worker
    claims meanwhile is either deleted before the claim (which then finds nothing) or left alone."""
    return _delete_locked([entry.pk for entry in entries])


@retrying
def _delete_locked(ids: list[int]) -> ActionOutcome:
    with transaction.atomic():
        locked = lock_entries(ids)
        running = [entry.pk for entry in locked if entry.status == EntryStatus.IN_PROCESS]
        deletable = [entry.pk for entry in locked if entry.status != EntryStatus.IN_PROCESS]
        JobQueueEntry.objects.filter(pk__in=deletable).delete()
    return ActionOutcome(changed=len(deletable), skipped_in_process=len(running))


def _hold(entry: JobQueueEntry) -> None:
    entry.status = EntryStatus.ON_HOLD


def _ready(entry: JobQueueEntry, now, *, keep_planned: bool) -> None:
    entry.status = EntryStatus.READY
    if not (keep_planned and entry.earliest_start_at and entry.earliest_start_at > now):
        entry.earliest_start_at = now
    if entry.earliest_start_at <= now:
        # The entry is saved whole after this: it must carry when it was handed over, or a lost task
        # would never be handed over again (the dispatcher resends only what has a hand-over time).
        entry.enqueued_for, entry.enqueued_at = entry.earliest_start_at, now
        enqueue(entry.pk, entry.earliest_start_at)


RECURRENCE_FIELDS = frozenset({*WEEKDAY_FIELDS, "starting_time", "ending_time", "minutes_between_runs"})


def save_entry(entry: JobQueueEntry, *, changed: set[str]) -> None:
    """Save an entry edited by hand: the merchant's category when none is chosen, its next run planned
    when the recurrence changed (or none is given), and started at once when it is due.

    Only the edited fields are written, so a worker's concurrent status change is never overwritten.
    """
    now = timezone.now()
    planned = set()
    if entry.category_id is None:
        entry.category = default_category_for(entry.merchant)
        planned.add("category")
    if entry.earliest_start_at is None or (changed & RECURRENCE_FIELDS and "earliest_start_at" not in changed):
        entry.earliest_start_at = _first_run(entry, now)
        planned.add("earliest_start_at")
    _save_locked(entry, [*(changed | planned), "updated_at"], now, new=entry.pk is None)


@retrying
def _save_locked(entry: JobQueueEntry, fields: list[str], now, *, new: bool) -> None:
    with transaction.atomic():
        if new:
            entry.save(force_insert=True)   # a second attempt keeps the id the first one drew: unused
        else:
            # The entry may move to another category: both are locked, in their order, before it.
            was_in = JobQueueEntry.objects.filter(pk=entry.pk).values_list("category_id", flat=True).first()
            lock_categories([was_in, entry.category_id])
            lock_entries([entry.pk])
            entry.save(update_fields=fields)
        if entry.status == EntryStatus.READY and entry.earliest_start_at <= now:
            JobQueueEntry.objects.filter(pk=entry.pk).update(enqueued_for=entry.earliest_start_at)
            enqueue(entry.pk, entry.earliest_start_at)


def _first_run(entry: JobQueueEntry, now):
    if not entry.is_recurring:
        return now
    try:
        return next_run_after(entry, now - timedelta(microseconds=1))
    except NoNextRun:
        return now


@dataclass(frozen=True)
class RecurringSyncs:
    created: list[JobQueueEntry]
    already_there: list[str]      # report labels
    not_implemented: list[str]
    unavailable: list[str] = ()   # reports the shop's settings leave unused (a run would only fail)


def create_recurring_syncs(*, merchant, user=None, on_hold: bool = False) -> RecurringSyncs:
    """One recurring entry per implemented report that recurs and the merchant's settings use, in the
    merchant's category; a report that already has a recurring entry for the merchant keeps it."""
    existing = set(JobQueueEntry.objects.filter(RECURRING, merchant=merchant).values_list("report_number", flat=True))
    created, already_there, not_implemented, unavailable = [], [], [], []
    for number in sorted(REPORTS):
        report = REPORTS[number]
        if not report.is_implemented:
            not_implemented.append(report.label())
            continue
        if report.recurring_minutes is None:
            continue
        # Recurring syncs are what Sync all runs, on a schedule: a report the shop's settings leave out of
        # Sync all (shipments of a daily-summary shop, say) would only ever find nothing to do.
        if number not in existing and (report.unavailable_for(merchant) or not report.in_sync_all(merchant)):
            unavailable.append(report.label())
            continue
        if number in existing:
            already_there.append(report.label())
            continue
        entry = JobQueueEntry(
            merchant=merchant, report_number=number, description=f"{report.name} (recurring)",
            category=default_category_for(merchant), minutes_between_runs=report.recurring_minutes,
            starting_time=report.recurring_starting_time(merchant),
            status=EntryStatus.ON_HOLD if on_hold else EntryStatus.READY,
            created_by=user if user and user.pk else None,
        )
        save_entry(entry, changed=set())
        created.append(entry)
    return RecurringSyncs(created=created, already_there=already_there, not_implemented=not_implemented,
                          unavailable=unavailable)
