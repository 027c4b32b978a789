"""The job queue's errors. The report base's errors (syncjobs.reports.base.ReportError) refine
QueueError, so one hierarchy holds what a sync started by hand can refuse with."""


class QueueError(Exception):
    """Base of the queue's errors; the message is for the person who started the sync."""
