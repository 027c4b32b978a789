"""30102 Sync Inventory over HTTP against the simulator, after Business Central's inventory tests: the
ledger's stock reaches Shopify at the locations that sync it, a second run sends nothing, a sale in
Shopify between our read and our write is retried and then reported, negative stock goes as 0, the
request page skips the import or names variants, a fulfillment service's location is never written,
and faults end with every quantity set once."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from connectors.ledger.models import Location
from connectors.ledger.records import StockEntry, StockKey
from connectors.ledger.target import target_for
from connectors.shopify.client import ClientSettings, ShopifyClient
from syncjobs.inventory.locations import refresh_shop_locations
from syncjobs.inventory.models import ShopLocation, StockCalculation
from syncjobs.inventory.sync import mapped_variants, sync_inventory
from syncjobs.products.sync import sync_products
from syncjobs.queue.execution import run_now
from syncjobs.queue.models import RunTrigger, SkippedRecord, SyncRun
from tests.factories.merchants import MerchantFactory
from tests.fixtures.shopify_simulator import RANDOM_FAULTS, RecordingSession

FAST = ClientSettings(connect_timeout=5, read_timeout=15, max_attempts=8, backoff_base=0.01, backoff_cap=0.05)


@pytest.fixture
def merchant(db, simulator, shop):
    """A shop whose Shopify products became ledger items (Sync products, auto-create on), whose
    primary Shopify location shows the available stock of the ledger location MAIN."""
    merchant = MerchantFactory(shop_domain=shop.domain, api_base_url=simulator.base_url,
                               access_token=shop.access_token, time_zone=shop.profile.time_zone,
                               shop_currency=shop.profile.currency, auto_create_unknown_items=True,
                               sync_item_direction="from_shopify")
    Location.objects.create(merchant=merchant, code="MAIN", name="Main warehouse")
    sync_products(merchant)
    refresh_shop_locations(merchant, ShopifyClient.for_merchant(merchant))
    ShopLocation.objects.filter(merchant=merchant, location__shopify_gid=shop.profile.locations[0].gid).update(
        stock_calculation=StockCalculation.AVAILABLE, ledger_locations="MAIN")
    return merchant


@pytest.fixture
def primary(shop) -> str:
    return shop.profile.locations[0].gid


@pytest.fixture
def variants(merchant, shop, primary):
    """Three mapped variants Shopify tracks and stocks at the primary location."""
    stocked = [v for v in mapped_variants(merchant)
               if v.tracked and shop.inventory.level(_number(v.inventory_item_gid), primary) is not None]
    assert len(stocked) >= 3
    return stocked[:3]


def _number(gid: str) -> int:
    return int(gid.rsplit("/", 1)[1])


def shopify_available(shop, variant, location: str) -> int:
    return shop.inventory.level(_number(variant.inventory_item_gid), location).available


def post(merchant, variant, quantity: int, location: str = "MAIN") -> None:
    target_for(merchant).post_stock(merchant, [StockEntry(
        StockKey(variant.item_no, variant.variant_code, location), Decimal(quantity),
        "positive_adjustment" if quantity > 0 else "negative_adjustment", date(2025, 3, 1))])


def run_30102(merchant, **parameters) -> SyncRun:
    return run_now(merchant=merchant, report_number=30102, raw_parameters=parameters, user=None,
                   trigger=RunTrigger.FOREGROUND)


def recording_client(merchant, settings=FAST) -> tuple[ShopifyClient, RecordingSession]:
    session = RecordingSession()
    return ShopifyClient.for_merchant(merchant, client_settings=settings, session=session), session


def test_stock_posted_in_the_ledger_reaches_shopify_and_a_second_run_sends_nothing(merchant, shop, primary,
                                                                                  variants):
    # given
    post(merchant, variants[0], 7)
    post(merchant, variants[1], 12)
    # when
    run = run_30102(merchant)
    client, session = recording_client(merchant)
    again = sync_inventory(merchant, target=target_for(merchant), client=client)
    # then
    assert run.status == "success", run.message
    assert [shopify_available(shop, v, primary) for v in variants] == [7, 12, 0]
    assert run.total == run.read == len([v for v in mapped_variants(merchant) if v.tracked])   # 1 location
    assert (again.updated, again.skipped) == (0, 0) and "InventorySetQuantities" not in session.sent
    secondary = shop.profile.locations[1].gid
    assert all(shop.inventory.level(_number(v.inventory_item_gid), secondary) is None
               or shop.inventory.level(_number(v.inventory_item_gid), secondary).available != 7
               for v in variants[:1])   # the other location does not sync stock: left as Shopify had it


def test_a_sale_in_shopify_between_read_and_write_is_retried_then_reported_with_both_quantities(
        merchant, shop, shopify, primary, variants):
    # given: the ledger holds 10; Shopify sells one just before each of our next two writes
    post(merchant, variants[0], 10)
    run_30102(merchant)
    post(merchant, variants[0], 5)
    shopify.control("POST", "inventory/drift", shop=shop.domain,
                    inventory_item_id=_number(variants[0].inventory_item_gid), location_id=primary.rsplit("/", 1)[1],
                    delta=-1, times=2)
    # when
    run = run_30102(merchant, skip_import=True)
    # then: not overwritten blindly: reported, naming the ledger's 15 and Shopify's 8
    assert run.status == "success" and run.skipped == 1, run.message
    (skipped,) = SkippedRecord.objects.filter(run=run)
    assert variants[0].name in skipped.record and "15" in skipped.reason and "8" in skipped.reason
    assert shopify_available(shop, variants[0], primary) == 8
    # and a single sale is only retried
    shopify.control("POST", "inventory/drift", shop=shop.domain,
                    inventory_item_id=_number(variants[0].inventory_item_gid), location_id=primary.rsplit("/", 1)[1],
                    delta=-1, times=1)
    retried = run_30102(merchant, skip_import=True)
    assert (retried.updated, retried.skipped) == (1, 0) and shopify_available(shop, variants[0], primary) == 15


def test_negative_ledger_stock_is_sent_as_zero(merchant, shop, primary, variants):
    post(merchant, variants[0], 4)
    post(merchant, variants[0], -9)
    run = run_30102(merchant)
    assert shopify_available(shop, variants[0], primary) == 0
    assert "1 negative ledger stock sent as 0" in run.log


def test_skip_import_reads_nothing_first_and_still_catches_a_changed_level(merchant, shop, shopify, primary,
                                                                            variants):
    # given: a first run; then Shopify's level changes and the ledger's too
    post(merchant, variants[0], 3)
    run_30102(merchant)
    shopify.control("POST", "inventory/set", shop=shop.domain,
                    inventory_item_id=_number(variants[0].inventory_item_gid), location_id=primary.rsplit("/", 1)[1],
                    available=40)
    post(merchant, variants[0], 2)
    client, session = recording_client(merchant)
    # when
    counts = sync_inventory(merchant, target=target_for(merchant), client=client, skip_import=True)
    # then: the locations, then the write; only the write's stale answer made it read that one level again
    assert session.sent[:2] == ["Locations", "InventorySetQuantities"]
    assert not {"InventoryLevelsAtLocation", "InventoryLevelsBulkExport"} & set(session.sent)
    assert counts.updated == 1 and shopify_available(shop, variants[0], primary) == 5


def test_the_variant_filter_sends_only_the_variants_named(merchant, shop, primary, variants):
    # given
    run_30102(merchant)
    post(merchant, variants[0], 6)
    post(merchant, variants[1], 9)
    # when
    run = run_30102(merchant, variants=variants[1].gid.rsplit("/", 1)[1])
    # then
    assert (run.read, run.updated) == (1, 1), run.message
    assert [shopify_available(shop, v, primary) for v in variants[:2]] == [0, 9]


def test_a_fulfillment_service_location_is_never_written(merchant, shop, primary, variants):
    # given: someone forced a stock calculation onto the service's location
    service = shop.profile.fulfillment_service_location.gid
    ShopLocation.objects.filter(merchant=merchant, location__shopify_gid=service).update(
        stock_calculation=StockCalculation.ON_HAND, ledger_locations="MAIN")
    before = {v.gid: shop.inventory.level(_number(v.inventory_item_gid), service) for v in variants}
    post(merchant, variants[0], 5)
    # when
    run = run_30102(merchant)
    # then
    assert run.status == "success"
    assert "is a fulfillment service's location: its stock is the service's to report" in run.log
    after = {v.gid: shop.inventory.level(_number(v.inventory_item_gid), service) for v in variants}
    assert [getattr(level, "available", None) for level in after.values()] == [
        getattr(level, "available", None) for level in before.values()]


def test_no_location_syncing_stock_is_nothing_to_do_and_says_so(merchant):
    ShopLocation.objects.filter(merchant=merchant).update(stock_calculation=StockCalculation.DISABLED)
    run = run_30102(merchant)
    assert run.status == "success" and "no Shopify location of the shop syncs stock" in run.message




@pytest.mark.parametrize("kind, rule", RANDOM_FAULTS)
def test_faults_still_end_with_every_quantity_set_once(merchant, shop, primary, variants, kind, rule, monkeypatch):
    # given
    monkeypatch.setattr("connectors.shopify.pacing.CostPacer.throttle_delay", lambda self, requested: 0.01)
    for n, variant in enumerate(variants):
        post(merchant, variant, 5 + n)
    client = ShopifyClient.for_merchant(merchant, client_settings=ClientSettings(
        read_timeout=0.25 if kind == "slow" else 15, max_attempts=8, backoff_base=0.01, backoff_cap=0.05))
    shop.faults.set(kind, **rule)
    # when: runs until one gets through, faults and all
    for _ in range(6):
        try:
            sync_inventory(merchant, target=target_for(merchant), client=client)
            break
        except Exception:   # noqa: BLE001  (given up on: the next run starts again)
            continue
    shop.faults.clear()
    last = sync_inventory(merchant, target=target_for(merchant))
    # then: set, never added
    assert shop.faults.suffered.get(kind)
    assert [shopify_available(shop, v, primary) for v in variants] == [5, 6, 7]
    assert last.updated == 0


def test_the_shop_locations_list_refuses_what_the_page_refuses(merchant, shop, superuser, login):
    """Edited in the list: a fulfillment service's location gets no stock calculation, and ledger
    locations must be the books' ones; nothing of a refused row is stored."""
    rows = list(ShopLocation.objects.filter(merchant=merchant).order_by("pk"))
    service = shop.profile.fulfillment_service_location.gid
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(len(rows)), "_save": "Save"}
    for n, row in enumerate(rows):
        is_service = row.location.shopify_gid == service
        data |= {f"form-{n}-id": str(row.pk),
                 f"form-{n}-stock_calculation": "available" if is_service else row.stock_calculation,
                 f"form-{n}-ledger_locations": "MAIN" if is_service else "MAIN, NOPE"}
    response = login(superuser).post(reverse("admin:inventory_sync_shoplocation_changelist"), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "is a fulfillment service&#x27;s location" in text and "the books hold no location NOPE" in text
    assert list(ShopLocation.objects.filter(merchant=merchant).order_by("pk").values_list(
        "stock_calculation", "ledger_locations")) == [(row.stock_calculation, row.ledger_locations) for row in rows]
