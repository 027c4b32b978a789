"""What a connector reads of a B2B shop, answered as Shopify answers it: companies by updated_at with
their nested lists paged, company locations with their catalogs, catalogs of both kinds with their
price lists, publications and contexts, orders' purchasing entity in a query and a bulk export, and
what a page of fixed prices costs."""

from __future__ import annotations

from shopify_simulator.bucket import PLANS, LeakyBucket
from tests.fixtures.shopify_simulator import shop_named
from tests.shopify_simulator.test_b2b import COMPANY_CREATE
from tests.shopify_simulator.test_b2b_catalog_writes import (
    BUYERS,
    CATALOGS,
    COMPANIES_SINCE,
    COMPANY_LOCATIONS,
    FIXED_PRICES,
    LOCATIONS_PAGE,
    ORDER_BUYERS,
    PUBLICATION_PRODUCTS,
    all_pages,
)
from tests.shopify_simulator.test_bulk_catalog import exported


# What a connector reads
def test_companies_since_a_moment_by_updated_at_with_their_nested_lists_paged(demo_us, simulator):
    shop = shop_named(simulator, "demo-us")
    held = sorted(shop.companies.companies(), key=lambda c: (c.updated, c.id))
    mark = held[len(held) // 2].updated

    since = all_pages(demo_us, COMPANIES_SINCE, ["companies"], query=f"updated_at:>='{mark:%Y-%m-%dT%H:%M:%SZ}'")
    everything = all_pages(demo_us, COMPANIES_SINCE, ["companies"], query="updated_at:>='2025-01-01T00:00:00Z'")

    assert [c["id"] for c in since] == [c.gid for c in held if c.updated >= mark]
    assert [c["updatedAt"] for c in since] == sorted(c["updatedAt"] for c in since)
    assert everything == []       # the generated companies were last changed before 2025 (the anchor is 2025-03-12)
    for company, record in zip(since, (c for c in held if c.updated >= mark)):
        assert company["locations"]["nodes"] == [{"id": f"gid://shopify/CompanyLocation/{record.location_ids[0]}"}]
        assert company["locations"]["pageInfo"]["hasNextPage"] is (len(record.location_ids) > 1)
        assert company["contacts"]["pageInfo"]["hasNextPage"] is (len(record.contact_ids) > 1)

    simulator.clock.advance(60)
    company = demo_us.run_text(COMPANY_CREATE, input={"company": {"name": "Written today"}})["companyCreate"][
        "company"]
    today = all_pages(demo_us, COMPANIES_SINCE, ["companies"], query="updated_at:>='2025-01-01T00:00:00Z'")
    assert [c["id"] for c in today] == [company["id"]]


def test_a_company_s_locations_and_contacts_page_one_at_a_time(demo_us, simulator):
    record = max(shop_named(simulator, "demo-us").companies.companies(), key=lambda c: len(c.location_ids))
    assert len(record.location_ids) > 1

    locations = all_pages(demo_us, COMPANY_LOCATIONS, ["company", "locations"], id=record.gid)
    contacts = all_pages(demo_us, COMPANY_LOCATIONS, ["company", "contacts"], id=record.gid)

    assert [n["id"] for n in locations] == [f"gid://shopify/CompanyLocation/{i}" for i in record.location_ids]
    assert [n["id"] for n in contacts] == [f"gid://shopify/CompanyContact/{i}" for i in record.contact_ids]


def test_every_company_location_pages_with_its_catalogs(demo_us, simulator):
    shop = shop_named(simulator, "demo-us")

    locations = all_pages(demo_us, LOCATIONS_PAGE, ["companyLocations"])

    assert [n["id"] for n in locations] == [loc.gid for loc in shop.companies.locations()]
    for node in locations:
        number = int(node["id"].rsplit("/", 1)[1])
        assert [c["id"] for c in node["catalogs"]["nodes"]] == [
            c.gid for c in shop.price_lists.catalogs_of_location(number)] != []


def test_catalogs_of_both_kinds_with_their_price_lists_publications_and_contexts(demo_uk, simulator):
    shop = shop_named(simulator, "demo-uk")

    by_location = all_pages(demo_uk, CATALOGS, ["catalogs"], type="COMPANY_LOCATION")
    by_market = all_pages(demo_uk, CATALOGS, ["catalogs"], type="MARKET")

    held = {c.gid: c for c in shop.price_lists.catalogs()}
    assert {c["__typename"] for c in by_location} == {"CompanyLocationCatalog"}
    assert [c["__typename"] for c in by_market] == ["MarketCatalog"]
    assert sorted(c["id"] for c in by_location + by_market) == sorted(held)
    for catalog in by_location + by_market:
        record = held[catalog["id"]]
        price_list = shop.price_lists.price_list(record.price_list_id)
        assert catalog["priceList"] == {
            "id": price_list.gid, "name": price_list.name, "currency": price_list.currency,
            "fixedPricesCount": len(price_list.fixed),
            "parent": {"adjustment": {"type": price_list.adjustment_type,
                                      "value": float(price_list.adjustment_value)}}}
        assert catalog["publication"]["id"] == f"gid://shopify/Publication/{record.publication_id}"
    for catalog in by_location:
        locations = all_pages(demo_uk, """query($id: ID!, $after: String) { catalog(id: $id) {
            ... on CompanyLocationCatalog { companyLocations(first: 1, after: $after) {
              nodes { id } pageInfo { hasNextPage endCursor } } } } }""", ["catalog", "companyLocations"],
                              id=catalog["id"])
        assert [n["id"] for n in locations] == [f"gid://shopify/CompanyLocation/{i}"
                                                for i in held[catalog["id"]].location_ids]
        assert [n["id"] for n in catalog["companyLocations"]["nodes"]] == [n["id"] for n in locations]
    assert by_market[0]["markets"]["nodes"] == [{"id": by_market[0]["markets"]["nodes"][0]["id"], "name": "Ireland"}]


def test_orders_name_their_purchasing_entity_alike_in_a_query_and_a_bulk_export(demo_us, simulator):
    shop = shop_named(simulator, "demo-us")
    shop.bucket = LeakyBucket(PLANS["unlimited"])

    paged = {o["id"]: o["purchasingEntity"] for o in all_pages(demo_us, ORDER_BUYERS, ["orders"])}
    lines = exported(demo_us.run_text, BUYERS)

    assert {line["id"]: line["purchasingEntity"] for line in lines} == paged
    companies = [entity for entity in paged.values() if entity and entity["__typename"] == "PurchasingCompany"]
    customers = [entity for entity in paged.values() if entity and entity["__typename"] == "Customer"]
    assert companies and customers
    book = shop.companies
    for entity in companies:
        contact = book.contact(int(entity["contact"]["id"].rsplit("/", 1)[1]))
        location = book.location(int(entity["location"]["id"].rsplit("/", 1)[1]))
        assert entity["company"]["id"] == f"gid://shopify/Company/{contact.company_id}"
        assert location.company_id == contact.company_id
    assert all(set(entity) == {"__typename", "id"} for entity in customers)


# What it costs (Shopify's documented rules, as the simulator charges them)
def test_a_page_of_250_fixed_prices_with_compare_at_prices_exceeds_the_single_query_limit(demo_us):
    price_list = demo_us.run_text(CATALOGS, type="COMPANY_LOCATION")["catalogs"]["nodes"][0]["priceList"]["id"]

    too_big = demo_us.post(FIXED_PRICES % 250, {"id": price_list}).json()
    largest = demo_us.post(FIXED_PRICES % 249, {"id": price_list}).json()
    lean = demo_us.post(FIXED_PRICES.replace(" compareAtPrice { amount currencyCode }", "") % 250,
                        {"id": price_list}).json()
    products = demo_us.post(PUBLICATION_PRODUCTS, {"id": "gid://shopify/Publication/1"}).json()

    # priceList 1 + prices 2 + 250 × (PriceListPrice 1 + price 1 + compareAtPrice 1 + variant 1)
    assert too_big["errors"][0]["extensions"] == {
        "code": "MAX_COST_EXCEEDED", "cost": 1003, "maxCost": 1000,
        "documentation": "https://shopify.dev/api/usage/rate-limits"}
    assert "data" not in too_big
    assert largest["extensions"]["cost"]["requestedQueryCost"] == 1 + 2 + 249 * 4 == 999
    assert lean["extensions"]["cost"]["requestedQueryCost"] == 1 + 2 + 250 * 3 == 753
    assert products["extensions"]["cost"]["requestedQueryCost"] == 1 + 2 + 250 == 253
