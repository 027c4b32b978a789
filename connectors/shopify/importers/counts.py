"""What an import did, for the run log and the `sync` command's last line."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RecordError:
    object: str        # "order", "payout", ...
    shopify_id: str
    reason: str


@dataclass
class ImportCounts:
    read: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[RecordError] = field(default_factory=list)
    # Records left alone on purpose, and why (e.g. an order deleted in Shopify).
    skipped_records: list[RecordError] = field(default_factory=list)

    def add(self, other: "ImportCounts") -> None:
        self.read += other.read
        self.created += other.created
        self.updated += other.updated
        self.skipped += other.skipped
        self.failed += other.failed
        self.errors += other.errors
        self.skipped_records += other.skipped_records

    def summary(self, unit: str = "records") -> str:
        """E.g. "12 orders read, 10 created, 2 updated"; counts at zero are left out, but for what was read."""
        counts = {"created": self.created, "updated": self.updated, "skipped": self.skipped, "failed": self.failed}
        return ", ".join([f"{self.read} {unit} read", *(f"{n} {name}" for name, n in counts.items() if n)])
