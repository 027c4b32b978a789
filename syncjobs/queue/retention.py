"""Pruning the run log (J4): runs older than SYNC_RUN_RETENTION_DAYS, and finished one-off entries."""
from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from syncjobs.queue.dispatch import RECURRING
from syncjobs.queue.locks import atomic_retrying, lock_entries
from syncjobs.queue.models import EntryStatus, JobQueueEntry, SyncRun

DELETE_BATCH = 5000   # deleting in slices keeps each transaction (and its locks) short


def prune_old_runs(now: datetime | None = None) -> int:
    """Delete what is older than the retention period; returns the number of runs deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.SYNC_RUN_RETENTION_DAYS)
    deleted = 0
    while True:
        ids = list(SyncRun.objects.filter(started_at__lt=cutoff).order_by().values_list("pk", flat=True)[:DELETE_BATCH])
        if not ids:
            break
        SyncRun.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
    finished = JobQueueEntry.objects.filter(status=EntryStatus.FINISHED, updated_at__lt=cutoff).exclude(RECURRING)
    while ids := list(finished.order_by("pk").values_list("pk", flat=True)[:DELETE_BATCH]):
        _delete_finished(ids)
    return deleted


@atomic_retrying
def _delete_finished(ids: list[int]) -> None:
    # Locked in the queue's order first: a bare multi-row DELETE locks rows in whatever order it
    # meets them, and could deadlock with an admin action on the same entries.
    locked = lock_entries(ids, status=EntryStatus.FINISHED)
    JobQueueEntry.objects.filter(pk__in=[entry.pk for entry in locked]).delete()
