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


COUNT_NAMES = ("read", "created", "updated", "skipped", "failed")


def report_unit(number: int) -> str:
    """What the report reads, as a plural noun ("orders"); "records" for a number no report has."""
    report = REPORTS.get(number)
    return report.unit if report else "records"


def counts_in_words(number: int, counts: dict[str, int]) -> str:
    """The counts of a run of report `number` in its words: "12 orders read, 10 new, 2 changed".
    Counts at zero are left out, but for what was read."""
    report = REPORTS.get(number)
    labels = report.count_labels() if report else {name: name for name in COUNT_NAMES}
    words = [f"{counts[name]} {_numbered(labels[name], counts[name])}" for name in COUNT_NAMES
             if counts.get(name) or name == "read"]
    return ", ".join(words)


def _numbered(label: str, n: int) -> str:
    """"days posted" → "day posted" for 1: the labels lead with a plural noun, or none ("new")."""
    noun, space, rest = label.partition(" ")
    if n == 1 and noun.endswith("s") and not noun.endswith("ss"):
        return f"{noun[:-1]}{space}{rest}"
    return label


def report_label(number: int) -> str:
    """E.g. "30104 Sync Orders from Shopify"; a number no report has any more says so."""
    report = REPORTS.get(number)
    return report.label() if report else f"{number} (unknown report)"
