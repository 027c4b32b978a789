"""Reports 296 and 297's work: post the released documents the request page chooses, a chunk at a
time (each document in its own transaction, in the books), counting what posted and what did not."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from syncjobs.documents.signals import shipments_posted

CHUNK = 100


@dataclass
class PostingCounts:
    read: int = 0
    posted: int = 0
    shipped: int = 0          # orders shipped (a posted shipment) and left to invoice
    failed: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)   # (document no., why)
    invoices: list[str] = field(default_factory=list)             # posted invoice (or credit memo) nos.
    not_released: int = 0     # open documents the filters chose, left out until released

    # The queue's progress writer reads these names.
    @property
    def created(self) -> int:
        return self.posted

    @property
    def updated(self) -> int:
        return self.shipped

    skipped = 0


@dataclass(frozen=True)
class PostingFilters:
    shopify_only: bool = True
    date_from: date | None = None
    date_to: date | None = None
    posting_date: date | None = None


def post_documents(merchant, type: str, *, target, filters: PostingFilters, ship: bool = True, invoice: bool = True,
                   progress=None) -> PostingCounts:
    counts = PostingCounts()
    numbers = target.sales_document_numbers(merchant, type, released_only=True, shopify_only=filters.shopify_only,
                                            date_from=filters.date_from, date_to=filters.date_to)
    counts.not_released = len(target.sales_document_numbers(
        merchant, type, shopify_only=filters.shopify_only, date_from=filters.date_from,
        date_to=filters.date_to)) - len(numbers)
    for start in range(0, len(numbers), CHUNK):
        chunk = numbers[start:start + CHUNK]
        results = target.post_sales_documents(merchant, type, chunk, ship=ship, invoice=invoice,
                                              posting_date=filters.posting_date)
        shipped = [result.shipment_no for result in results if result.shipment_no and not result.error]
        if shipped:
            shipments_posted.send(sender=None, merchant=merchant, numbers=shipped)
        for result in results:
            counts.read += 1
            if result.error:
                counts.failed += 1
                counts.errors.append((result.number, result.error))
            elif result.invoice_no or result.credit_memo_no:
                counts.posted += 1
                counts.invoices.append(result.invoice_no or result.credit_memo_no)
            else:
                counts.shipped += 1
        if progress is not None:
            progress(counts)
    return counts
