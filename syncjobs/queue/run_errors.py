"""Failed runs count as synchronization errors until someone dismisses them or a later run of the
same report for the same shop succeeds (A1), as Business Central's cue counts error log entries
until they are dealt with."""
from __future__ import annotations

from django.db.models import Exists, OuterRef

from syncjobs.queue.models import RunStatus, SyncRun


def open_sync_errors():
    """Failed runs nobody dismissed and no later successful run of the same report and shop superseded."""
    later_success = SyncRun.objects.filter(merchant=OuterRef("merchant"), report_number=OuterRef("report_number"),
                                           status=RunStatus.SUCCESS, started_at__gt=OuterRef("started_at"))
    return SyncRun.objects.filter(status=RunStatus.ERROR, dismissed=False).exclude(Exists(later_success))


def dismiss_errors(runs) -> int:
    """Dismiss the failed runs among `runs`; returns how many were still open."""
    return runs.filter(status=RunStatus.ERROR, dismissed=False).update(dismissed=True)
