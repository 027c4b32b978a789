"""The simulator's B2B size option (--b2b-catalogs N): extra catalogs, each for a company location of
its own, priced for every variant, deterministic from the seed, nothing without it."""

from __future__ import annotations

import argparse
from datetime import timedelta
from decimal import Decimal

import pytest

from shopify_simulator.bucket import PLANS, LeakyBucket
from shopify_simulator.cli import UsageError, add_arguments, start
from shopify_simulator.clock import SimulatorClock
from shopify_simulator.server import Simulator
from shopify_simulator.shop import SimulatedShop
from shopify_simulator.store.catalog_generation import CatalogSize
from shopify_simulator.store.companies_generation import MAX_EXTRA_CATALOGS
from shopify_simulator.store.money import cents
from shopify_simulator.store.profiles import DEMO_US
from tests.fixtures.shopify_simulator import ANCHOR, ShopifyHttp, shop_named
from tests.shopify_simulator.test_b2b import DELETE, UPDATE
from tests.shopify_simulator.test_b2b_catalog_writes import (
    CATALOGS,
    FIXED_PRICES,
    all_pages,
)
from tests.shopify_simulator.test_schema_completeness import on_nodes


# The size option
@pytest.fixture(scope="module")
def large_b2b():
    """demo-us with 50 catalogs more over 2,000 variants (demo-eu first, as always), no cost limits."""
    sim = Simulator(seed=7, orders=20, anchor=ANCHOR, port=0, shops=2, b2b_catalogs=50,
                    catalog=CatalogSize(products=200, variants=2000)).start()
    sim.bulk_start_delay = 0.05
    for shop in sim.shops:
        shop.bucket = LeakyBucket(PLANS["unlimited"])
    yield sim
    sim.stop()


def b2b_records(shop) -> tuple:
    companies, prices = shop.companies, shop.price_lists
    return ([(c.id, c.name, c.external_id, c.created, c.location_ids, c.contact_ids) for c in companies.companies()],
            [(loc.id, loc.name, loc.currency, loc.tax_registration_id) for loc in companies.locations()],
            [(c.id, c.title, c.location_ids, c.price_list_id, c.publication_id) for c in prices.catalogs()],
            [(p.id, p.name, p.currency, p.adjustment_value, dict(p.fixed)) for p in prices.price_lists()])


def made_shop(seed: int, **options) -> SimulatedShop:
    return SimulatedShop(profile=DEMO_US, seed=seed, clock=SimulatorClock(ANCHOR), total_orders=20, **options)


def test_the_size_option_adds_catalogs_each_for_a_location_of_its_own(large_b2b):
    shop = shop_named(large_b2b, "demo-us")
    base = made_shop(7, catalog_size=CatalogSize(products=200, variants=2000))
    base_records = b2b_records(base)
    client = ShopifyHttp(large_b2b, shop.access_token)

    listed = all_pages(client, CATALOGS, ["catalogs"], type="COMPANY_LOCATION")

    # What the shop held without the option is still there, unchanged, first.
    records = b2b_records(shop)
    for held, more in zip(base_records, records):
        assert more[:len(held)] == held
    base_catalogs = {c.gid for c in base.price_lists.catalogs()}
    extra = [c for c in listed if c["id"] not in base_catalogs]
    assert len(extra) == 50
    locations = [c["companyLocations"]["nodes"] for c in extra]
    assert all(len(nodes) == 1 for nodes in locations)
    assert len({nodes[0]["id"] for nodes in locations}) == 50
    currencies = {}
    for catalog, nodes in zip(extra, locations):
        location = shop.companies.location(int(nodes[0]["id"].rsplit("/", 1)[1]))
        assert [c.gid for c in shop.price_lists.catalogs_of_location(location.id)] == [catalog["id"]]
        assert catalog["priceList"]["currency"] == location.currency
        assert catalog["priceList"]["fixedPricesCount"] == 2000
        assert catalog["publication"]["autoPublish"] is True
        currencies[location.currency] = currencies.get(location.currency, 0) + 1
    assert currencies.keys() == {"USD", "CAD"}       # every fourth company an importer in Canada
    assert list(shop_named(large_b2b, "demo-eu").companies.companies()) == []      # no B2B, no catalogs
    assert list(shop_named(large_b2b, "demo-eu").price_lists.catalogs()) == []


def test_the_size_option_is_the_same_for_the_same_seed_and_nothing_without_it():
    assert b2b_records(made_shop(7, b2b_catalogs=20)) == b2b_records(made_shop(7, b2b_catalogs=20))
    assert b2b_records(made_shop(7, b2b_catalogs=20)) != b2b_records(made_shop(8, b2b_catalogs=20))
    assert b2b_records(made_shop(7, b2b_catalogs=0)) == b2b_records(made_shop(7))


def test_an_extra_catalog_s_fixed_prices_page_through_every_variant(large_b2b):
    shop = shop_named(large_b2b, "demo-us")
    client = ShopifyHttp(large_b2b, shop.access_token)
    catalog = list(shop.price_lists.catalogs())[-1]
    price_list = shop.price_lists.price_list(catalog.price_list_id)
    rate = Decimal(1) if price_list.currency == "USD" else shop.profile.fx_rate(price_list.currency)

    prices = all_pages(client, FIXED_PRICES % 200, ["priceList", "prices"], id=price_list.gid)

    variants = list(shop.catalog.variants())
    assert [p["variant"]["id"] for p in prices] == [v.gid for v in variants]
    for price, variant in zip(prices[:50], variants):
        assert price["price"]["currencyCode"] == price_list.currency
        assert Decimal(price["price"]["amount"]) == cents(variant.price * rate * price_list.factor
                                                          * price_list.negotiated)
        assert Decimal(price["compareAtPrice"]["amount"]) >= Decimal(price["price"]["amount"])


def test_an_extra_catalog_s_fixed_prices_are_written_like_any_other(large_b2b):
    shop = shop_named(large_b2b, "demo-us")
    client = ShopifyHttp(large_b2b, shop.access_token)
    catalog = list(shop.price_lists.catalogs())[-2]
    price_list = shop.price_lists.price_list(catalog.price_list_id)
    variants = [v.gid for v in list(shop.catalog.variants())[:251]]
    currency = price_list.currency

    dropped = client.run_text(DELETE, id=price_list.gid, ids=[variants[0]])["priceListFixedPricesDelete"]
    again = client.run_text(DELETE, id=price_list.gid, ids=[variants[0]])["priceListFixedPricesDelete"]
    response = client.post(UPDATE, {"id": price_list.gid, "delete": [], "add": [
        {"variantId": gid, "price": {"amount": "5.00", "currencyCode": currency}} for gid in variants[1:]]})
    header = client.run_text("""query($id: ID!) { priceList(id: $id) { fixedPricesCount
        prices(first: 2) { nodes { originType price { amount } } } } }""", id=price_list.gid)["priceList"]

    assert dropped == {"deletedFixedPriceVariantIds": [variants[0]], "userErrors": []}
    assert again["userErrors"][0]["code"] == "PRICE_NOT_FIXED"
    # A mutation costs 10 however many prices it carries.
    body = response.json()
    assert body["extensions"]["cost"]["requestedQueryCost"] == body["extensions"]["cost"]["actualQueryCost"] == 10
    assert body["data"]["priceListFixedPricesUpdate"]["userErrors"] == []
    assert len(body["data"]["priceListFixedPricesUpdate"]["pricesAdded"]) == 250
    assert header["fixedPricesCount"] == 1999
    assert [n["originType"] for n in header["prices"]["nodes"]] == ["RELATIVE", "FIXED"]
    assert header["prices"]["nodes"][1]["price"]["amount"] == "5.00"
    body = client.post(on_nodes("PriceList", [price_list.gid])).json()
    assert not body.get("errors") and body["data"]["nodes"][0]["fixedPricesCount"] == 1999


def test_the_command_line_takes_the_size_option():
    parser = argparse.ArgumentParser()
    add_arguments(parser)

    options = vars(parser.parse_args(["--b2b-catalogs", "50", "--variants", "2000", "--products", "200"]))

    assert options["b2b_catalogs"] == 50
    assert vars(parser.parse_args([]))["b2b_catalogs"] == 0
    for wrong in (-1, MAX_EXTRA_CATALOGS + 1):
        with pytest.raises(UsageError, match="--b2b-catalogs"):
            start({**options, "b2b_catalogs": wrong})


def test_extra_companies_are_made_after_the_shop_opened_and_before_today(large_b2b):
    shop = shop_named(large_b2b, "demo-us")
    extra = [c for c in shop.companies.companies() if (c.external_id or "").startswith("B2B-X")]

    assert len(extra) >= 50 / 3
    assert all(c.main_contact_id is None and c.contact_ids == [] for c in extra)
    assert all(c.customer_since <= c.created < large_b2b.clock.now() - timedelta(days=1) for c in extra)
