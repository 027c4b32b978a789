"""Report 30104's import: orders changed since the watermark, read page by page and upserted.

A first import of a large store goes through a bulk export instead. The watermark is taken before
paging starts and moved only by an unfiltered run that read to the end, so an order changed while
we page, or skipped by a filter, is read next time. A small overlap re-reads the last minutes;
those orders are counted as skipped.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Callable, Iterable, Iterator
from zoneinfo import ZoneInfo

from django.utils import timezone

from connectors.shopify.bulk import rebuild_objects, stream_lines
from connectors.shopify.client import ShopifyClient
from connectors.shopify.customer_sync import shop_country
from connectors.shopify.documents import document
from connectors.shopify.first_import import bulk_first_import
from connectors.shopify.first_import import refresh_planner_statistics as refresh_statistics_of
from connectors.shopify.importers.counts import ImportCounts, RecordError
from connectors.shopify.importers.customers import import_customers
from connectors.shopify.importers.orders import CHILD_MODELS, import_orders
from connectors.shopify.models import ImportState, ShopifyOrder
from core.local_time import UTC, zone_named
from merchants.models import CustomerImport

WATERMARK_OVERLAP = timedelta(minutes=5)
ORDERS_PER_PAGE = 4          # OrdersUpdatedSince costs about 205 points an order: 4 stay under 1,000
ORDERS_PER_DETAILS = 2       # OrderDetails costs about 440 points an order
NESTED_PAGE = 50
BULK_THRESHOLD = 250         # a first import of more orders than this uses a bulk export
BULK_BATCH = 2000
BULK_CHILD_FIELDS = {
    "LineItem": "lineItems", "ShippingLine": "shippingLines", "FulfillmentOrder": "fulfillmentOrders",
    "FulfillmentOrderLineItem": "lineItems",
}


@dataclass(frozen=True)
class OrderFilters:
    """Report 30104's request page."""

    financial_status: str = ""      # e.g. "paid": only fully paid orders
    fulfillment_status: str = ""    # e.g. "unshipped"
    created_from: date | None = None
    created_to: date | None = None
    order_no: str = ""              # e.g. "#1001"

    @property
    def is_unfiltered(self) -> bool:
        return self == OrderFilters()

    def search_terms(self, zone: ZoneInfo = UTC) -> list[str]:
        """The filters in Shopify's search syntax; the dates are days in `zone` (the shop's), sent as
        the UTC instants they start at, so no one has to guess which zone a bare date means."""
        terms = []
        if self.financial_status:
            terms.append(f"financial_status:{self.financial_status}")
        if self.fulfillment_status:
            terms.append(f"fulfillment_status:{self.fulfillment_status}")
        if self.created_from:
            terms.append(f"created_at:>='{_day_start(self.created_from, zone)}'")
        if self.created_to and self.created_to < date.max:   # up to the last day there is: no upper bound
            terms.append(f"created_at:<'{_day_start(self.created_to + timedelta(days=1), zone)}'")
        if self.order_no:
            terms.append(f"name:{search_value(self.order_no)}")
        return terms


def _day_start(day: date, zone: ZoneInfo) -> str:
    return datetime.combine(day, time.min, zone).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


Progress = Callable[[ImportCounts], None]


def search_value(text: str) -> str:
    """`text` as one quoted value of Shopify's search syntax: its quotes and backslashes escaped, so
    what a person typed can never add terms of its own (an `OR`, another field) to the query."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def sync_orders(*, merchant, filters: OrderFilters = OrderFilters(), client: ShopifyClient | None = None,
                progress: Progress | None = None, expect: Callable[[int], None] | None = None,
                bulk_threshold: int = BULK_THRESHOLD) -> ImportCounts:
    """Import what changed since the last run (all orders the first time, by a bulk export when there
    are many). `expect` hears how many orders a first import will read, once Shopify said."""
    client = client or ShopifyClient.for_merchant(merchant)
    state, _ = ImportState.objects.get_or_create(merchant=merchant, kind=ImportState.Kind.ORDERS)
    counts = ImportCounts()
    first_import_size = None
    if filters.is_unfiltered and not state.bulk_operation_gid and state.watermark is None:
        first_import_size = _order_count(client)
        if expect:
            expect(first_import_size)
    if filters.is_unfiltered and (state.bulk_operation_gid or (
            first_import_size is not None and first_import_size > bulk_threshold)):
        _bulk_import(merchant, client, state, counts, progress)
        state.refresh_from_db()
    started_at = timezone.now()
    terms = filters.search_terms(zone_named(merchant.time_zone))
    # A filtered run reads every order its filters choose, changed lately or not: it is how one
    # order, or one period, is read again.
    if state.watermark and filters.is_unfiltered:
        since = (state.watermark - WATERMARK_OVERLAP).strftime("%Y-%m-%dT%H:%M:%SZ")
        terms.insert(0, f"updated_at:>='{since}'")
    variables = {"first": ORDERS_PER_PAGE, "query": " ".join(terms) or None}
    buyers = OrderBuyers(merchant, client)
    for page in client.pages(document("OrdersUpdatedSince"), variables, ("orders",)):
        for gone in complete_orders(client, page):
            counts.skipped += 1
            counts.skipped_records.append(RecordError(
                "order", gone["id"], f"order {gone.get('name') or gone['id']} was deleted in Shopify; "
                                     "what was imported of it is kept"))
        buyers.import_from(page)
        counts.add(import_orders(merchant=merchant, payloads=page))
        if progress:
            progress(counts)
    if filters.is_unfiltered:
        ImportState.objects.filter(pk=state.pk).update(watermark=started_at, updated_at=timezone.now())
    return counts


def _order_count(client: ShopifyClient) -> int:
    return client.execute(document("OrdersCount"), {"query": None}).data["ordersCount"]["count"]


def _bulk_import(merchant, client: ShopifyClient, state: ImportState, counts: ImportCounts,
                 progress: Progress | None) -> None:
    def read(url: str) -> None:
        import_bulk_result(merchant, url, counts, progress, client=client)
        refresh_planner_statistics()

    bulk_first_import(client, state, "OrdersBulkExport", read)
    if progress:
        progress(counts)


class OrderBuyers:
    """The customers of imported orders, imported with them when the shop card's customer import
    is not "none" (report 30100's "with order import"), before the orders, so what links customers
    (syncjobs.customers) finds them when the orders arrive."""

    def __init__(self, merchant, client: ShopifyClient) -> None:
        self.merchant, self.client, self._country = merchant, client, None

    def import_from(self, orders: list[dict]) -> None:
        if self.merchant.customer_import == CustomerImport.NONE:
            return
        customers = {c["id"]: c for o in orders if isinstance(c := o.get("customer"), dict) and c.get("id")}
        if not customers:
            return
        if self._country is None:
            self._country = shop_country(self.client)
        import_customers(merchant=self.merchant, payloads=list(customers.values()), shop_country=self._country)


def refresh_planner_statistics() -> None:
    """The orders' tables, after a bulk import (connectors.shopify.first_import)."""
    refresh_statistics_of([ShopifyOrder, *CHILD_MODELS])


def import_bulk_result(merchant, url: str, counts: ImportCounts, progress: Progress | None = None, *,
                       client: ShopifyClient | None = None) -> None:
    """The orders of a finished export, BULK_BATCH at a time, each batch in a transaction of its own."""
    batch: list[dict] = []
    buyers = OrderBuyers(merchant, client or ShopifyClient.for_merchant(merchant))
    with _cyclic_gc_once_a_batch() as batch_done:
        for order in rebuild_objects(stream_lines(url), BULK_CHILD_FIELDS):
            batch.append(order)
            if len(batch) == BULK_BATCH:
                buyers.import_from(batch)
                counts.add(import_orders(merchant=merchant, payloads=batch))
                batch = []
                batch_done()
                if progress:
                    progress(counts)
        if batch:
            buyers.import_from(batch)
            counts.add(import_orders(merchant=merchant, payloads=batch))


@contextmanager
def _cyclic_gc_once_a_batch() -> Iterator[Callable[[], None]]:
    """Orders are trees of dicts that reference counting frees; left on, the cyclic collector walks
    each batch's hundreds of thousands of objects again and again (a fifth to a quarter of the import).
    It is paused instead, and sweeps what the batch left behind when the batch is done."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield lambda: gc.collect(0)
    finally:
        if was_enabled:
            gc.enable()


def complete_orders(client: ShopifyClient, orders: list[dict]) -> list[dict]:
    """Fill in what a page leaves out: line items past the first page, refunds, fulfillment orders,
    risk and the addresses.

    An order whose details cannot be read is never imported without them (its refunds would be lost
    for good): the details of a few orders at once are retried until every one is there, an order
    still null is read alone, and one null even then was deleted in Shopify. The deleted orders are
    taken out of `orders` and returned."""
    for order in orders:
        _follow(client, order.get("lineItems"), "OrderLineItemsPage", order["id"], ("order", "lineItems"))
    deleted = []
    for chunk in _chunks(orders, ORDERS_PER_DETAILS):
        ids = [o["id"] for o in chunk]
        data = client.execute(document("OrderDetails"), {"ids": ids}, check=lambda d: _details_problem(d, ids)).data
        details = {node["id"]: node for node in data["nodes"] if node}
        for order in chunk:
            found = details.get(order["id"]) or _read_alone(client, order["id"])
            if found is None:
                deleted.append(order)
                continue
            order["risk"] = found.get("risk")
            order["billingAddress"] = found.get("billingAddress")
            order["shippingAddress"] = found.get("shippingAddress")
            order["refunds"] = found.get("refunds") or []
            order["fulfillmentOrders"] = found.get("fulfillmentOrders")
            for refund in order["refunds"]:
                _follow(client, refund.get("refundLineItems"), "RefundLinesPage", refund["id"],
                        ("node", "refundLineItems"))
            for fulfillment_order in (order["fulfillmentOrders"] or {}).get("nodes") or []:
                _follow(client, fulfillment_order.get("lineItems"), "FulfillmentOrderLinesPage",
                        fulfillment_order["id"], ("node", "lineItems"))
    if deleted:
        orders[:] = [order for order in orders if order not in deleted]
    return deleted


def _details_problem(data: dict, ids: list[str]) -> str | None:
    nodes = data.get("nodes") if isinstance(data, dict) else None
    if not isinstance(nodes, list) or len(nodes) != len(ids):
        return f"nodes holds {len(nodes) if isinstance(nodes, list) else 'no list'} of the {len(ids)} orders asked for"
    return None


def _read_alone(client: ShopifyClient, order_id: str) -> dict | None:
    """The details of one order, or None when Shopify no longer has it."""
    data = client.execute(document("OrderDetail"), {"id": order_id},
                          check=lambda d: None if isinstance(d, dict) and "order" in d else "order is missing").data
    return data["order"]


def _follow(client: ShopifyClient, connection: dict | None, document_name: str, owner_id: str,
            path: tuple[str, ...]) -> None:
    """Append the remaining pages of a nested connection to its first page, in place."""
    if not connection or not (connection.get("pageInfo") or {}).get("hasNextPage"):
        return
    after = connection["pageInfo"]["endCursor"]
    for nodes in client.pages(document(document_name), {"id": owner_id, "first": NESTED_PAGE, "after": after},
                              path):
        connection["nodes"].extend(nodes)
    connection["pageInfo"] = {"hasNextPage": False, "endCursor": None}


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
