"""The job-queue engine after Business Central's (J1–J4): entries, categories, claims, dispatch,
recurrence, runs, heartbeat, recovery and retention. It knows reports only through its registry
(`syncjobs.queue.registry`), which the report base fills; it imports no report and no sync domain."""
