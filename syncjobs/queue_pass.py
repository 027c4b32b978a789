"""Old task path, kept as an alias for one release: django-q2 tasks queued before the job queue moved
to syncjobs.queue name `syncjobs.queue_pass.run_queue_pass`.
Schedules are rewritten on start-up (syncjobs.queue.schedules); remove this after the next release."""
from syncjobs.queue.queue_pass import run_queue_pass

__all__ = ["run_queue_pass"]
