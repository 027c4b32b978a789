"""Reports after Business Central's: a number, a name, a request page (a form) and `run`."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Callable, ClassVar

from django import forms

from connectors.shopify.importers.counts import ImportCounts


class ReportError(Exception):
    """Base of the report errors; the message is for the person who started the sync."""


class ReportNumberTaken(ReportError):
    def __init__(self, number: int) -> None:
        super().__init__(f"report number {number} is registered twice")


class UnknownReport(ReportError):
    def __init__(self, number: int) -> None:
        super().__init__(f"there is no report {number}")


class ReportNotImplemented(ReportError):
    pass


class ReportFailed(ReportError):
    """The run failed after reading records: `counts` holds what it did, and the records that failed."""

    def __init__(self, message: str, counts: ImportCounts) -> None:
        super().__init__(message)
        self.counts = counts


class ReportParametersInvalid(ReportError):
    def __init__(self, report: "type[Report]", errors: dict[str, list[str]]) -> None:
        details = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items())
        super().__init__(f"the request page of report {report.number} {report.name} is not valid: {details}")
        self.errors = errors


@dataclass
class RunContext:
    merchant: object
    parameters: dict = field(default_factory=dict)   # the request page's cleaned values
    progress: Callable[[ImportCounts], None] | None = None
    period: tuple[datetime, datetime] | None = None   # the period the run covered, when the report has one
    notes: list[str] = field(default_factory=list)    # what the run did besides its counts, for its log
    run_id: int | None = None                          # the SyncRun this run writes to

    def log(self, message: str) -> None:
        self.notes.append(message)


class EmptyRequestPage(forms.Form):
    pass


class Report:
    is_implemented: ClassVar[bool] = True
    number: ClassVar[int]
    name: ClassVar[str]
    form_class: ClassVar[type[forms.Form]] = EmptyRequestPage
    # Its button on the shop card's action bar (None: no button) and the button's place (lower first).
    button_label: ClassVar[str | None] = None
    button_position: ClassVar[int] = 0
    # "Create recurring syncs" gives the report an entry running this often (None: not recurring).
    recurring_minutes: ClassVar[int | None] = None
    # Seconds a queued run may take before the worker stops it (None: the queue's Q_TIMEOUT).
    task_timeout: ClassVar[int | None] = None

    @classmethod
    def recurring_starting_time(cls, merchant) -> time | None:
        """The local time a recurring entry of the report starts at (None: midnight)."""
        return None

    def run(self, ctx: RunContext) -> ImportCounts:
        raise NotImplementedError

    @classmethod
    def label(cls) -> str:
        return f"{cls.number} {cls.name}"

    @classmethod
    def button_slug(cls) -> str:
        """The button's name in the card's form, e.g. "sync_orders" for "Sync orders"."""
        return "_".join((cls.button_label or "").lower().split())

    @classmethod
    def clean_parameters(cls, raw: dict) -> dict:
        """The request page's values, checked by its form; ReportParametersInvalid says what is wrong."""
        form = cls.form_class(data=raw)
        unknown = sorted(set(raw) - set(form.fields))
        if unknown:
            raise ReportParametersInvalid(cls, {name: ["not a field of this request page"] for name in unknown})
        if not form.is_valid():
            raise ReportParametersInvalid(cls, {k: list(v) for k, v in form.errors.items()})
        return form.cleaned_data


class NotBuiltReport(Report):
    """A report of the spec not built yet: listed for what it is, and its run says so plainly."""

    is_implemented = False

    def run(self, ctx: RunContext):
        raise ReportNotImplemented(f"report {self.number} {self.name} is not implemented yet")


REPORTS: dict[int, type[Report]] = {}


def register(report: type[Report]) -> type[Report]:
    if report.number in REPORTS:
        raise ReportNumberTaken(report.number)
    REPORTS[report.number] = report
    return report


def get_report(number: int) -> type[Report]:
    try:
        return REPORTS[number]
    except KeyError:
        raise UnknownReport(number) from None
