"""What the queue hands a report's run: the merchant, its request page's values, and where to report."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable


@dataclass
class RunContext:
    merchant: Any
    parameters: dict = field(default_factory=dict)   # the request page's cleaned values
    progress: Callable[[Any], None] | None = None    # called with the counts so far as batches finish
    period: tuple[datetime, datetime] | None = None   # the period the run covered, when the report has one
    notes: list[str] = field(default_factory=list)    # what the run did besides its counts, for its log
    run_id: int | None = None                          # the SyncRun this run writes to

    def log(self, message: str) -> None:
        self.notes.append(message)
