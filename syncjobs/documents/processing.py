"""Report 30103's work: every unprocessed order of a documents-mode shop that the filters choose
becomes one sales document, BATCH orders at a time.

All or nothing per order: the documents of a batch, their OrderDocument rows and the orders' flags
are written in one transaction, and a draft the books refuse writes nothing and stores its reason
on the order, while the rest of the batch goes on. Two runs at once cannot make two documents of
one order (a unique row per order here, and one in the books); the run that loses the race reads
the batch again. Documents the books hold for an order whose row is missing (a foreign target that
wrote before a crash) are adopted, never made twice.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from connectors.ledger.records import DocumentType
from connectors.shopify.models import ShopifyOrder
from syncjobs.documents.conflicts import made_from
from syncjobs.documents.drafts import Unmapped, drafts_for
from syncjobs.documents.models import DocumentKind, OrderDocument

BATCH = 200
RACE_ATTEMPTS = 5
POSTED_SHIPMENT = "posted_shipment"


@dataclass
class ProcessCounts:
    read: int = 0
    created: int = 0          # documents made
    updated: int = 0          # orders whose document the books held already (adopted)
    skipped: int = 0          # cancelled or test orders: no document
    failed: int = 0
    errors: list[tuple[str, str, str]] = field(default_factory=list)   # (order GID, name, why)
    made: dict[str, int] = field(default_factory=dict)                 # document type → how many

    @property
    def invoices(self) -> int:
        return self.made.get(DocumentType.INVOICE, 0)


@dataclass(frozen=True)
class OrderFilters:
    financial_status: str = ""
    fulfillment_status: str = ""
    order_nos: tuple[str, ...] = ()


def unprocessed_orders(merchant, filters: OrderFilters = OrderFilters()) -> QuerySet[ShopifyOrder]:
    orders = ShopifyOrder.objects.filter(merchant=merchant, processed=False)
    if filters.financial_status:
        orders = orders.filter(financial_status=filters.financial_status)
    if filters.fulfillment_status:
        orders = orders.filter(fulfillment_status=filters.fulfillment_status)
    if filters.order_nos:
        given = {no.strip() for no in filters.order_nos if no.strip()}
        names = given | {f"#{no.removeprefix('#')}" for no in given}
        orders = orders.filter(name__in=names)
    return orders


def create_documents(merchant, *, target, filters: OrderFilters = OrderFilters(), progress=None) -> ProcessCounts:
    counts = ProcessCounts()
    chosen = unprocessed_orders(merchant, filters)
    last = 0
    while True:
        batch = list(chosen.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            return counts
        last = batch[-1].pk
        for attempt in range(RACE_ATTEMPTS):
            try:
                _process(merchant, batch, target=target, counts=counts)
                break
            except IntegrityError:
                if attempt == RACE_ATTEMPTS - 1:
                    raise
                # Another run made some of these documents meanwhile: what is left is read again.
                batch = list(ShopifyOrder.objects.filter(pk__in=[o.pk for o in batch], processed=False)
                             .order_by("pk"))
        if progress is not None:
            progress(counts)


def _process(merchant, batch: list[ShopifyOrder], *, target, counts: ProcessCounts) -> None:
    no_document = [o for o in batch if o.cancelled_at or o.is_test]
    rest = [o for o in batch if not (o.cancelled_at or o.is_test)]
    held = _held_by_the_books(merchant, rest, target=target)
    rest = [o for o in rest if o.shopify_gid not in held]
    drafts = drafts_for(merchant, rest, target=target)
    ready = [o for o in rest if not isinstance(drafts[o.pk], Unmapped)]
    with transaction.atomic():
        outcomes = target.create_sales_documents(merchant, [drafts[o.pk] for o in ready]) if ready else []
        links, done, failed = [], [], []
        for order, outcome in zip(ready, outcomes, strict=True):
            if outcome.document is None:
                failed.append((order, outcome.error))
                continue
            document = outcome.document
            links.append(OrderDocument(merchant=merchant, order=order, shopify_order_id=order.shopify_gid,
                                       kind=document.type, document_no=document.number))
            done.append(order)
            counts.made[document.type] = counts.made.get(document.type, 0) + 1
        failed += [(o, str(drafts[o.pk])) for o in rest if isinstance(drafts[o.pk], Unmapped)]
        adopted = [o for o in batch if o.shopify_gid in held]
        links += [OrderDocument(merchant=merchant, order=o, shopify_order_id=o.shopify_gid, kind=held[o.shopify_gid][0],
                                document_no=held[o.shopify_gid][1]) for o in adopted
                  if not held[o.shopify_gid][2]]
        state = made_from([link.order.pk for link in links])
        for link in links:
            link.lines_made_from, link.shipping_made_from = state[link.order.pk]
        OrderDocument.objects.bulk_create(links)
        _mark([(order, "") for order in done + adopted + no_document] + failed)
    counts.read += len(batch)
    counts.created += len(done)
    counts.updated += len(adopted)
    counts.skipped += len(no_document)
    counts.failed += len(failed)
    counts.errors += [(o.shopify_gid, o.name, why) for o, why in failed]


def _held_by_the_books(merchant, orders: list[ShopifyOrder], *, target) -> dict[str, tuple[str, str, bool]]:
    """Orders the books already hold a sales document of: GID → (kind, number, linked here already)."""
    if not orders:
        return {}
    refs = target.documents_of_shopify_orders(merchant, [o.shopify_gid for o in orders])
    linked = set(OrderDocument.objects.filter(
        merchant=merchant, shopify_order_id__in=list(refs), kind__in=[DocumentKind.ORDER, DocumentKind.INVOICE],
    ).values_list("shopify_order_id", flat=True))
    held = {}
    for gid, documents in refs.items():
        sale = next((d for d in documents if d.kind in (DocumentType.ORDER, DocumentType.INVOICE)), None)
        if sale is not None:
            held[gid] = (sale.kind, sale.number, gid in linked)
            continue
        posted = [d for d in documents if d.kind.startswith("posted_") and d.kind != "posted_credit_memo"]
        if posted:
            shipped = any(d.kind == POSTED_SHIPMENT for d in posted)
            held[gid] = (DocumentType.ORDER if shipped else DocumentType.INVOICE, posted[0].source_no, gid in linked)
    return held


def _mark(orders: list[tuple[ShopifyOrder, str]]) -> None:
    """Processed, or not with the reason: one statement for the batch."""
    for order, why in orders:
        order.processed, order.has_error, order.error_message = not why, bool(why), why
    ShopifyOrder.objects.bulk_update([order for order, _ in orders], ["processed", "has_error", "error_message"])
