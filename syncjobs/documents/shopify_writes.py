"""What the documents write back to Shopify: each order's document no. as an order attribute (the
card's "write the document no. to Shopify"), and closing orders that are done ("archive processed
orders").

Business Central's write-back caused an orders/updated webhook that re-imported the order and cleared
its error (microsoft/ALAppExtensions#26516). Here the order's updatedAt that our write left is kept,
so the webhook it causes is known for syncsite's own and starts no import; and an import of the order
would change nothing anyway (the write is no conflict, and an import never clears an order's error).
An order is closed only once it is fully paid and fulfilled and its document is through: a sales
order posted, or an invoice made (never before it is paid: microsoft/ALAppExtensions#21122).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from connectors.shopify.client import ShopifyClient
from connectors.shopify.order_writes import close_orders, write_document_numbers
from connectors.shopify.states import FinancialStatus, FulfillmentStatus
from syncjobs.documents.models import SALE_KINDS, DocumentKind, OrderDocument

BATCH = 250


@dataclass
class WriteCounts:
    written: int = 0
    closed: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)   # (order GID, why)


def write_back(merchant, *, client: ShopifyClient | None = None, counts: WriteCounts) -> None:
    # Only what is not written yet: the rows read are the few new ones, not every document of the shop.
    rows = list(OrderDocument.objects.filter(merchant=merchant, kind__in=SALE_KINDS)
                .exclude(written_to_shopify=F("document_no")).order_by("pk"))
    client = client or ShopifyClient.for_merchant(merchant)
    for start in range(0, len(rows), BATCH):
        chunk = rows[start:start + BATCH]
        results = write_document_numbers(client, {row.shopify_order_id: row.document_no for row in chunk})
        done = []
        for row in chunk:
            result = results[row.shopify_order_id]
            if not result.ok:
                counts.errors.append((row.shopify_order_id, f"the document no. was not written: {result.reason}"))
                continue
            row.written_to_shopify = row.document_no
            if result.updated_at:
                row.written_updated_at = parse_datetime(result.updated_at)
                counts.written += 1
            done.append(row)
        OrderDocument.objects.bulk_update(done, ["written_to_shopify", "written_updated_at"])


def archive_done(merchant, *, target, client: ShopifyClient | None = None, counts: WriteCounts) -> None:
    rows = list(OrderDocument.objects.filter(
        merchant=merchant, kind__in=SALE_KINDS, archived_at=None, order__closed_at=None,
        order__financial_status=FinancialStatus.PAID, order__fulfillment_status=FulfillmentStatus.FULFILLED,
    ).select_related("order"))
    if not rows:
        return
    posted = target.documents_of_shopify_orders(merchant, [row.shopify_order_id for row in rows])
    through = [row for row in rows if row.kind == DocumentKind.INVOICE or any(
        ref.kind == "posted_invoice" for ref in posted.get(row.shopify_order_id, []))]
    client = client or ShopifyClient.for_merchant(merchant)
    for start in range(0, len(through), BATCH):
        chunk = through[start:start + BATCH]
        results = close_orders(client, [row.shopify_order_id for row in chunk])
        now, done = timezone.now(), []
        for row in chunk:
            result = results[row.shopify_order_id]
            if not result.ok:
                counts.errors.append((row.shopify_order_id, f"the order was not closed in Shopify: {result.reason}"))
                continue
            row.archived_at = now
            counts.closed += 1
            done.append(row)
        OrderDocument.objects.bulk_update(done, ["archived_at"])


def is_our_own_write(merchant, payload: dict) -> bool:
    """Whether an orders/updated delivery is the echo of syncsite writing the document no."""
    gid, updated = payload.get("admin_graphql_api_id"), parse_datetime(str(payload.get("updated_at") or ""))
    if not gid or updated is None:
        return False
    return OrderDocument.objects.filter(merchant=merchant, shopify_order_id=gid, written_updated_at=updated).exists()
