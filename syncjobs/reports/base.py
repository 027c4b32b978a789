"""Reports after Business Central's: a number, a name, a request page (a form), a shop-card button
and `run`. Each report is one module of this package; the queue runs it through `Report.execute`,
which turns what the run returned or raised into the queue's RunOutcome."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from typing import ClassVar, Protocol

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from connectors.shopify.errors import ShopifyError
from syncjobs.queue.context import RunContext, SkippedRecordNote
from syncjobs.queue.errors import QueueError
from syncjobs.queue.outcome import RecordFailure, RunOutcome
from syncjobs.queue.registry import REPORTS, ReportNumberTaken, UnknownReport, get_report, register

__all__ = ["REPORTS", "EmptyRequestPage", "NotBuiltReport", "Report", "ReportError", "ReportFailed", "RunResult",
           "ReportNotImplemented", "ReportNumberTaken", "ReportParametersInvalid", "RunContext", "UnknownReport",
           "get_report", "register"]


class ConnectorCounts(Protocol):
    """What a connector's sync returns (e.g. connectors.shopify's ImportCounts)."""

    read: int
    created: int
    updated: int
    skipped: int
    failed: int
    errors: list


@dataclass
class RunResult:
    """What a report's run did: its counts and each record that failed. A connector returns its own
    counts; the report turns them into this with `RunResult.of`."""

    read: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[RecordFailure] = field(default_factory=list)
    skipped_records: list[SkippedRecordNote] = field(default_factory=list)
    summary: str = ""     # the run's message instead of its counts in words, where those would say too little

    @classmethod
    def of(cls, counts: RunResult | ConnectorCounts | None) -> RunResult:
        if counts is None:
            return cls()
        if isinstance(counts, RunResult):
            return counts
        return cls(read=counts.read, created=counts.created, updated=counts.updated, skipped=counts.skipped,
                   failed=counts.failed,
                   failures=[RecordFailure(e.object, e.shopify_id, e.reason) for e in counts.errors],
                   skipped_records=[SkippedRecordNote(f"{s.object} {s.shopify_id}", s.reason, s.shopify_id)
                                    for s in getattr(counts, "skipped_records", [])])



class ReportError(QueueError):
    """Base of the report errors; the message is for the person who started the sync."""


class ReportNotImplemented(ReportError):
    pass


class ReportFailed(ReportError):
    """The run failed after reading records: `counts` holds what it did, and the records that failed."""

    def __init__(self, message: str, counts: RunResult | ConnectorCounts) -> None:
        super().__init__(message)
        self.result = RunResult.of(counts)


class ReportParametersInvalid(ReportError):
    def __init__(self, report: "type[Report]", errors: dict[str, list[str]]) -> None:
        # Errors of the page as a whole come without a field name (Django files them under __all__).
        details = "; ".join(" ".join(messages) if name == NON_FIELD_ERRORS else f"{name}: {' '.join(messages)}"
                            for name, messages in errors.items())
        super().__init__(f"the request page of report {report.number} {report.name} is not valid: {details}")
        self.errors = errors


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
    # What it reads, as a plural noun, and what its counts mean for it, where the words differ from
    # "read", "created", ... e.g. {"created": "days posted"} (a run reads "3 days posted").
    unit: ClassVar[str] = "records"
    count_words: ClassVar[dict[str, str]] = {}
    # "Create recurring syncs" gives the report an entry running this often (None: not recurring).
    recurring_minutes: ClassVar[int | None] = None
    # Seconds a queued run may take before the worker stops it (None: the queue's Q_TIMEOUT).
    task_timeout: ClassVar[int | None] = None

    @classmethod
    def request_form(cls, merchant):
        """The request page's form for `merchant` (a form class or a callable making one); a form that
        checks its values against the shop (its time zone, say) takes the merchant here."""
        return cls.form_class

    @classmethod
    def unavailable_for(cls, merchant) -> str | None:
        """Why this report cannot run for `merchant` as its settings stand, or None."""
        return None

    @classmethod
    def in_sync_all(cls, merchant) -> bool:
        """Whether the shop card's Sync all starts it for `merchant` (a report with a button)."""
        return True

    @classmethod
    def recurring_starting_time(cls, merchant) -> time | None:
        """The local time a recurring entry of the report starts at (None: midnight)."""
        return None

    def run(self, ctx: RunContext) -> RunResult | ConnectorCounts:
        raise NotImplementedError

    def execute(self, ctx: RunContext) -> RunOutcome:
        """Run the report and say how it went, in the queue's terms. What a retry cannot know better
        (a bug) propagates: the queue records it as an unexpected error."""
        try:
            result = RunResult.of(self.run(ctx))
        except ReportFailed as exc:
            return _outcome(ctx, exc.result, error=str(exc))
        except (ReportError, ShopifyError) as exc:
            return _outcome(ctx, RunResult(), error=str(exc))
        return _outcome(ctx, result)

    @classmethod
    def label(cls) -> str:
        return f"{cls.number} {cls.name}"

    @classmethod
    def count_labels(cls) -> dict[str, str]:
        """What each count means for this report: {"read": "orders read", "created": "new", ...}."""
        return {"read": f"{cls.unit} read", "created": "created", "updated": "updated", "skipped": "skipped",
                "failed": "failed", **cls.count_words}

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


def _outcome(ctx: RunContext, result: RunResult, *, error: str | None = None) -> RunOutcome:
    return RunOutcome(
        read=result.read, created=result.created, updated=result.updated, skipped=result.skipped,
        failed=result.failed, error=error, period=ctx.period, notes=list(ctx.notes),
        failures=list(result.failures), skipped_records=[*ctx.skipped_records, *result.skipped_records],
        total=ctx.total, summary=result.summary,
    )
