"""The django-q2 schedules the job queue needs, kept in step after every migrate."""
from __future__ import annotations

from django_q.models import Schedule

SCHEDULES = (
    # name, function, minutes between runs
    ("syncjobs: job queue pass", "syncjobs.queue.queue_pass.run_queue_pass", 1),
    ("syncjobs: prune old sync runs", "syncjobs.queue.retention.prune_old_runs", 24 * 60),
    ("shopify: prune old webhook deliveries", "connectors.shopify.webhooks.retention.prune_old_deliveries", 24 * 60),
)


RETIRED = ("syncjobs: dispatch due job queue entries",)


def ensure_schedules(**_signal_kwargs) -> None:
    """Every schedule named in SCHEDULES runs its function now: a moved task path is rewritten."""
    Schedule.objects.filter(name__in=RETIRED).delete()
    for name, func, minutes in SCHEDULES:
        Schedule.objects.update_or_create(
            name=name,
            defaults={"func": func, "schedule_type": Schedule.MINUTES, "minutes": minutes, "repeats": -1},
        )
