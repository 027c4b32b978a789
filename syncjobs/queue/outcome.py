"""What a report's run tells the queue when it ends: the counts, the records that failed, and, when
the run failed, why and whether a retry can help. The report base builds it (Report.execute)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from syncjobs.queue.context import SkippedRecordNote


@dataclass(frozen=True)
class RecordFailure:
    object: str
    shopify_id: str
    reason: str


@dataclass
class RunOutcome:
    read: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[RecordFailure] = field(default_factory=list)
    summary: str = ""                 # the counts in words, for the run's message
    error: str | None = None          # why the run failed; None when it succeeded
    retry: bool = True                # whether running the entry again can help
    period: tuple[datetime, datetime] | None = None
    notes: list[str] = field(default_factory=list)
    skipped_records: list[SkippedRecordNote] = field(default_factory=list)
    total: int | None = None

    COUNT_NAMES = ("read", "created", "updated", "skipped", "failed")

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.COUNT_NAMES}

