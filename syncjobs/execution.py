"""Old task path, kept as an alias for one release: django-q2 tasks queued before the job queue moved
to syncjobs.queue name `syncjobs.execution.run_queued_entry`.
Schedules are rewritten on start-up (syncjobs.queue.schedules); remove this after the next release."""
from syncjobs.queue.execution import run_queued_entry

__all__ = ["run_queued_entry"]
