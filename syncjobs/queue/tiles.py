"""The job queue's role-center tile: runs that failed and nobody dismissed yet (A1)."""
from __future__ import annotations

from django.urls import reverse

from core.tiles import Tile, register_tile
from syncjobs.queue.run_errors import open_sync_errors


def register() -> None:
    register_tile(Tile("sync_errors", "Synchronization errors", lambda merchants: open_sync_errors(),
                       lambda: f"{reverse('admin:syncjobs_syncrun_changelist')}?open_error=yes",
                       position=80))
