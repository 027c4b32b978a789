"""The heartbeat of a running entry, written from a thread of its own.

A thread rather than the report's progress callback: a report may sit in one long call (waiting
for a bulk export, a slow page) and must not look dead meanwhile. When the worker process dies, the
thread dies with it, the heartbeat goes stale and the sweeper takes the entry back.
"""
from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import connections
from django.utils import timezone

from syncjobs.queue.claims import Claim
from syncjobs.queue.models import JobQueueEntry

logger = logging.getLogger(__name__)


class Heartbeat:
    def __init__(self, claim: Claim, interval: float | None = None) -> None:
        self.claim = claim
        self.interval = interval if interval is not None else settings.JOB_HEARTBEAT_SECONDS
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-entry-{claim.entry_id}", daemon=True)

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stopped.set()
        self._thread.join(timeout=self.interval + 5)

    def _beat(self) -> None:
        try:
            while not self._stopped.wait(self.interval):
                try:
                    (JobQueueEntry.objects.filter(pk=self.claim.entry_id, claim_token=self.claim.token)
                     .update(heartbeat_at=timezone.now()))
                except Exception:  # a missed beat is not fatal; many missed ones are what the sweeper is for
                    logger.warning("could not write the heartbeat of entry %s", self.claim.entry_id, exc_info=True)
        finally:
            connections.close_all()   # this thread's own connections
