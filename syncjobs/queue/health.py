"""Is a worker taking tasks? The role center warns when the job queue has stalled."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from syncjobs.queue.dispatch import RUNNABLE
from syncjobs.queue.models import JobQueueEntry, QueueHeartbeat

QUEUE_PASS = "queue pass"
PASS_OVERDUE = timedelta(minutes=3)    # the pass runs every minute
ENTRY_OVERDUE = timedelta(minutes=5)
NO_WORKER = "no worker is running: queued syncs will not start"


def record_queue_pass(now: datetime) -> None:
    QueueHeartbeat.objects.update_or_create(name=QUEUE_PASS, defaults={"seen_at": now})


def queue_warnings(now: datetime | None = None, entries=None) -> list[str]:
    """What the role center shows about the queue; `entries` limits the overdue check (a merchant
    user's own entries)."""
    now = now or timezone.now()
    warnings = []
    last_pass = QueueHeartbeat.objects.filter(name=QUEUE_PASS).values_list("seen_at", flat=True).first()
    if last_pass is None or now - last_pass > PASS_OVERDUE:
        seen = f"last seen {last_pass:%Y-%m-%d %H:%M} UTC" if last_pass else "never seen"
        warnings.append(f"{NO_WORKER} (the job queue's pass was {seen})")
    entries = JobQueueEntry.objects.all() if entries is None else entries
    oldest_due = (entries.filter(RUNNABLE, earliest_start_at__lt=now - ENTRY_OVERDUE, merchant__is_enabled=True)
                  .order_by("earliest_start_at").values_list("earliest_start_at", flat=True).first())
    if oldest_due is not None:
        minutes = int((now - oldest_due).total_seconds() // 60)
        warnings.append(f"queued syncs are late: the oldest due entry has waited {minutes} minutes to start")
    return warnings


@dataclass(frozen=True)
class QueueHealth:
    ok: bool
    summary: str


def queue_health(now: datetime | None = None) -> QueueHealth:
    """Is the job queue running what is due? Not when no queue pass ran for QUEUE_PASS_MAX_SILENCE_SECONDS
    while entries are due, or a due entry waited QUEUE_ENTRY_MAX_LATENESS_SECONDS: a supervisor then
    restarts the workers (a cluster can wedge for good when a worker dies: django-q2 issue 23)."""
    now = now or timezone.now()
    silence = timedelta(seconds=settings.QUEUE_PASS_MAX_SILENCE_SECONDS)
    lateness = timedelta(seconds=settings.QUEUE_ENTRY_MAX_LATENESS_SECONDS)
    last_pass = QueueHeartbeat.objects.filter(name=QUEUE_PASS).values_list("seen_at", flat=True).first()
    due = JobQueueEntry.objects.filter(RUNNABLE, earliest_start_at__lte=now, merchant__is_enabled=True)
    oldest_due = due.order_by("earliest_start_at").values_list("earliest_start_at", flat=True).first()
    passed = f"the last queue pass ran {_ago(now, last_pass)}"
    if oldest_due is not None and (last_pass is None or now - last_pass > silence):
        return QueueHealth(False, f"entries are due and no queue pass ran for over {silence.seconds} s ({passed})")
    if oldest_due is not None and now - oldest_due > lateness:
        return QueueHealth(False, f"a due entry has waited {_ago(now, oldest_due)[:-4]} to start ({passed})")
    waiting = "entries are due" if oldest_due is not None else "nothing is due"
    return QueueHealth(True, f"{passed}; {waiting}")


def _ago(now: datetime, moment: datetime | None) -> str:
    if moment is None:
        return "never"
    return f"{int((now - moment).total_seconds())} s ago"
