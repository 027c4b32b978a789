"""Taking back entries whose worker died (J3): a stale heartbeat means Error, not In Process forever."""
from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from syncjobs.queue.claims import release_if_stale
from syncjobs.queue.dispatch import enqueue
from syncjobs.queue.models import EntryStatus, JobQueueEntry
from syncjobs.queue.recurrence import NoNextRun, next_run_after


def sweep_stale_entries(now: datetime | None = None) -> int:
    """Mark In Process entries silent for JOB_STALE_SECONDS as Error, record it on their run, and
    let their category's next entry start. Returns how many were taken back."""
    now = now or timezone.now()
    silent_since = now - timedelta(seconds=settings.JOB_STALE_SECONDS)
    stale = JobQueueEntry.objects.filter(status=EntryStatus.IN_PROCESS, heartbeat_at__lt=silent_since)
    taken_back = 0
    for entry_id in stale.values_list("pk", flat=True):
        outcome = release_if_stale(entry_id, silent_since=silent_since,
                                   plan=lambda entry: _plan_after_crash(entry, now))
        if outcome is None:
            continue
        taken_back += 1
        if outcome.next_entry_id is not None:
            enqueue(outcome.next_entry_id, outcome.next_slot)
    return taken_back


def _plan_after_crash(entry: JobQueueEntry, now: datetime) -> None:
    """Tried again after its rerun delay while it has attempts left, as after any failure; then Error,
    a recurring entry keeping its next slot."""
    if entry.attempts < entry.maximum_attempts:
        entry.status = EntryStatus.READY
        entry.earliest_start_at = now + timedelta(seconds=entry.rerun_delay_seconds)
        return
    entry.status = EntryStatus.ERROR
    if not entry.is_recurring:
        return
    try:
        slot = next_run_after(entry, now)
    except NoNextRun:
        return
    if not (entry.expires_at and slot > entry.expires_at):
        entry.earliest_start_at = slot
