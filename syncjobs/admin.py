"""The syncjobs app's admin pages, where Django's autodiscovery looks for them: the job queue's."""
from syncjobs.queue import admin  # noqa: F401  (registers the job queue's admin pages)
