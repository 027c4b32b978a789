"""A company location given a catalog of its own over HTTP, as a connector does it: catalogCreate,
priceListCreate and publicationCreate, each one's success and Shopify's refusals (a refused write
changes nothing); the catalog listed by `catalogs` and the location's `catalogs`, priced, its fixed
prices written. What a connector reads (with the documents it sends, kept here) is in test_b2b_reads,
the size option in test_b2b_size_option."""
from __future__ import annotations

from decimal import Decimal

import pytest

from shopify_simulator.server import Simulator
from shopify_simulator.store.money import cents
from tests.fixtures.shopify_simulator import ShopifyHttp, shop_named
from tests.shopify_simulator.test_b2b import ADD, COMPANY_CREATE, DELETE, UPDATE
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
