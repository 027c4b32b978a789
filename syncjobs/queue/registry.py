"""The reports the queue can run, by number: the engine's only knowledge of them.

The report base (syncjobs.reports.base) registers every report class here; the engine asks it for a
report's name, request page, recurrence and timeout, and runs it, without importing any report.
"""
from __future__ import annotations

from typing import Any

from syncjobs.queue.errors import QueueError


class ReportNumberTaken(QueueError):
    def __init__(self, number: int) -> None:
        super().__init__(f"report number {number} is registered twice")


class UnknownReport(QueueError):
    def __init__(self, number: int) -> None:
        super().__init__(f"there is no report {number}")


# number -> the report class; see syncjobs.reports.base.Report for what the engine reads of it.
REPORTS: dict[int, Any] = {}


def register(report):
    if report.number in REPORTS:
        raise ReportNumberTaken(report.number)
    REPORTS[report.number] = report
    return report


def get_report(number: int):
    try:
        return REPORTS[number]
    except KeyError:
        raise UnknownReport(number) from None


def report_label(number: int) -> str:
    """E.g. "30104 Sync Orders from Shopify"; a number no report has any more says so."""
    report = REPORTS.get(number)
    return report.label() if report else f"{number} (unknown report)"
