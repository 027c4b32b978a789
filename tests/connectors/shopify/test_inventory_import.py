"""The import of Shopify's stock over HTTP against the simulator: every level of the asked locations
(page by page, or through one bulk export for a large shop), or just the items asked for, by id;
a level Shopify no longer holds forgotten; a later webhook's report kept; a fixed number of queries
per batch; and an answer that cannot be read asked again, never taken for "no more levels"."""
from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from connectors.shopify import inventory_reads
from connectors.shopify.client import ClientSettings, ShopifyClient
from connectors.shopify.inventory import import_inventory_levels
from connectors.shopify.models import ShopifyInventoryLevel

# What is held, then the upsert in a savepoint: 500 rows a statement, 166 on SQLite (999 parameters).
QUERIES_PER_BATCH = 10
FAST = ClientSettings(connect_timeout=5, read_timeout=15, max_attempts=5, backoff_base=0.01, backoff_cap=0.05)


class ArmedSession(requests.Session):
    """A transport that sets one simulator fault just before the `skip`+1-th request of an
    operation is sent: a fault for that request and no other."""

    def __init__(self, shop, operation: str, kind: str, *, skip: int = 0, **rule) -> None:
        super().__init__()
        self.shop, self.operation, self.kind, self.skip, self.rule = shop, operation, kind, skip, rule

    def post(self, url, json=None, **kwargs):
        if self.operation and (json or {}).get("operationName") == self.operation:
            if self.skip == 0:
                self.operation = ""
                self.shop.faults.set(self.kind, next_requests=1, **self.rule)
            self.skip -= 1
        return super().post(url, json=json, **kwargs)


def client_for(merchant, **kwargs) -> ShopifyClient:
    return ShopifyClient.for_merchant(merchant, client_settings=FAST, **kwargs)


def locations_of(shop) -> list[str]:
    return [location.gid for location in shop.profile.all_locations]


def item_gid(variant) -> str:
    return f"gid://shopify/InventoryItem/{variant.inventory_item_id}"


def shopify_levels(shop, locations, variants=None) -> dict[tuple[str, str], tuple[int, int]]:
    """What the shop holds: (location, item) -> (available, on hand), tracked items only."""
    held = {}
    for variant in variants if variants is not None else shop.catalog.variants():
        for location in locations:
            level = shop.inventory.level(variant.inventory_item_id, location)
            if level is not None and variant.tracked:
                held[(location, item_gid(variant))] = (level.available, level.on_hand)
    return held


def stored(merchant) -> dict[tuple[str, str], tuple[int, int | None]]:
    return {(row.location_gid, row.inventory_item_gid): (row.available, row.on_hand)
            for row in ShopifyInventoryLevel.objects.filter(merchant=merchant)}



def test_a_full_read_of_a_small_shop_pages_through_each_location(merchant, shop, monkeypatch):
    """Every tracked item's level at each asked location, as Shopify holds it; no bulk export."""
    # given
    monkeypatch.setattr(inventory_reads, "LEVELS_PER_PAGE", 4)
    locations = locations_of(shop)
    heard = []
    # when
    count = import_inventory_levels(merchant, client_for(merchant), location_gids=locations, progress=heard.append)
    # then
    held = shopify_levels(shop, locations)
    assert stored(merchant) == held
    assert count == len(held) == heard[-1]
    assert not shop.bulk_operations


def test_only_the_asked_locations_are_read(merchant, shop):
    first = shop.profile.locations[0].gid

    import_inventory_levels(merchant, client_for(merchant), location_gids=[first])

    assert stored(merchant) == shopify_levels(shop, [first])


def test_a_large_shop_is_read_through_one_bulk_export(large_merchant, large_catalog):
    # given
    shop = large_catalog.shops[0]
    locations = [location.gid for location in shop.profile.locations]   # the shop's own, not the service's
    heard = []
    # when
    count = import_inventory_levels(large_merchant, client_for(large_merchant), location_gids=locations,
                                    progress=heard.append, bulk_threshold=500)
    # then
    held = shopify_levels(shop, locations)
    assert len(held) > 800
    assert stored(large_merchant) == held
    assert count == len(held) and heard == sorted(heard) and heard[-1] == count
    assert len(shop.bulk_operations) == 1


def test_the_queries_of_an_import_do_not_grow_with_the_levels(large_merchant, large_catalog,
                                                              django_assert_max_num_queries):
    """Levels are stored 1,000 a batch: 5 levels or 900 make the same few queries, none per level."""
    shop = large_catalog.shops[0]
    locations = locations_of(shop)
    some = [item_gid(v) for v in shop.catalog.variants() if v.tracked][:5]
    with django_assert_max_num_queries(QUERIES_PER_BATCH):
        few = import_inventory_levels(large_merchant, client_for(large_merchant), location_gids=locations[:1],
                                      inventory_item_gids=some)
    with django_assert_max_num_queries(QUERIES_PER_BATCH):
        many = import_inventory_levels(large_merchant, client_for(large_merchant), location_gids=locations,
                                       bulk_threshold=10**9)
    assert few == 5 and 900 < many <= 1_000


def test_a_list_of_items_is_read_by_id_and_a_level_shopify_no_longer_holds_is_forgotten(merchant, shop):
    # given
    service = shop.profile.fulfillment_service_location.gid
    tracked = [v for v in shop.catalog.variants() if v.tracked]
    not_at_service = next(v for v in tracked if shop.inventory.level(v.inventory_item_id, service) is None)
    untracked = next(v for v in shop.catalog.variants() if not v.tracked)
    chosen = [tracked[0], tracked[1], not_at_service, untracked]
    for variant in (not_at_service, untracked):   # what an earlier import said, no longer so
        ShopifyInventoryLevel.objects.create(merchant=merchant, inventory_item_gid=item_gid(variant),
                                             location_gid=service, available=4, reported_at=timezone.now())
    unknown = "gid://shopify/InventoryItem/1"
    # when
    count = import_inventory_levels(merchant, client_for(merchant), location_gids=locations_of(shop),
                                    inventory_item_gids=[item_gid(v) for v in chosen] + [unknown, "not an ID"])
    # then
    held = shopify_levels(shop, locations_of(shop), chosen)
    assert stored(merchant) == held
    assert count == len(held)


@pytest.mark.parametrize("kind", ["empty", "server_error", "drop", "malformed", "throttle"])
def test_a_page_that_cannot_be_read_is_asked_again_never_taken_for_the_end(merchant, shop, monkeypatch, kind):
    # given
    monkeypatch.setattr(inventory_reads, "LEVELS_PER_PAGE", 3)
    locations = locations_of(shop)
    session = ArmedSession(shop, "InventoryLevelsAtLocation", kind, skip=2)
    # when
    count = import_inventory_levels(merchant, client_for(merchant, session=session), location_gids=locations)
    # then
    assert shop.faults.suffered == {kind: 1}
    assert stored(merchant) == shopify_levels(shop, locations)
    assert count == len(stored(merchant))


@pytest.mark.parametrize("kind", ["null_nodes", "empty", "server_error", "drop"])
def test_items_read_by_id_through_a_fault_are_all_stored(merchant, shop, kind):
    """null_nodes: every node of an answer null, as if no item existed: each is asked again."""
    # given
    variants = [v for v in shop.catalog.variants() if v.tracked]
    session = ArmedSession(shop, "InventoryLevelsByItemIds", kind)
    # when
    import_inventory_levels(merchant, client_for(merchant, session=session), location_gids=locations_of(shop),
                            inventory_item_gids=[item_gid(v) for v in variants])
    # then
    assert shop.faults.suffered == {kind: 1}
    assert stored(merchant) == shopify_levels(shop, locations_of(shop), variants)


def test_a_bulk_export_whose_status_answer_is_empty_is_asked_again(merchant, shop):
    session = ArmedSession(shop, "BulkOperationStatus", "empty")

    import_inventory_levels(merchant, client_for(merchant, session=session), location_gids=locations_of(shop),
                            bulk_threshold=0)

    assert shop.faults.suffered == {"empty": 1} and len(shop.bulk_operations) == 1
    assert stored(merchant) == shopify_levels(shop, locations_of(shop))


def test_a_level_a_webhook_reported_later_is_kept_by_an_import(merchant, shop):
    """The import read before the webhook came: what the webhook said is newer."""
    # given
    location = shop.profile.locations[0].gid
    variant = next(v for v in shop.catalog.variants() if v.tracked)
    ShopifyInventoryLevel.objects.create(merchant=merchant, inventory_item_gid=item_gid(variant), location_gid=location,
                                         available=999, reported_at=timezone.now() + timedelta(days=1))
    # when
    import_inventory_levels(merchant, client_for(merchant), location_gids=[location])
    # then
    held = shopify_levels(shop, [location])
    assert stored(merchant) == {**held, (location, item_gid(variant)): (999, None)}


def test_a_location_removed_from_the_shop_has_no_levels_to_read(merchant, shop, shopify):
    second = shop.profile.locations[1].gid
    shopify.control("POST", "locations/remove", shop=shop.domain, location_id=second)

    count = import_inventory_levels(merchant, client_for(merchant), location_gids=[shop.profile.locations[0].gid,
                                                                                   second])

    assert stored(merchant) == shopify_levels(shop, [shop.profile.locations[0].gid])
    assert count == len(stored(merchant))


def test_nothing_asked_reads_nothing(merchant, shop):
    assert import_inventory_levels(merchant, client_for(merchant), location_gids=[]) == 0
    assert shop.faults.statistics()["requests"] == 0
