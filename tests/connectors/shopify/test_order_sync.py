"""Report 30104's import against the simulator: complete, idempotent, incremental, fault-tolerant."""
import dataclasses
import datetime as dt
import threading
import time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import requests
from django.db import connection
from django.test.utils import CaptureQueriesContext

from connectors.shopify.bulk import BulkOperationBusy, start_bulk_export
from connectors.shopify.client import ClientSettings, ShopifyClient
from connectors.shopify.documents import Document, document
from connectors.shopify.errors import BulkOperationFailed, ShopifyAuthError, ShopifyGaveUp
from connectors.shopify.importers.orders import import_orders
from connectors.shopify.models import ImportState, ShopifyOrder, ShopifyOrderLine, ShopifyTransaction
from connectors.shopify.order_sync import ORDERS_PER_PAGE, OrderFilters, complete_orders, sync_orders
from shopify_simulator.store.orders import WORKED_EXAMPLE_NUMBER, big_order_number
from tests.factories.merchants import MerchantFactory

# Quick retries, and a read timeout no busy machine reaches by accident: only the slow-answer test
# shortens it, below the delay it injects, and still leaves a normal answer seconds to arrive.
FAST = ClientSettings(connect_timeout=5, read_timeout=15, max_attempts=5, backoff_base=0.01, backoff_cap=0.05,
                      bulk_poll_min=0.05, bulk_poll_max=0.2)
SLOW_ANSWER_SECONDS = 6
IMPATIENT = dataclasses.replace(FAST, read_timeout=3)



def run(merchant, bulk_threshold=10_000, client_settings=FAST, **filters):
    client = ShopifyClient.for_merchant(merchant, client_settings=client_settings)
    return sync_orders(merchant=merchant, filters=OrderFilters(**filters), client=client,
                       bulk_threshold=bulk_threshold)


def snapshot(merchant) -> dict:
    """What was imported, order by order, in a form two imports can be compared by."""
    orders = ShopifyOrder.objects.filter(merchant=merchant).prefetch_related(
        "shopifyorderline_set__tax_lines", "shopifytransaction_set", "shopifyrefund_set__lines",
        "shopifyfulfillmentorder_set__lines", "shopifyshippingline_set")
    return {
        o.shopify_gid: (
            o.total, o.financial_status,
            sorted((line.shopify_gid, line.quantity, line.unit_price, line.discount,
                    sum(t.amount for t in line.tax_lines.all())) for line in o.shopifyorderline_set.all()),
            sorted((t.shopify_gid, t.kind, t.amount, t.fee, t.refund_id is not None)
                   for t in o.shopifytransaction_set.all()),
            sorted((r.shopify_gid, r.total_refunded, sorted((x.line_gid, x.quantity) for x in r.lines.all()))
                   for r in o.shopifyrefund_set.all()),
            sorted((f.shopify_gid, f.status, len(f.lines.all())) for f in o.shopifyfulfillmentorder_set.all()),
            sorted((s.shopify_gid, s.price) for s in o.shopifyshippingline_set.all()),
        )
        for o in orders
    }


def test_the_first_import_reads_every_order_whole(merchant, shop):
    counts = run(merchant)

    assert (counts.read, counts.created, counts.failed) == (shop.total_orders, shop.total_orders, 0)
    assert ShopifyOrder.objects.filter(merchant=merchant).count() == shop.total_orders
    big = ShopifyOrder.objects.get(merchant=merchant, shopify_gid=shop.generator.order_gid(
        big_order_number(shop.total_orders)))
    assert ShopifyOrderLine.objects.filter(order=big).count() == 300


def test_the_worked_example_arrives_with_its_money(merchant, shop):
    run(merchant)

    order = ShopifyOrder.objects.get(merchant=merchant, shopify_gid=shop.generator.order_gid(WORKED_EXAMPLE_NUMBER))
    line = ShopifyOrderLine.objects.get(order=order)
    sale = ShopifyTransaction.objects.get(order=order, kind="SALE")
    assert (line.quantity, line.unit_price, line.discount) == (2, Decimal("60.00"), Decimal("12.00"))
    assert sum(t.amount for t in line.tax_lines.all()) == Decimal("18.00")
    assert (order.total_shipping, order.total_tip, order.total) == (Decimal("6.00"), Decimal("5.00"),
                                                                     Decimal("119.00"))
    assert (sale.amount, sale.fee, sale.gateway) == (Decimal("119.00"), Decimal("2.00"), "shopify_payments")


def test_a_second_run_changes_nothing_and_a_changed_order_is_updated(merchant, shop, simulator):
    run(merchant)
    again = run(merchant)
    some = shop.generator.order_gid(10)
    requests.post(f"{simulator.base_url}/_simulator/orders/update", json={"id": some, "note": "gift"}, timeout=5)
    after_change = run(merchant)

    assert (again.created, again.updated, again.failed) == (0, 0, 0)
    assert (after_change.created, after_change.updated) == (0, 1)
    assert after_change.skipped == after_change.read - 1  # the overlap re-reads recent orders


def test_a_filtered_run_leaves_the_watermark_alone(merchant):
    counts = run(merchant, financial_status="paid")

    assert counts.read > 0
    assert ImportState.objects.get(merchant=merchant).watermark is None
    assert set(ShopifyOrder.objects.values_list("financial_status", flat=True)) == {"PAID"}


def test_an_order_number_filter_reads_that_order_again_though_it_did_not_change(merchant):
    run(merchant)
    ShopifyOrder.objects.filter(name="#1001").delete()   # say the bookkeeper wants it read again

    counts = run(merchant, order_no="#1001")

    assert (counts.read, counts.created) == (1, 1)
    assert ShopifyOrder.objects.filter(name="#1001").exists()


def test_a_date_filter_takes_whole_days_in_the_shops_time_zone(merchant):
    """Orders created from 00:00 to 23:59 shop time on the chosen days, whatever UTC says."""
    zone = ZoneInfo(merchant.time_zone)
    created = sorted(o["createdAt"] for o in _all_orders(merchant))
    # A day holding an order whose UTC date is another day: a bare date read as UTC would miss it.
    day = next(local.date() for c in created
               if (local := dt.datetime.fromisoformat(c.replace("Z", "+00:00")).astimezone(zone)).date()
               != dt.datetime.fromisoformat(c.replace("Z", "+00:00")).date())

    run(merchant, created_from=day, created_to=day)

    local_days = {o.astimezone(zone).date() for o in ShopifyOrder.objects.values_list("created_at", flat=True)}
    assert local_days == {day}
    expected = sum(1 for c in created
                   if dt.datetime.fromisoformat(c.replace("Z", "+00:00")).astimezone(zone).date() == day)
    assert ShopifyOrder.objects.count() == expected


def _all_orders(merchant) -> list[dict]:
    client = ShopifyClient.for_merchant(merchant, client_settings=FAST)
    query = Document("AllOrderDates", "query AllOrderDates($first: Int!, $after: String) { orders(first: $first, "
                     "after: $after) { nodes { createdAt } pageInfo { hasNextPage endCursor } } }")
    return [node for page in client.pages(query, {"first": 250}, ("orders",)) for node in page]


def test_search_dates_are_the_utc_instants_the_shops_days_start_at():
    filters = OrderFilters(created_from=dt.date(2025, 3, 10), created_to=dt.date(2025, 3, 10))

    assert filters.search_terms(ZoneInfo("Europe/Paris")) == [
        "created_at:>='2025-03-09T23:00:00Z'", "created_at:<'2025-03-10T23:00:00Z'"]


@pytest.mark.parametrize("kind, rule", [
    ("throttle", {"probability": 0.3}),
    ("server_error", {"probability": 0.2}),
    ("drop", {"probability": 0.1}),
    ("slow", {"next_requests": 1, "seconds": SLOW_ANSWER_SECONDS}),
    ("malformed", {"probability": 0.1}),
    ("empty", {"probability": 0.2}),
    ("null_nodes", {"probability": 0.5}),
])
def test_faults_still_end_in_a_complete_import(merchant, shop, kind, rule, monkeypatch):
    monkeypatch.setattr("connectors.shopify.pacing.CostPacer.throttle_delay", lambda self, requested: 0.01)
    shop.faults.set(kind, **rule)

    counts = run(merchant, client_settings=IMPATIENT if kind == "slow" else FAST)

    assert (counts.created, counts.failed) == (shop.total_orders, 0)


def test_a_rejected_token_fails_fast_and_imports_nothing(merchant):
    merchant.access_token = "shpat_revoked"
    merchant.save()

    with pytest.raises(ShopifyAuthError, match="the access token was rejected"):
        run(merchant)
    assert not ShopifyOrder.objects.exists()


def test_an_unreadable_order_fails_alone_with_its_reason(db):
    merchant = MerchantFactory()
    good = {"id": "gid://shopify/Order/1", "legacyResourceId": "1", "name": "#1001",
            "createdAt": "2025-03-09T10:00:00Z",
            "updatedAt": "2025-03-09T10:01:00Z", "currencyCode": "EUR",
            "totalPriceSet": {"shopMoney": {"amount": "10.00"}}}
    bad = {**good, "id": "gid://shopify/Order/2", "legacyResourceId": "2",
           "totalPriceSet": {"shopMoney": {"amount": "ten"}}}

    counts = import_orders(merchant=merchant, payloads=[good, bad])

    assert (counts.created, counts.failed) == (1, 1)
    assert counts.errors[0].shopify_id == "gid://shopify/Order/2"
    assert "not a number" in counts.errors[0].reason


def collect_orders(merchant, count: int) -> list[dict]:
    client = ShopifyClient.for_merchant(merchant, client_settings=FAST)
    orders: list[dict] = []
    for page in client.pages(document("OrdersUpdatedSince"), {"first": ORDERS_PER_PAGE}, ("orders",)):
        complete_orders(client, page)
        orders += page
        if len(orders) >= count:
            return orders[:count]
    return orders


def test_queries_per_batch_do_not_grow_with_the_batch(merchant):
    """The same small number of queries for a batch of 3 orders and for 40, new or changed."""
    orders = collect_orders(merchant, 43)
    changed = [{**o, "updatedAt": "2030-01-01T00:00:00Z"} for o in orders]
    counted = []
    for batch in (orders[:3], orders[3:], changed[:3], changed[3:]):
        with CaptureQueriesContext(connection) as queries:
            import_orders(merchant=merchant, payloads=batch)
        counted.append(len(queries))

    assert counted[0] >= counted[1] - 2 and counted[2] >= counted[3] - 2, counted  # same for 3 and for 40
    assert max(counted) <= 36, counted   # reads, then an id reservation and an insert per table


def test_a_bulk_first_import_brings_the_same_orders_as_paging(merchant, shop, db):
    bulk = run(merchant, bulk_threshold=0)
    by_bulk = snapshot(merchant)
    ShopifyOrder.objects.all().delete()
    ImportState.objects.all().delete()
    run(merchant)
    by_pages = snapshot(merchant)

    assert (bulk.created, bulk.failed) == (shop.total_orders, 0)
    assert by_bulk == by_pages
    assert ImportState.objects.get(merchant=merchant).watermark is not None


def test_an_interrupted_bulk_import_resumes_the_same_export(merchant, shop):

    client = ShopifyClient.for_merchant(merchant, client_settings=FAST)
    gid = start_bulk_export(client, document("OrdersBulkExport"))  # ... and then the worker died
    ImportState.objects.create(merchant=merchant, kind=ImportState.Kind.ORDERS, bulk_operation_gid=gid,
                               bulk_operation_status="RUNNING", bulk_started_at="2025-03-12T00:00:00Z")

    counts = run(merchant, bulk_threshold=0)

    assert counts.created == shop.total_orders
    assert list(shop.bulk_operations) == [gid]
    state = ImportState.objects.get(merchant=merchant)
    assert (state.bulk_operation_gid, state.bulk_operation_status) == ("", "")


def test_a_bulk_export_shopify_lost_is_restarted_next_time(merchant, shop):

    ImportState.objects.create(merchant=merchant, kind=ImportState.Kind.ORDERS,
                               bulk_operation_gid="gid://shopify/BulkOperation/1", bulk_operation_status="RUNNING")

    with pytest.raises(BulkOperationFailed, match="ended expired"):
        run(merchant, bulk_threshold=0)
    counts = run(merchant, bulk_threshold=0)

    assert counts.created == shop.total_orders


def test_an_empty_answer_fails_the_run_and_keeps_the_watermark(merchant, shop):
    """HTTP 200 with {"data": {}} is an answer that cannot be read, never the end of the orders."""
    run(merchant)
    watermark = ImportState.objects.get(merchant=merchant).watermark
    shop.faults.set("empty", probability=1.0)

    with pytest.raises(ShopifyGaveUp, match="incomplete: orders is missing"):
        run(merchant)

    assert ImportState.objects.get(merchant=merchant).watermark == watermark


def test_details_answering_null_nodes_never_import_an_order_without_its_refunds(merchant, shop):
    """Every nodes(ids:) answer null: each order is read alone, and arrives whole."""
    run(merchant)
    whole = snapshot(merchant)
    ShopifyOrder.objects.all().delete()
    ImportState.objects.all().delete()
    shop.faults.set("null_nodes", probability=1.0)

    counts = run(merchant)

    assert (counts.created, counts.failed) == (shop.total_orders, 0)
    assert snapshot(merchant) == whole


def test_an_order_deleted_in_shopify_is_skipped_with_its_reason_and_the_import_goes_on(merchant, shop, simulator):
    page = collect_orders(merchant, 3)
    gone = page[1]
    requests.post(f"{simulator.base_url}/_simulator/orders/delete", json={"shop": shop.domain, "id": gone["id"]},
                  timeout=5)
    client = ShopifyClient.for_merchant(merchant, client_settings=FAST)
    for order in page:   # as the page was read: its details are still to come
        order.pop("refunds", None)

    deleted = complete_orders(client, page)

    assert [o["id"] for o in deleted] == [gone["id"]]
    assert gone["id"] not in [o["id"] for o in page] and len(page) == 2
    assert all("refunds" in o for o in page)


def test_a_bulk_export_whose_start_answer_was_lost_is_adopted_not_thrown_away(merchant, shop, simulator):
    """After a read timeout the start is retried and Shopify says an export is in progress: ours."""

    simulator.bulk_start_delay = 5   # the export stays in progress for the whole test
    client = ShopifyClient.for_merchant(merchant, client_settings=FAST)
    export = document("OrdersBulkExport")
    started = start_bulk_export(client, export)   # the call whose answer never arrived

    assert start_bulk_export(client, export) == started
    assert len(shop.bulk_operations) == 1
    with pytest.raises(BulkOperationBusy):
        start_bulk_export(client, Document("OtherExport", "{ orders { edges { node { id } } } }"))


def test_a_bulk_export_that_ended_while_its_start_was_retried_is_adopted(merchant, shop, simulator):
    """The retried start hears "in progress"; by the time the current operation is read, it has ended."""
    simulator.bulk_start_delay = 30   # it ends when the test says so
    client = ShopifyClient.for_merchant(merchant, client_settings=FAST)
    export = document("OrdersBulkExport")
    started = start_bulk_export(client, export)   # the call whose answer never arrived
    shop.faults.set("slow", next_requests=2, seconds=0.5)

    def end_it_while_the_lookup_waits():
        # The second slowed request is the lookup: it was drawn once the counter reaches 0.
        deadline = time.monotonic() + 10
        while shop.faults.rules["slow"].next_requests and time.monotonic() < deadline:
            time.sleep(0.01)
        shop.bulk_operations[started].status = "COMPLETED"

    ender = threading.Thread(target=end_it_while_the_lookup_waits)
    ender.start()
    adopted = start_bulk_export(client, export)
    ender.join()

    assert adopted == started and len(shop.bulk_operations) == 1


def test_an_order_number_filter_is_one_value_whatever_it_holds(merchant, shop):
    """A pasted `#1001' OR name:'#1002` once widened the filter to other orders."""
    single = run(merchant, order_no="#1001")
    widened = run(merchant, order_no="#1001' OR name:'#1002")

    assert single.read == 1
    assert widened.read == 0


def test_a_created_to_on_the_last_day_there_is_means_no_upper_bound(merchant, shop):

    counts = run(merchant, created_to=dt.date(9999, 12, 31))

    assert counts.read == shop.total_orders
