"""A company location given a catalog of its own over HTTP, as a connector does it: catalogCreate,
priceListCreate and publicationCreate, each one's success and Shopify's refusals (a refused write
changes nothing); the catalog listed by `catalogs` and the location's `catalogs`, priced, its fixed
prices written. Then what a connector reads of a B2B shop (companies by updated_at, nested lists
paged, catalogs of both kinds, a price list's fixed prices, a publication's products, orders'
purchasingEntity in a query and a bulk export) and what it costs; and the size option that builds a
large B2B shop (--b2b-catalogs)."""
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
from tests.shopify_simulator.test_b2b import ADD, COMPANY_CREATE, DELETE, UPDATE
from tests.shopify_simulator.test_bulk_catalog import exported
from tests.shopify_simulator.test_schema_completeness import on_nodes

CATALOG_CREATE = """mutation($input: CatalogCreateInput!) { catalogCreate(input: $input) {
  catalog { __typename id title status priceList { id } publication { id }
    ... on CompanyLocationCatalog { companyLocations(first: 5) { nodes { id } } } }
  userErrors { field message code } } }"""
PRICE_LIST_CREATE = """mutation($input: PriceListCreateInput!) { priceListCreate(input: $input) {
  priceList { id name currency fixedPricesCount parent { adjustment { type value } settings { compareAtMode } }
    catalog { id } }
  userErrors { field message code } } }"""
PUBLICATION_CREATE = """mutation($input: PublicationCreateInput!) { publicationCreate(input: $input) {
  publication { id autoPublish catalog { id } }
  userErrors { field message code } } }"""
PRODUCT_CREATE = """mutation($product: ProductCreateInput) { productCreate(product: $product) {
  product { id } userErrors { field message } } }"""

# What a connector reads of a B2B shop, verbatim.
COMPANIES_SINCE = """query($query: String, $after: String) {
  companies(first: 50, after: $after, query: $query, sortKey: UPDATED_AT) {
    nodes { id name updatedAt
      locations(first: 1) { nodes { id } pageInfo { hasNextPage endCursor } }
      contacts(first: 1) { nodes { id } pageInfo { hasNextPage endCursor } } }
    pageInfo { hasNextPage endCursor } } }"""
COMPANY_LOCATIONS = """query($id: ID!, $after: String) { company(id: $id) {
  locations(first: 1, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } }
  contacts(first: 1, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } } }"""
LOCATIONS_PAGE = """query($after: String) { companyLocations(first: 5, after: $after) {
  nodes { id currency catalogs(first: 10) { nodes { id } } } pageInfo { hasNextPage endCursor } } }"""
CATALOGS = """query($type: CatalogType, $after: String) { catalogs(first: 25, after: $after, type: $type) {
  nodes { __typename id title status
    priceList { id name currency fixedPricesCount parent { adjustment { type value } } }
    publication { id autoPublish }
    ... on CompanyLocationCatalog { companyLocations(first: 25) { nodes { id } pageInfo { hasNextPage endCursor } } }
    ... on MarketCatalog { markets(first: 5) { nodes { id name } } } }
  pageInfo { hasNextPage endCursor } } }"""
FIXED_PRICES = """query($id: ID!, $after: String) { priceList(id: $id) {
  prices(first: %d, after: $after, originType: FIXED) {
    nodes { price { amount currencyCode } compareAtPrice { amount currencyCode } variant { id } }
    pageInfo { hasNextPage endCursor } } } }"""
PUBLICATION_PRODUCTS = """query($id: ID!, $after: String) { publication(id: $id) {
  products(first: 250, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } } }"""
BUYERS = """{ orders { edges { node { id purchasingEntity { __typename ... on Customer { id }
  ... on PurchasingCompany { company { id } location { id } contact { id } } } } } } }"""
ORDER_BUYERS = """query($after: String) { orders(first: 100, after: $after) {
  nodes { id purchasingEntity { __typename ... on Customer { id }
    ... on PurchasingCompany { company { id } location { id } contact { id } } } }
  pageInfo { hasNextPage endCursor } } }"""


# Helpers
def new_location(client: ShopifyHttp, name: str = "Catalog Buyers Ltd") -> dict:
    """A company made for the test, with its one location (in the shop's country)."""
    created = client.run_text(COMPANY_CREATE, input={"company": {"name": name},
                                                      "companyLocation": {"name": f"{name} depot"}})["companyCreate"]
    assert created["userErrors"] == []
    return created["company"]["locations"]["nodes"][0]


def catalog_input(location_id: str, **more) -> dict:
    return {"title": f"Own catalog {location_id.rsplit('/', 1)[1]}", "status": "ACTIVE",
            "context": {"companyLocationIds": [location_id]}, **more}


def price_list_input(name: str, **more) -> dict:
    return {"name": name, "currency": "USD", "parent": {"adjustment": {"type": "PERCENTAGE_DECREASE", "value": 12.5}},
            **more}


def all_pages(client: ShopifyHttp, document: str, path: list[str], **variables) -> list[dict]:
    """Every node of a connection, page after page."""
    nodes, after = [], None
    while True:
        data = client.run_text(document, after=after, **variables)
        for key in path:
            data = data[key]
        nodes += data["nodes"]
        if not data["pageInfo"]["hasNextPage"]:
            return nodes
        after = data["pageInfo"]["endCursor"]


def state(client: ShopifyHttp, simulator: Simulator) -> tuple:
    """Everything a catalog write could change: the catalogs with their links, every price list
    and every publication of the shop (some belong to no catalog, so the store counts them)."""
    shop = shop_named(simulator, "demo-us")
    catalogs = all_pages(client, CATALOGS, ["catalogs"], type=None)
    lists = client.run_text("{ priceLists(first: 250) { nodes { id name currency catalog { id } } } }")
    return (catalogs, lists, sorted((p.id, p.catalog_id) for p in shop.price_lists.publications()),
            [(c.id, c.price_list_id, c.publication_id, c.updated) for c in shop.price_lists.catalogs()])


# catalogCreate, priceListCreate, publicationCreate
def test_a_new_company_location_gets_its_own_catalog_price_list_and_publication(demo_us, simulator):
    location = new_location(demo_us)
    shop = shop_named(simulator, "demo-us")

    made = demo_us.run_text(CATALOG_CREATE, input=catalog_input(location["id"]))["catalogCreate"]
    catalog = made["catalog"]
    stamp = shop.price_lists.catalog(int(catalog["id"].rsplit("/", 1)[1])).updated
    simulator.clock.advance(5)
    priced = demo_us.run_text(PRICE_LIST_CREATE, input=price_list_input(
        "Catalog Buyers (USD)", catalogId=catalog["id"]))["priceListCreate"]
    published = demo_us.run_text(PUBLICATION_CREATE, input={
        "catalogId": catalog["id"], "defaultState": "ALL_PRODUCTS", "autoPublish": True})["publicationCreate"]

    assert made["userErrors"] == [] and priced["userErrors"] == [] and published["userErrors"] == []
    assert catalog["__typename"] == "CompanyLocationCatalog" and catalog["id"].startswith(
        "gid://shopify/CompanyLocationCatalog/")
    assert (catalog["title"], catalog["status"], catalog["priceList"], catalog["publication"]) == (
        f"Own catalog {location['id'].rsplit('/', 1)[1]}", "ACTIVE", None, None)
    assert catalog["companyLocations"]["nodes"] == [{"id": location["id"]}]
    assert priced["priceList"] == {"id": priced["priceList"]["id"], "name": "Catalog Buyers (USD)", "currency": "USD",
                                   "fixedPricesCount": 0, "catalog": {"id": catalog["id"]}, "parent": {
                                       "adjustment": {"type": "PERCENTAGE_DECREASE", "value": 12.5},
                                       "settings": {"compareAtMode": "ADJUSTED"}}}
    assert published["publication"] == {"id": published["publication"]["id"], "autoPublish": True,
                                         "catalog": {"id": catalog["id"]}}
    # Attaching moved the catalog's `updated` (the API has no field for it: the store says so).
    assert shop.price_lists.catalog(int(catalog["id"].rsplit("/", 1)[1])).updated > stamp

    listed = all_pages(demo_us, CATALOGS, ["catalogs"], type="COMPANY_LOCATION")
    own = next(c for c in listed if c["id"] == catalog["id"])
    at_location = demo_us.run_text("""query($id: ID!) { companyLocation(id: $id) { catalogsCount { count }
        catalogs(first: 5) { nodes { id priceList { id } publication { id } } } } }""", id=location["id"])

    assert own["priceList"] == {"id": priced["priceList"]["id"], "name": "Catalog Buyers (USD)", "currency": "USD",
                                "fixedPricesCount": 0,
                                "parent": {"adjustment": {"type": "PERCENTAGE_DECREASE", "value": 12.5}}}
    assert own["publication"] == {"id": published["publication"]["id"], "autoPublish": True}
    assert own["companyLocations"] == {"nodes": [{"id": location["id"]}],
                                       "pageInfo": {"hasNextPage": False, "endCursor": own["companyLocations"][
                                           "pageInfo"]["endCursor"]}}
    assert at_location["companyLocation"] == {"catalogsCount": {"count": 1}, "catalogs": {"nodes": [
        {"id": catalog["id"], "priceList": {"id": priced["priceList"]["id"]},
         "publication": {"id": published["publication"]["id"]}}]}}
    products = all_pages(demo_us, PUBLICATION_PRODUCTS, ["publication", "products"],
                         id=published["publication"]["id"])
    active = demo_us.run_text('{ products(first: 250, query: "status:active") { nodes { id } } }')
    assert [p["id"] for p in products] == [p["id"] for p in active["products"]["nodes"]]


def test_the_new_price_list_prices_every_variant_and_takes_fixed_prices(demo_us, simulator):
    location = new_location(demo_us)
    catalog = demo_us.run_text(CATALOG_CREATE, input=catalog_input(location["id"]))["catalogCreate"]["catalog"]
    price_list = demo_us.run_text(PRICE_LIST_CREATE, input=price_list_input(
        "Fixed prices (USD)", catalogId=catalog["id"]))["priceListCreate"]["priceList"]["id"]
    variants = demo_us.run_text("{ productVariants(first: 3) { nodes { id price } } }")["productVariants"]["nodes"]
    shop = shop_named(simulator, "demo-us")
    before = shop.price_lists.price_list(int(price_list.rsplit("/", 1)[1])).updated
    simulator.clock.advance(5)

    relative = demo_us.run_text("""query($id: ID!) { priceList(id: $id) { prices(first: 3) { nodes { originType
        price { amount } variant { id } } } } }""", id=price_list)["priceList"]["prices"]["nodes"]
    added = demo_us.run_text(ADD, id=price_list, prices=[
        {"variantId": v["id"], "price": {"amount": "9.99", "currencyCode": "USD"},
         "compareAtPrice": {"amount": "12.00", "currencyCode": "USD"}} for v in variants])["priceListFixedPricesAdd"]
    updated = demo_us.run_text(UPDATE, id=price_list, delete=[variants[0]["id"]], add=[
        {"variantId": variants[1]["id"], "price": {"amount": "8.50", "currencyCode": "USD"}}])[
        "priceListFixedPricesUpdate"]
    deleted = demo_us.run_text(DELETE, id=price_list, ids=[variants[2]["id"]])["priceListFixedPricesDelete"]
    fixed = all_pages(demo_us, FIXED_PRICES % 100, ["priceList", "prices"], id=price_list)

    assert [(p["originType"], p["variant"]["id"]) for p in relative] == [("RELATIVE", v["id"]) for v in variants]
    assert relative[0]["price"]["amount"] == str(cents(Decimal(variants[0]["price"]) * Decimal("0.875")))
    assert added["userErrors"] == [] and len(added["prices"]) == 3
    assert updated["userErrors"] == [] and updated["priceList"]["fixedPricesCount"] == 2
    assert deleted == {"deletedFixedPriceVariantIds": [variants[2]["id"]], "userErrors": []}
    assert fixed == [{"price": {"amount": "8.50", "currencyCode": "USD"}, "compareAtPrice": None,
                      "variant": {"id": variants[1]["id"]}}]
    assert shop.price_lists.price_list(int(price_list.rsplit("/", 1)[1])).updated > before


def test_a_catalog_takes_a_price_list_and_a_publication_made_before_it(demo_us):
    location = new_location(demo_us)
    price_list = demo_us.run_text(PRICE_LIST_CREATE, input=price_list_input("Made first (USD)"))["priceListCreate"]
    publication = demo_us.run_text(PUBLICATION_CREATE, input={})["publicationCreate"]

    made = demo_us.run_text(CATALOG_CREATE, input=catalog_input(
        location["id"], status="DRAFT", priceListId=price_list["priceList"]["id"],
        publicationId=publication["publication"]["id"]))["catalogCreate"]
    links = demo_us.run_text("""query($list: ID!, $publication: ID!) { priceList(id: $list) { catalog { id } }
        publication(id: $publication) { catalog { id } autoPublish products(first: 5) { nodes { id } } } }""",
                             list=price_list["priceList"]["id"], publication=publication["publication"]["id"])

    assert price_list["priceList"]["catalog"] is None
    assert publication["publication"] == {"id": publication["publication"]["id"], "autoPublish": False,
                                          "catalog": None}
    assert made["userErrors"] == [] and made["catalog"]["status"] == "DRAFT"
    assert made["catalog"]["priceList"] == {"id": price_list["priceList"]["id"]}
    assert made["catalog"]["publication"] == {"id": publication["publication"]["id"]}
    assert links == {"priceList": {"catalog": {"id": made["catalog"]["id"]}},
                     "publication": {"catalog": {"id": made["catalog"]["id"]}, "autoPublish": False,
                                     "products": {"nodes": []}}}


def test_a_catalog_of_several_locations_lists_each_once(demo_us):
    locations = [loc["id"] for loc in demo_us.run_text("{ companyLocations(first: 3) { nodes { id } } }")[
        "companyLocations"]["nodes"]]

    made = demo_us.run_text(CATALOG_CREATE, input={
        "title": "Shared", "status": "ARCHIVED", "context": {"companyLocationIds": [*locations, locations[0]]}})

    assert made["catalogCreate"]["userErrors"] == []
    assert made["catalogCreate"]["catalog"]["companyLocations"]["nodes"] == [{"id": i} for i in locations]
    assert made["catalogCreate"]["catalog"]["status"] == "ARCHIVED"


@pytest.mark.parametrize("given, errors", [
    ({"title": "  "}, [(["input", "title"], "Title can't be blank", "BLANK")]),
    ({"title": "T" * 256}, [(["input", "title"], "Title is too long (maximum is 255 characters)", "TOO_LONG")]),
    ({"context": {}}, [(["input", "context"], "Must provide exactly one context type.",
                        "MUST_PROVIDE_EXACTLY_ONE_CONTEXT_TYPE")]),
    ({"context": {"companyLocationIds": []}}, [(["input", "context", "companyLocationIds"],
                                                "Company location ids can't be blank", "INVALID")]),
    ({"context": {"companyLocationIds": ["{location}", "gid://shopify/CompanyLocation/1"]}},
     [(["input", "context", "companyLocationIds", "1"], "A company location within the catalog does not exist.",
       "COMPANY_LOCATION_NOT_FOUND")]),
    ({"priceListId": "gid://shopify/PriceList/1"}, [(["input", "priceListId"], "Price list not found.",
                                                     "PRICE_LIST_NOT_FOUND")]),
    ({"priceListId": "{taken price list}"}, [(["input", "priceListId"], "Price list has already been taken",
                                              "TAKEN")]),
    ({"publicationId": "gid://shopify/Publication/1"}, [(["input", "publicationId"], "Publication not found.",
                                                         "PUBLICATION_NOT_FOUND")]),
    ({"publicationId": "{taken publication}"}, [(["input", "publicationId"], "Publication has already been taken",
                                                 "TAKEN")]),
    ({"title": "", "context": {}}, [(["input", "title"], "Title can't be blank", "BLANK"),
                                    (["input", "context"], "Must provide exactly one context type.",
                                     "MUST_PROVIDE_EXACTLY_ONE_CONTEXT_TYPE")]),
])
def test_catalog_create_refuses_bad_input_and_changes_nothing(demo_us, simulator, given, errors):
    location = demo_us.run_text("{ companyLocations(first: 1) { nodes { id } } }")["companyLocations"]["nodes"][0]
    taken = demo_us.run_text(CATALOGS, type="COMPANY_LOCATION")["catalogs"]["nodes"][0]
    holes = {"{location}": location["id"], "{taken price list}": taken["priceList"]["id"],
             "{taken publication}": taken["publication"]["id"]}
    given = {key: holes.get(value, value) if isinstance(value, str) else value for key, value in given.items()}
    if "context" in given and given["context"].get("companyLocationIds"):
        given["context"] = {"companyLocationIds": [holes.get(i, i) for i in given["context"]["companyLocationIds"]]}
    before = state(demo_us, simulator)

    answer = demo_us.run_text(CATALOG_CREATE, input={**catalog_input(location["id"]), **given})["catalogCreate"]

    assert answer["catalog"] is None
    assert [(e["field"], e["message"], e["code"]) for e in answer["userErrors"]] == errors
    assert state(demo_us, simulator) == before


@pytest.mark.parametrize("given, errors", [
    ({"name": " "}, [(["input", "name"], "Name can't be blank", "BLANK")]),
    ({"name": "N" * 256}, [(["input", "name"], "Name is too long (maximum is 255 characters)", "TOO_LONG")]),
    ({"name": "{taken name}"}, [(["input", "name"], "Name has already been taken", "TAKEN")]),
    ({"currency": "JPY"}, [(["input", "currency"],
                            "The price list currency is not supported by the shop's payment gateway.",
                            "CURRENCY_NOT_SUPPORTED")]),
    ({"parent": {"adjustment": {"type": "PERCENTAGE_DECREASE", "value": -10}}}, "adjustment"),
    ({"parent": {"adjustment": {"type": "PERCENTAGE_DECREASE", "value": 100.5}}}, "adjustment"),
    ({"parent": {"adjustment": {"type": "PERCENTAGE_INCREASE", "value": 1001}}}, "adjustment"),
    ({"catalogId": "gid://shopify/CompanyLocationCatalog/1"}, [(["input", "catalogId"], "Catalog does not exist.",
                                                                "CATALOG_DOES_NOT_EXIST")]),
    ({"catalogId": "{taken catalog}"}, [(["input", "catalogId"], "Catalog has a price list already assigned.",
                                         "CATALOG_TAKEN")]),
])
def test_price_list_create_refuses_bad_input_and_changes_nothing(demo_us, simulator, given, errors):
    taken = demo_us.run_text(CATALOGS, type="COMPANY_LOCATION")["catalogs"]["nodes"][0]
    holes = {"{taken name}": taken["priceList"]["name"], "{taken catalog}": taken["id"]}
    given = {key: holes.get(value, value) if isinstance(value, str) else value for key, value in given.items()}
    if errors == "adjustment":
        errors = [(["input", "parent", "adjustment", "value"],
                   "The adjustment value must be a positive value and not be greater than 100% for PERCENTAGE_DECREASE"
                   " and not be greater than 1000% for PERCENTAGE_INCREASE.", "INVALID_ADJUSTMENT_VALUE")]
    before = state(demo_us, simulator)

    answer = demo_us.run_text(PRICE_LIST_CREATE, input={**price_list_input("Refused (USD)"), **given})

    assert answer["priceListCreate"]["priceList"] is None
    assert [(e["field"], e["message"], e["code"]) for e in answer["priceListCreate"]["userErrors"]] == errors
    assert state(demo_us, simulator) == before


def test_price_list_create_takes_the_shop_s_currencies_and_adjustment_bounds(demo_us):
    abroad = demo_us.run_text(PRICE_LIST_CREATE, input={
        "name": "Canada buyers", "currency": "CAD", "parent": {
            "adjustment": {"type": "PERCENTAGE_INCREASE", "value": 1000},
            "settings": {"compareAtMode": "NULLIFY"}}})["priceListCreate"]
    free = demo_us.run_text(PRICE_LIST_CREATE, input={
        "name": "Everything free", "currency": "USD", "parent": {
            "adjustment": {"type": "PERCENTAGE_DECREASE", "value": 100}}})["priceListCreate"]

    assert abroad["userErrors"] == [] and abroad["priceList"]["currency"] == "CAD"
    assert abroad["priceList"]["parent"] == {"adjustment": {"type": "PERCENTAGE_INCREASE", "value": 1000.0},
                                             "settings": {"compareAtMode": "NULLIFY"}}
    assert free["userErrors"] == [] and free["priceList"]["parent"]["adjustment"]["value"] == 100.0


def test_a_catalog_id_of_another_type_fails_the_whole_field(demo_us, simulator):
    before = state(demo_us, simulator)

    response = demo_us.post(PRICE_LIST_CREATE, {"input": price_list_input(
        "Wrong type (USD)", catalogId="gid://shopify/CatalogMarket/1")})

    body = response.json()
    assert body["data"] == {"priceListCreate": None}
    assert body["errors"][0]["message"] == "Invalid id: gid://shopify/CatalogMarket/1"
    assert body["errors"][0]["extensions"]["code"] == "RESOURCE_NOT_FOUND"
    assert body["errors"][0]["path"] == ["priceListCreate"]
    assert state(demo_us, simulator) == before


def test_publication_create_refuses_an_unknown_catalog_and_changes_nothing(demo_us, simulator):
    before = state(demo_us, simulator)

    answer = demo_us.run_text(PUBLICATION_CREATE, input={"catalogId": "gid://shopify/Catalog/999999999999",
                                                         "autoPublish": True})["publicationCreate"]

    assert answer == {"publication": None, "userErrors": [{
        "field": ["input", "catalogId"], "message": "A catalog was not found for id= gid://shopify/Catalog/999999999999.",
        "code": "CATALOG_NOT_FOUND"}]}
    assert state(demo_us, simulator) == before


def test_a_second_publication_replaces_the_catalog_s_first(demo_us):
    location = new_location(demo_us)
    catalog = demo_us.run_text(CATALOG_CREATE, input=catalog_input(location["id"]))["catalogCreate"]["catalog"]
    first = demo_us.run_text(PUBLICATION_CREATE, input={"catalogId": catalog["id"]})["publicationCreate"]
    second = demo_us.run_text(PUBLICATION_CREATE, input={"catalogId": catalog["id"]})["publicationCreate"]

    found = demo_us.run_text("""query($id: ID!, $first: ID!) { catalog(id: $id) { publication { id } }
        publication(id: $first) { catalog { id } } }""", id=catalog["id"], first=first["publication"]["id"])

    assert found == {"catalog": {"publication": {"id": second["publication"]["id"]}},
                     "publication": {"catalog": None}}


@pytest.mark.parametrize("state_, auto, old_offered, new_offered", [
    ("EMPTY", False, False, False),
    ("EMPTY", True, False, True),
    ("ALL_PRODUCTS", False, True, False),
    ("ALL_PRODUCTS", True, True, True),
])
def test_a_publication_offers_what_its_default_state_and_auto_publish_say(demo_us, state_, auto, old_offered,
                                                                          new_offered):
    publication = demo_us.run_text(PUBLICATION_CREATE, input={"defaultState": state_, "autoPublish": auto})[
        "publicationCreate"]["publication"]
    made = demo_us.run_text(PRODUCT_CREATE, product={"title": "Published later", "status": "ACTIVE"})
    old = demo_us.run_text('{ products(first: 250, query: "status:active") { nodes { id } } }')["products"]["nodes"]

    offered = [p["id"] for p in all_pages(demo_us, PUBLICATION_PRODUCTS, ["publication", "products"],
                                          id=publication["id"])]

    assert publication["autoPublish"] is auto
    new = made["productCreate"]["product"]["id"]
    assert (new in offered) is new_offered
    assert set(offered) - {new} == ({p["id"] for p in old} - {new} if old_offered else set())


def test_made_catalogs_price_lists_and_publications_answer_every_field_the_schema_promises(demo_us):
    location = new_location(demo_us)
    catalog = demo_us.run_text(CATALOG_CREATE, input=catalog_input(location["id"]))["catalogCreate"]["catalog"]
    price_list = demo_us.run_text(PRICE_LIST_CREATE, input=price_list_input("Alone (USD)"))["priceListCreate"]
    publication = demo_us.run_text(PUBLICATION_CREATE, input={})["publicationCreate"]

    for type_name, gid in (("CompanyLocationCatalog", catalog["id"]), ("PriceList", price_list["priceList"]["id"]),
                           ("Publication", publication["publication"]["id"])):
        body = demo_us.post(on_nodes(type_name, [gid])).json()
        assert not body.get("errors"), (type_name, body.get("errors"))
        assert body["data"]["nodes"][0]["id"] == gid


def test_a_shop_without_b2b_has_no_company_location_to_give_a_catalog(shopify):
    answer = shopify.run_text(CATALOG_CREATE, input=catalog_input("gid://shopify/CompanyLocation/2000001"))

    assert answer["catalogCreate"]["catalog"] is None
    assert answer["catalogCreate"]["userErrors"][0]["code"] == "COMPANY_LOCATION_NOT_FOUND"


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
