"""What the queue hands a report's run: the merchant, its request page's values, and where to report."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from django.utils import timezone


@dataclass(frozen=True)
class SkippedRecordNote:
    record: str          # e.g. "order #1001"
    reason: str
    shopify_id: str = ""
    at: datetime = field(default_factory=timezone.now)


@dataclass
class RunContext:
    merchant: Any
    parameters: dict = field(default_factory=dict)   # the request page's cleaned values
    progress: Callable[[Any], None] | None = None    # called with the counts so far as batches finish
    period: tuple[datetime, datetime] | None = None   # the period the run covered, when the report has one
    notes: list[str] = field(default_factory=list)    # what the run did besides its counts, for its log
    run_id: int | None = None                          # the SyncRun this run writes to
    total: int | None = None                           # how many records it expects to read, once known
    skipped_records: list[SkippedRecordNote] = field(default_factory=list)
    on_total: Callable[[int], None] | None = None      # the queue shows the total at once

    def log(self, message: str) -> None:
        self.notes.append(message)

    def skip(self, record: str, reason: str, *, shopify_id: str = "") -> None:
        """Note a record the run leaves alone on purpose, and why: the skipped-records log lists it."""
        self.skipped_records.append(SkippedRecordNote(record, reason, shopify_id))

    def expect(self, total: int) -> None:
        """Say how many records the run will read, so its progress reads "120 of 500 orders"."""
        self.total = total
        if self.on_total is not None:
            self.on_total(total)
