"""Old task path, kept as an alias for one release: django-q2 tasks queued before the job queue moved
to syncjobs.queue name `syncjobs.retention.prune_old_runs`.
Schedules are rewritten on start-up (syncjobs.queue.schedules); remove this after the next release."""
from syncjobs.queue.retention import prune_old_runs

__all__ = ["prune_old_runs"]
