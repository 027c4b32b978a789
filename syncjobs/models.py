"""The syncjobs app's models, where Django looks for them: the job queue's (syncjobs.queue.models)."""
from syncjobs.queue.models import *  # noqa: F403
