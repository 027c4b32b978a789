"""The role center (A1, A2): tiles that count what needs attention, each linking to a list of exactly
those rows, for staff across every shop and for a merchant user within their own."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from connectors.shopify.models import ShopifyOrder
from merchants.models import Merchant, PostingMode
from syncjobs.companies.models import CompanyLink
from syncjobs.customers.models import CustomerLink
from syncjobs.daily.models import DailySyncDay, DayStatus
from syncjobs.documents.models import OrderDocument
from syncjobs.payments.models import PayoutReconciliation, ReconciliationState
from syncjobs.payments.reconciliation import reconcile_payouts
from syncjobs.products.models import ProductLink, VariantLink
from syncjobs.queue.models import RunStatus, SkippedRecord, SyncRun
from syncjobs.shipments.models import ShipmentFulfillment, ShipmentState
from tests.factories.merchants import MerchantFactory
from tests.factories.payments import order_part, payout, post_payout
from tests.factories.shopify import ShopifyOrderFactory
from tests.factories.syncjobs import SkippedRecordFactory, SyncRunFactory
from tests.factories.users import merchant_user

pytestmark = pytest.mark.django_db

START = dt.date(2026, 11, 1)


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.timezone.utc)


def orders(merchant, count, *, day=dt.date(2026, 11, 10), processed=False):
    return ShopifyOrderFactory.create_batch(count, merchant=merchant, processed_at=at(day), processed=processed)


@pytest.fixture
def shops():
    """EU: 3 orders awaiting the ledger (plus one posted and one from before its daily sync began),
    one open sync error (and one dismissed), a failing daily sync. US: 6 orders waiting, 2 errors,
    its daily sync turned off."""
    eu = MerchantFactory(code="EU", daily_sync_start_date=START)
    us = MerchantFactory(code="US", daily_sync_start_date=START, daily_sync_enabled=False)
    orders(eu, 3)
    orders(eu, 1, processed=True)
    orders(eu, 1, day=START - dt.timedelta(days=2))
    orders(us, 6)
    SyncRunFactory(merchant=eu, status=RunStatus.ERROR)
    SyncRunFactory(merchant=eu, status=RunStatus.ERROR, dismissed=True)
    succeeded = SyncRunFactory(merchant=eu, status=RunStatus.SUCCESS, started_at=timezone.now() - dt.timedelta(hours=1))
    SkippedRecordFactory.create_batch(2, run=succeeded)
    SkippedRecordFactory(run=SyncRunFactory(merchant=us, status=RunStatus.SUCCESS))
    SyncRunFactory.create_batch(2, merchant=us, status=RunStatus.ERROR)
    DailySyncDay.objects.create(merchant=eu, day=START, status=DayStatus.SYNCED)
    DailySyncDay.objects.create(merchant=eu, day=START + dt.timedelta(days=1), status=DayStatus.FAILED)
    # Customers matter only where orders become documents: EU's unmapped customer is not counted.
    documents = MerchantFactory(code="DOC", posting_mode=PostingMode.DOCUMENTS, daily_sync_start_date=START)
    for merchant, gid, number in ((documents, 1, ""), (documents, 2, ""), (documents, 3, "C00001"), (eu, 4, "")):
        CustomerLink.objects.create(merchant=merchant, shopify_gid=f"gid://shopify/Customer/{gid}", customer_no=number)
    # A company location's customer matters in every shop (its B2B orders, its catalog's prices).
    for merchant, gid, number in ((documents, 1, ""), (documents, 2, "C00001"), (eu, 3, "")):
        CompanyLink.objects.create(merchant=merchant, company_gid=f"gid://shopify/Company/{gid}",
                                   company_location_gid=f"gid://shopify/CompanyLocation/{gid}", customer_no=number)
    # Products likewise: DOC's one unmapped variant is counted, EU's is not.
    for merchant, gid, number in ((documents, 1, ""), (documents, 2, "LS-1"), (eu, 3, "")):
        product = ProductLink.objects.create(merchant=merchant, shopify_gid=f"gid://shopify/Product/{gid}")
        VariantLink.objects.create(merchant=merchant, product=product, item_no=number,
                                   shopify_gid=f"gid://shopify/ProductVariant/{gid}")
    # An order of DOC changed in Shopify after its document was made; another one was not.
    for number, conflict in ((1, "the quantity grew on 1 line"), (2, "")):
        OrderDocument.objects.create(merchant=documents, order=ShopifyOrderFactory(merchant=documents, processed=True),
                                     shopify_order_id=f"gid://shopify/Order/{number}", kind="order",
                                     document_no=f"SO{number}", conflict=conflict)
    # DOC's posted shipments: one not sent to Shopify yet, one a shipment error, one fulfilled.
    for number, state in ((1, ShipmentState.UNPROCESSED), (2, ShipmentState.ERROR), (3, ShipmentState.FULFILLED)):
        ShipmentFulfillment.objects.create(merchant=documents, shipment_no=f"PSS{number}", state=state,
                                           shopify_order_id=f"gid://shopify/Order/{number}", posting_date=START)
    # Payouts: EU's parts do not sum to its net (flagged at once) and another reconciles; US's paid one
    # still waits for a part five days after its issue (flagged), its newer one waits without a flag.
    now = timezone.now()
    for merchant, net, days_ago, posted in ((eu, "130.00", 1, True), (eu, "96.80", 1, True),
                                            (us, "96.80", 5, False), (us, "96.80", 1, False)):
        paid = payout(merchant, net, issued_at=now - dt.timedelta(days=days_ago))
        order_part(paid, amount="100.00", fee="3.20", posted_in="J1" if posted else "")
        post_payout(paid, "J2")
        reconcile_payouts(merchant=merchant)
    return eu, us


def tiles_on_role_center(client) -> dict[str, tuple[str, str, str]]:
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return {t.tile.key: (t.shown, t.colour, t.url) for t in response.context["tiles"]}


def rows_listed(client, url) -> set:
    response = client.get(url)
    assert response.status_code == 200
    return {row.pk for row in response.context["cl"].result_list}


def test_staff_see_every_shops_counts_coloured_by_how_many(shops, superuser, login):
    tiles = tiles_on_role_center(login(superuser))

    assert {key: tile[:2] for key, tile in tiles.items()} == {
        "unmapped_customers": ("2", "amber"),
        "unmapped_companies": ("2", "amber"),
        "unmapped_products": ("1", "amber"),
        "unprocessed_orders": ("9", "red"),
        "unprocessed_order_updates": ("1", "amber"),
        "unprocessed_shipments": ("1", "amber"),
        "shipment_errors": ("1", "amber"),
        "payouts_not_reconciled": ("2", "amber"),
        "sync_errors": ("3", "amber"),
        "skipped_records": ("3", "amber"),
        "daily_syncs_failing": ("1", "amber"),
        "daily_syncs_disabled": ("1", "amber"),
    }


def test_a_merchant_user_sees_their_shops_counts_only(shops, client, login):
    eu, _ = shops
    tiles = tiles_on_role_center(login(merchant_user(eu)))

    assert {key: tile[:2] for key, tile in tiles.items()} == {
        "unmapped_customers": ("0", "green"),
        "unmapped_companies": ("1", "amber"),
        "unmapped_products": ("0", "green"),
        "unprocessed_orders": ("3", "amber"),
        "unprocessed_order_updates": ("0", "green"),
        "unprocessed_shipments": ("0", "green"),
        "shipment_errors": ("0", "green"),
        "payouts_not_reconciled": ("1", "amber"),
        "sync_errors": ("1", "amber"),
        "skipped_records": ("2", "amber"),
        "daily_syncs_failing": ("1", "amber"),
        "daily_syncs_disabled": ("0", "green"),
    }


@pytest.mark.parametrize("who", ["staff", "merchant user"])
def test_each_tile_links_to_a_list_of_exactly_the_rows_it_counts(shops, superuser, login, who):
    eu, us = shops
    client = login(superuser if who == "staff" else merchant_user(eu))
    tiles = tiles_on_role_center(client)
    mine = list(Merchant.objects.all()) if who == "staff" else [eu]
    expected = {
        "unmapped_customers": set(CustomerLink.objects.filter(
            merchant__in=mine, merchant__posting_mode=PostingMode.DOCUMENTS, customer_no="")
            .values_list("pk", flat=True)),
        "unmapped_companies": set(CompanyLink.objects.filter(merchant__in=mine, customer_no="")
                                  .values_list("pk", flat=True)),
        "unmapped_products": set(VariantLink.objects.filter(
            merchant__in=mine, merchant__posting_mode=PostingMode.DOCUMENTS, item_no="").values_list("pk", flat=True)),
        "unprocessed_orders": set(ShopifyOrder.objects.filter(
            merchant__in=mine, processed=False, processed_at__gte=at(START, 0)).values_list("pk", flat=True)),
        "unprocessed_order_updates": set(OrderDocument.objects.filter(merchant__in=mine).exclude(conflict="")
                                         .values_list("pk", flat=True)),
        "sync_errors": set(SyncRun.objects.filter(merchant__in=mine, status=RunStatus.ERROR, dismissed=False)
                           .values_list("pk", flat=True)),
        "unprocessed_shipments": set(ShipmentFulfillment.objects.filter(
            merchant__in=mine, state=ShipmentState.UNPROCESSED).values_list("pk", flat=True)),
        "shipment_errors": set(ShipmentFulfillment.objects.filter(merchant__in=mine, state=ShipmentState.ERROR)
                               .values_list("pk", flat=True)),
        "skipped_records": set(SkippedRecord.objects.filter(merchant__in=mine).values_list("pk", flat=True)),
        "payouts_not_reconciled": set(PayoutReconciliation.objects.filter(  # a difference, or paid and waiting 3 days
            merchant__in=mine, state=ReconciliationState.DIFFERENCE).values_list("payout_id", flat=True)) | set(
            PayoutReconciliation.objects.filter(merchant__in=mine, state=ReconciliationState.WAITING,
                                                payout__issued_at__lt=timezone.now() - dt.timedelta(days=3))
            .values_list("payout_id", flat=True)),
        "daily_syncs_failing": {eu.pk},
        "daily_syncs_disabled": {us.pk} if who == "staff" else set(),
    }

    for key, (shown, _, url) in tiles.items():
        assert rows_listed(client, url) == expected[key], key
        assert int(shown) == len(expected[key]), key


def test_counts_stop_at_a_hundred(superuser, login):
    merchant = MerchantFactory(posting_mode=PostingMode.DOCUMENTS)
    ShopifyOrder.objects.bulk_create(ShopifyOrderFactory.build_batch(150, merchant=merchant))

    shown, colour, _ = tiles_on_role_center(login(superuser))["unprocessed_orders"]

    assert (shown, colour) == ("99+", "red")


def test_dismissed_errors_leave_the_count(shops, superuser, login):
    client = login(superuser)
    open_errors = SyncRun.objects.filter(status=RunStatus.ERROR, dismissed=False)

    response = client.post(reverse("admin:syncjobs_syncrun_changelist"), {
        "action": "dismiss_errors", "_selected_action": list(open_errors.values_list("pk", flat=True)[:2])})

    assert response.status_code == 302
    assert tiles_on_role_center(client)["sync_errors"][:2] == ("1", "amber")


def test_a_merchant_user_dismisses_their_own_errors_but_not_another_shops(shops, client, login):
    eu, us = shops
    errors = SyncRun.objects.filter(status=RunStatus.ERROR, dismissed=False)
    login(merchant_user(eu)).post(reverse("admin:syncjobs_syncrun_changelist"), {
        "action": "dismiss_errors", "_selected_action": list(errors.values_list("pk", flat=True))})

    assert not errors.filter(merchant=eu).exists()
    assert errors.filter(merchant=us).count() == 2


def test_beside_the_tiles_the_calendar_and_latest_runs_of_the_users_shops(shops, client, login):
    eu, us = shops
    page = login(merchant_user(eu)).get(reverse("admin:index"))

    assert [c.merchant for c in page.context["calendars"]] == [eu]
    assert {run.merchant for run in page.context["latest_runs"]} == {eu}
    html = page.content.decode()
    assert "Daily sync, last weeks" in html and "Latest runs" in html


def test_a_shop_disabled_by_an_uninstall_is_named_on_the_role_center(shops, superuser, login):
    _, us = shops
    us.is_enabled, us.disabled_reason = False, "the app was uninstalled from us.myshopify.com"
    us.save()

    html = login(superuser).get(reverse("admin:index")).content.decode()

    assert "US</a> is disabled: the app was uninstalled from us.myshopify.com" in html


def test_an_error_a_later_success_of_the_same_report_and_shop_superseded_stops_counting(superuser, login):
    eu, us = MerchantFactory(), MerchantFactory()
    earlier = timezone.now() - dt.timedelta(hours=2)
    fixed = SyncRunFactory(merchant=eu, report_number=30104, status=RunStatus.ERROR, started_at=earlier)
    SyncRunFactory(merchant=eu, report_number=30104, status=RunStatus.SUCCESS)
    other_report = SyncRunFactory(merchant=eu, report_number=1, status=RunStatus.ERROR, started_at=earlier)
    other_shop = SyncRunFactory(merchant=us, report_number=30104, status=RunStatus.ERROR, started_at=earlier)
    client = login(superuser)

    shown, _, url = tiles_on_role_center(client)["sync_errors"]

    assert shown == "2"
    assert rows_listed(client, url) == {other_report.pk, other_shop.pk}
    assert fixed.pk not in rows_listed(client, url)


def test_todays_orders_are_not_unprocessed_yet_their_day_has_not_ended(superuser, login):
    merchant = MerchantFactory(daily_sync_start_date=START, time_zone="Pacific/Kiritimati")   # UTC+14
    today = timezone.localtime(timezone.now(), dt.timezone(dt.timedelta(hours=14))).date()
    ShopifyOrderFactory(merchant=merchant, processed_at=timezone.now())
    yesterday = ShopifyOrderFactory(merchant=merchant, processed_at=dt.datetime.combine(
        today, dt.time(0), tzinfo=dt.timezone(dt.timedelta(hours=14))) - dt.timedelta(minutes=1))
    client = login(superuser)

    shown, _, url = tiles_on_role_center(client)["unprocessed_orders"]

    assert rows_listed(client, url) == {yesterday.pk} and shown == "1"


def test_a_disabled_daily_sync_with_failed_days_is_also_failing(superuser, login):
    merchant = MerchantFactory(daily_sync_enabled=False, daily_sync_disabled_reason="31 days failed")
    DailySyncDay.objects.create(merchant=merchant, day=START, status=DayStatus.FAILED)
    client = login(superuser)

    tiles = tiles_on_role_center(client)

    assert tiles["daily_syncs_failing"][0] == tiles["daily_syncs_disabled"][0] == "1"
