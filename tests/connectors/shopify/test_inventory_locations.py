"""The shop's locations over HTTP against the simulator: every one imported (the fulfillment
service's flagged), one gone from the shop marked removed and unmarked when it returns, an answer
that cannot be read asked again (never "no locations"), and a read-only list scoped to the shop."""
from datetime import timedelta

import pytest
from django.utils import timezone

from connectors.shopify.client import ClientSettings, ShopifyClient
from connectors.shopify.inventory import import_locations
from connectors.shopify.models import ShopifyLocation
from tests.factories.merchants import MembershipFactory, MerchantFactory

FAST = ClientSettings(connect_timeout=5, read_timeout=15, max_attempts=5, backoff_base=0.01, backoff_cap=0.05)


def client_for(merchant) -> ShopifyClient:
    return ShopifyClient.for_merchant(merchant, client_settings=FAST)


def shop_locations(shop) -> dict[str, tuple[str, bool]]:
    service = shop.profile.fulfillment_service_location
    return {location.gid: (location.name, location == service) for location in shop.profile.all_locations}


def test_every_location_is_imported_with_the_fulfillment_services_flagged(merchant, shop):
    # when
    locations = import_locations(merchant, client_for(merchant))
    # then
    assert {loc.shopify_gid: (loc.name, loc.is_fulfillment_service) for loc in locations} == shop_locations(shop)
    assert all(loc.is_active and loc.removed_at is None and loc.merchant == merchant for loc in locations)
    service = next(loc for loc in locations if loc.is_fulfillment_service)
    assert not service.fulfills_online_orders
    assert ShopifyLocation.objects.filter(merchant=merchant).count() == len(shop.profile.all_locations)


def test_a_location_gone_from_the_shop_is_marked_removed_and_unmarked_when_it_returns(merchant, shop):
    # given
    gone = ShopifyLocation.objects.create(merchant=merchant, shopify_gid="gid://shopify/Location/1", name="Old depot",
                                          imported_at=timezone.now() - timedelta(days=3))
    import_locations(merchant, client_for(merchant))
    gone.refresh_from_db()
    removed_at = gone.removed_at
    first = ShopifyLocation.objects.get(merchant=merchant, shopify_gid=shop.profile.locations[0].gid)
    first.removed_at = timezone.now()
    first.save()
    # when
    locations = import_locations(merchant, client_for(merchant))
    # then
    assert removed_at is not None
    assert gone.shopify_gid not in {loc.shopify_gid for loc in locations}
    gone.refresh_from_db()
    assert gone.removed_at == removed_at, "marked once, when it was first missed"
    first.refresh_from_db()
    assert first.removed_at is None


def test_a_location_removed_in_the_shop_is_marked_removed_by_the_next_import(merchant, shop, shopify):
    # given
    import_locations(merchant, client_for(merchant))
    second = shop.profile.locations[1].gid
    shopify.control("POST", "locations/remove", shop=shop.domain, location_id=second)
    # when
    locations = import_locations(merchant, client_for(merchant))
    # then
    assert second not in {loc.shopify_gid for loc in locations}
    assert ShopifyLocation.objects.get(merchant=merchant, shopify_gid=second).removed_at is not None


def test_another_shops_locations_are_left_alone(merchant, shop):
    other = MerchantFactory(code="OTHER")
    kept = ShopifyLocation.objects.create(merchant=other, shopify_gid="gid://shopify/Location/5", name="Elsewhere",
                                          imported_at=timezone.now())

    import_locations(merchant, client_for(merchant))

    kept.refresh_from_db()
    assert kept.removed_at is None


@pytest.mark.parametrize("kind", ["empty", "server_error", "drop", "malformed"])
def test_an_answer_that_cannot_be_read_is_asked_again_and_removes_nothing(merchant, shop, kind):
    # given
    import_locations(merchant, client_for(merchant))
    shop.faults.set(kind, next_requests=1)
    # when
    locations = import_locations(merchant, client_for(merchant))
    # then
    assert shop.faults.suffered == {kind: 1}
    assert len(locations) == len(shop.profile.all_locations)
    assert not ShopifyLocation.objects.filter(merchant=merchant, removed_at__isnull=False).exists()


def test_a_merchant_user_sees_their_own_locations_read_only(client, merchant, shop, login):
    # given
    import_locations(merchant, client_for(merchant))
    other = MerchantFactory(code="OTHER")
    ShopifyLocation.objects.create(merchant=other, shopify_gid="gid://shopify/Location/5", name="Elsewhere",
                                   imported_at=timezone.now())
    login(MembershipFactory(merchant=merchant).user)
    mine = ShopifyLocation.objects.filter(merchant=merchant).first()
    theirs = ShopifyLocation.objects.get(merchant=other)
    # when
    listed = client.get("/admin/shopify/shopifylocation/").context["cl"].result_list
    page = client.get(f"/admin/shopify/shopifylocation/{mine.pk}/change/")
    # then
    assert {loc.merchant for loc in listed} == {merchant}
    assert page.status_code == 200 and mine.name in page.content.decode()
    assert b'name="_save"' not in page.content
    assert client.get(f"/admin/shopify/shopifylocation/{theirs.pk}/change/").status_code == 404
    assert client.get("/admin/shopify/shopifylocation/add/").status_code == 403
    assert client.post(f"/admin/shopify/shopifylocation/{mine.pk}/delete/", {"post": "yes"}).status_code == 403
