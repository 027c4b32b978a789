"""The job queue's pass, run by django-q2 every minute: note the worker is alive, take back entries
of dead workers, then hand due entries over."""
from __future__ import annotations

import logging
from datetime import timedelta

from django.db import DatabaseError
from django.utils import timezone

from syncjobs.queue.dispatch import dispatch_due_entries
from syncjobs.queue.health import record_queue_pass
from syncjobs.queue.recovery import sweep_stale_entries
from syncjobs.queue.schedules import ensure_schedules

logger = logging.getLogger(__name__)


# A worker that starts may replace one that died holding tasks (a wedged cluster restarted): what was
# handed over before it and is still Ready is handed over again at once. The claim makes a second
# delivery of a task harmless.
WORKER_START_RESEND_AFTER = timedelta(seconds=5)


def run_queue_pass(*, resend_after: timedelta | None = None) -> str:
    now = timezone.now()
    record_queue_pass(now)
    taken_back = sweep_stale_entries(now)
    handed = dispatch_due_entries(now, resend_after=resend_after)
    return f"handed over {handed}, taken back {taken_back}"


def run_queue_pass_at_worker_start(sender=None, proc_name: str = "", **kwargs) -> None:
    """django-q2's post_spawn: a worker that starts runs a pass at once, so the role center stops
    saying "no worker" and entries due during the downtime start, without waiting for the schedule.
    It first rewrites the schedules, so a release that moved a task's dotted path takes effect."""
    try:
        ensure_schedules()
        logger.info("worker %s started: %s", proc_name, run_queue_pass(resend_after=WORKER_START_RESEND_AFTER))
    except DatabaseError:
        logger.exception("the queue pass at worker start failed; the schedule runs it within a minute")
