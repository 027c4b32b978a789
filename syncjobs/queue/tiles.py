"""The job queue's role-center tiles: runs that failed and nobody dismissed yet, and the records runs
left alone on purpose (the skipped-records log) (A1)."""
from __future__ import annotations

from django.urls import reverse

from core.tiles import Tile, register_tile
from syncjobs.queue.models import SkippedRecord
from syncjobs.queue.run_errors import open_sync_errors


def register() -> None:
    register_tile(Tile("sync_errors", "Synchronization errors", lambda merchants: open_sync_errors(),
                       lambda: f"{reverse('admin:syncjobs_syncrun_changelist')}?open_error=yes",
                       position=80))
    # Business Central's "Skipped Records" cue: the whole log, which is pruned with its runs (and can be cleared).
    register_tile(Tile("skipped_records", "Skipped records",
                       lambda merchants: SkippedRecord.objects.filter(merchant__in=merchants),
                       lambda: reverse("admin:syncjobs_skippedrecord_changelist"), position=85))
