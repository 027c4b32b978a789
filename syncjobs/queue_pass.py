"""The job queue's pass, run by django-q2 every minute: note the worker is alive, take back entries
of dead workers, then hand due entries over."""
from __future__ import annotations

from django.utils import timezone

from syncjobs.dispatch import dispatch_due_entries
from syncjobs.health import record_queue_pass
from syncjobs.recovery import sweep_stale_entries


def run_queue_pass() -> str:
    now = timezone.now()
    record_queue_pass(now)
    taken_back = sweep_stale_entries(now)
    handed = dispatch_due_entries(now)
    return f"handed over {handed}, taken back {taken_back}"
