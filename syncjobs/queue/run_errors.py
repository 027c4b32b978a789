"""Failed runs count as synchronization errors until someone dismisses them (A1), as Business
Central's cue counts error log entries until they are deleted."""
from __future__ import annotations

from syncjobs.queue.models import RunStatus, SyncRun


def open_sync_errors():
    return SyncRun.objects.filter(status=RunStatus.ERROR, dismissed=False)


def dismiss_errors(runs) -> int:
    """Dismiss the failed runs among `runs`; returns how many were still open."""
    return runs.filter(status=RunStatus.ERROR, dismissed=False).update(dismissed=True)
