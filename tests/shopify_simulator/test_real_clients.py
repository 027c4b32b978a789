"""Shopify's own client libraries talk to the simulator as they talk to Shopify: every resource's
read and write documents go through gql 4 (requests transport, the schema validating each request
locally) and ShopifyAPI 12 (`shopify.GraphQL` on an activated session). Each answer keeps the shape
its document asks for in the 2025-01 schema, says what a merchant would expect, and carries the cost
extension clients pace on. A resource's documents are one entry in RESOURCES."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
import shopify as shopify_api
from gql import Client, GraphQLRequest
from gql.transport.requests import RequestsHTTPTransport
from graphql import OperationDefinitionNode, parse, validate

from shopify_simulator.bucket import PLANS, LeakyBucket
from shopify_simulator.schema import SCHEMA_VERSION, admin_schema
from tests.fixtures.graphql_answers import answer_shape_errors

QUANTITIES = 'quantities(names: ["available", "on_hand", "committed"]) { name quantity }'
MISSING_PRODUCT = "gid://shopify/Product/1"


@dataclass(frozen=True)
class Known:
    """What the documents' variables point at, read from the shop before each test."""
    order_id: str
    order_name: str
    customer_id: str
    customer_email: str
    product_id: str
    variant_id: str
    sku: str
    item_id: str
    location_id: str
    level_id: str
    available: int


@dataclass(frozen=True)
class Read:
    """A query, its variables and what its answer must say (`then(data, known)` asserts)."""
    document: str
    then: Callable[[dict, Known], None]
    variables: Callable[[Known], dict] = lambda known: {}

    @property
    def name(self) -> str:
        return operation_name(self.document)


@dataclass(frozen=True)
class Write:
    """A mutation, then `read_back` through the same client; `then(answer, read_back, known)` asserts."""
    document: str
    variables: Callable[[Known], dict]
    read_back: Read
    then: Callable[[dict, dict, Known], None]

    @property
    def name(self) -> str:
        return operation_name(self.document)


@dataclass(frozen=True)
class Resource:
    name: str
    reads: list[Read]
    writes: list[Write] = field(default_factory=list)


def operation_name(document: str) -> str:
    return next(d.name.value for d in parse(document).definitions if isinstance(d, OperationDefinitionNode))


def quantities(level: dict) -> dict[str, int]:
    return {q["name"]: q["quantity"] for q in level["quantities"]}


# -- orders ------------------------------------------------------------------------------------------

ORDERS_WITH_LINES = """query OrdersWithLines($first: Int!) {
  orders(first: $first) {
    nodes {
      id name createdAt updatedAt displayFinancialStatus displayFulfillmentStatus
      totalPriceSet { shopMoney { amount currencyCode } }
      lineItems(first: 10) { nodes { id sku quantity variant { id } originalUnitPriceSet { shopMoney { amount } } } }
    }
    pageInfo { hasNextPage endCursor }
  }
}"""


def orders_have_priced_lines(data: dict, known: Known) -> None:
    orders = data["orders"]["nodes"]
    assert len(orders) == 5 and data["orders"]["pageInfo"]["hasNextPage"]
    assert orders[0]["id"] == known.order_id
    for order in orders:
        assert order["lineItems"]["nodes"], order["name"]
        assert all(line["quantity"] > 0 for line in order["lineItems"]["nodes"])
        assert float(order["totalPriceSet"]["shopMoney"]["amount"]) >= 0


ORDER = """query Order($id: ID!) {
  order(id: $id) {
    id name email note tags
    customAttributes { key value }
    customer { id }
    lineItems(first: 10) { nodes { sku quantity } }
  }
}"""


def order_is_the_one_asked_for(data: dict, known: Known) -> None:
    assert (data["order"]["id"], data["order"]["name"]) == (known.order_id, known.order_name)
    assert data["order"]["lineItems"]["nodes"]


ORDER_UPDATE = """mutation OrderUpdate($input: OrderInput!) {
  orderUpdate(input: $input) {
    order { id note tags customAttributes { key value } }
    userErrors { field message }
  }
}"""
ERP_ATTRIBUTES = [{"key": "ERP No.", "value": "SO-1001"}]


def order_keeps_the_note_and_attributes_set(answer: dict, read_back: dict, known: Known) -> None:
    assert answer["orderUpdate"]["userErrors"] == []
    assert answer["orderUpdate"]["order"]["customAttributes"] == ERP_ATTRIBUTES
    order = read_back["order"]
    assert (order["note"], order["customAttributes"]) == ("Posted to the ledger", ERP_ATTRIBUTES)
    assert "synced" in order["tags"]


ORDERS = Resource("orders", reads=[
    Read(ORDERS_WITH_LINES, orders_have_priced_lines, lambda known: {"first": 5}),
    Read(ORDER, order_is_the_one_asked_for, lambda known: {"id": known.order_id}),
], writes=[
    Write(ORDER_UPDATE, lambda known: {"input": {"id": known.order_id, "note": "Posted to the ledger",
                                                 "tags": ["synced"], "customAttributes": ERP_ATTRIBUTES}},
          read_back=Read(ORDER, order_is_the_one_asked_for, lambda known: {"id": known.order_id}),
          then=order_keeps_the_note_and_attributes_set),
])

# -- customers ---------------------------------------------------------------------------------------

CUSTOMERS_BY_EMAIL = """query CustomersByEmail($query: String!) {
  customers(first: 5, query: $query) {
    nodes { id email firstName lastName taxExempt taxExemptions emailMarketingConsent { marketingState } }
  }
}"""


def one_customer_has_that_email(data: dict, known: Known) -> None:
    assert [(c["id"], c["email"]) for c in data["customers"]["nodes"]] == [(known.customer_id, known.customer_email)]


CUSTOMER = """query Customer($id: ID!) {
  customer(id: $id) {
    id email displayName createdAt numberOfOrders
    amountSpent { amount currencyCode }
    defaultAddress { countryCodeV2 }
  }
}"""


def customer_is_the_one_asked_for(data: dict, known: Known) -> None:
    customer = data["customer"]
    assert (customer["id"], customer["email"]) == (known.customer_id, known.customer_email)
    assert customer["displayName"]


CUSTOMERS = Resource("customers", reads=[
    Read(CUSTOMERS_BY_EMAIL, one_customer_has_that_email, lambda known: {"query": f"email:{known.customer_email}"}),
    Read(CUSTOMER, customer_is_the_one_asked_for, lambda known: {"id": known.customer_id}),
])

# -- locations ---------------------------------------------------------------------------------------

LOCATIONS_WITH_STOCK = """query LocationsWithStock {
  locations(first: 5) {
    nodes {
      id name isActive isFulfillmentService fulfillsOnlineOrders
      address { countryCode }
      inventoryLevels(first: 10) { nodes { id item { id sku } %s } }
    }
  }
}""" % QUANTITIES


def each_location_stocks_items_with_consistent_quantities(data: dict, known: Known) -> None:
    locations = data["locations"]["nodes"]
    assert known.location_id in [loc["id"] for loc in locations]
    assert [loc["isFulfillmentService"] for loc in locations] == [False, False, True]
    for location in locations:
        levels = location["inventoryLevels"]["nodes"]
        assert levels, location["name"]
        for level in levels:
            amounts = quantities(level)
            assert amounts["available"] == amounts["on_hand"] - amounts["committed"], level["item"]["sku"]


LOCATIONS = Resource("locations", reads=[
    Read(LOCATIONS_WITH_STOCK, each_location_stocks_items_with_consistent_quantities),
])

# -- products and variants ---------------------------------------------------------------------------

PRODUCTS_WITH_VARIANTS = """query ProductsWithVariants($first: Int!, $after: String) {
  products(first: $first, after: $after) {
    nodes {
      id title handle status vendor productType tags totalInventory tracksInventory createdAt
      variants(first: 20) { nodes { id sku price inventoryQuantity product { id } } }
    }
    pageInfo { hasNextPage endCursor }
  }
}"""


def products_list_their_own_variants(data: dict, known: Known) -> None:
    products = data["products"]["nodes"]
    assert len(products) == 5
    for product in products:
        assert product["status"] == "ACTIVE" and product["handle"]
        assert {v["product"]["id"] for v in product["variants"]["nodes"]} == {product["id"]}


PRODUCTS_BY_SKU = """query ProductsBySku($query: String!) {
  products(first: 5, query: $query) { nodes { id title variants(first: 50) { nodes { id sku } } } }
}"""


def the_product_found_by_sku_has_that_sku(data: dict, known: Known) -> None:
    [product] = data["products"]["nodes"]
    assert product["id"] == known.product_id
    assert known.sku in [v["sku"] for v in product["variants"]["nodes"]]


VARIANTS_BY_SKU = """query VariantsBySku($query: String!) {
  productVariants(first: 5, query: $query) {
    nodes { id sku barcode price compareAtPrice displayName product { id } inventoryItem { id } }
  }
}"""


def the_variant_found_by_sku_has_that_sku(data: dict, known: Known) -> None:
    [variant] = data["productVariants"]["nodes"]
    assert (variant["id"], variant["sku"], variant["product"]["id"], variant["inventoryItem"]["id"]) == (
        known.variant_id, known.sku, known.product_id, known.item_id)


PRODUCT = """query Product($id: ID!) {
  product(id: $id) { id title descriptionHtml options { name values } variants(first: 50) { nodes { id sku } } }
}"""


def product_lists_the_known_variant(data: dict, known: Known) -> None:
    assert data["product"]["id"] == known.product_id
    assert {"id": known.variant_id, "sku": known.sku} in data["product"]["variants"]["nodes"]


MISSING_PRODUCT_QUERY = """query MissingProduct($id: ID!) { product(id: $id) { id title } }"""


def a_missing_product_is_null(data: dict, known: Known) -> None:
    assert data == {"product": None}


VARIANT = """query Variant($id: ID!) {
  productVariant(id: $id) {
    id sku title position inventoryPolicy inventoryQuantity selectedOptions { name value }
    product { id title } inventoryItem { id tracked }
  }
}"""


def variant_is_the_one_asked_for(data: dict, known: Known) -> None:
    variant = data["productVariant"]
    assert (variant["id"], variant["sku"], variant["product"]["id"]) == (known.variant_id, known.sku, known.product_id)
    assert variant["inventoryItem"] == {"id": known.item_id, "tracked": True}


PRODUCTS = Resource("products", reads=[
    Read(PRODUCTS_WITH_VARIANTS, products_list_their_own_variants, lambda known: {"first": 5}),
    Read(PRODUCTS_BY_SKU, the_product_found_by_sku_has_that_sku, lambda known: {"query": f"sku:{known.sku}"}),
    Read(PRODUCT, product_lists_the_known_variant, lambda known: {"id": known.product_id}),
    Read(MISSING_PRODUCT_QUERY, a_missing_product_is_null, lambda known: {"id": MISSING_PRODUCT}),
])
PRODUCT_VARIANTS = Resource("productVariants", reads=[
    Read(VARIANTS_BY_SKU, the_variant_found_by_sku_has_that_sku, lambda known: {"query": f"sku:{known.sku}"}),
    Read(VARIANT, variant_is_the_one_asked_for, lambda known: {"id": known.variant_id}),
])

# -- inventory ---------------------------------------------------------------------------------------

INVENTORY_ITEMS_BY_SKU = """query InventoryItemsBySku($query: String!) {
  inventoryItems(first: 5, query: $query) {
    nodes { id sku tracked requiresShipping createdAt unitCost { amount currencyCode } }
  }
}"""


def the_item_found_by_sku_has_that_sku(data: dict, known: Known) -> None:
    assert [(i["id"], i["sku"], i["tracked"]) for i in data["inventoryItems"]["nodes"]] == [
        (known.item_id, known.sku, True)]


INVENTORY_ITEM = """query InventoryItem($id: ID!) {
  inventoryItem(id: $id) {
    id sku
    variant { id }
    inventoryLevels(first: 10) { nodes { id location { id } %s } }
  }
}""" % QUANTITIES


def item_has_the_known_level(data: dict, known: Known) -> None:
    item = data["inventoryItem"]
    assert (item["id"], item["sku"], item["variant"]["id"]) == (known.item_id, known.sku, known.variant_id)
    level = next(level for level in item["inventoryLevels"]["nodes"] if level["id"] == known.level_id)
    assert level["location"]["id"] == known.location_id
    assert quantities(level)["available"] == known.available


INVENTORY_LEVEL = """query InventoryLevel($id: ID!) {
  inventoryLevel(id: $id) { id updatedAt item { id sku } location { id name } %s }
}""" % QUANTITIES


def level_is_the_one_asked_for(data: dict, known: Known) -> None:
    level = data["inventoryLevel"]
    assert (level["id"], level["item"]["id"], level["location"]["id"]) == (
        known.level_id, known.item_id, known.location_id)


INVENTORY_SET_QUANTITIES = """mutation InventorySetQuantities($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) {
    inventoryAdjustmentGroup {
      id createdAt reason
      changes(quantityNames: ["available", "on_hand"]) { name delta quantityAfterChange item { id } location { id } }
    }
    userErrors { field message code }
  }
}"""


def set_five_more(known: Known) -> dict:
    return {"input": {"name": "available", "reason": "correction", "quantities": [
        {"inventoryItemId": known.item_id, "locationId": known.location_id,
         "quantity": known.available + 5, "compareQuantity": known.available}]}}


def the_level_reads_back_the_quantity_set(answer: dict, read_back: dict, known: Known) -> None:
    result = answer["inventorySetQuantities"]
    assert result["userErrors"] == []
    available = next(c for c in result["inventoryAdjustmentGroup"]["changes"] if c["name"] == "available")
    assert (available["delta"], available["quantityAfterChange"]) == (5, known.available + 5)
    assert (available["item"]["id"], available["location"]["id"]) == (known.item_id, known.location_id)
    assert quantities(read_back["inventoryLevel"])["available"] == known.available + 5


INVENTORY = Resource("inventory", reads=[
    Read(INVENTORY_ITEMS_BY_SKU, the_item_found_by_sku_has_that_sku, lambda known: {"query": f"sku:{known.sku}"}),
    Read(INVENTORY_ITEM, item_has_the_known_level, lambda known: {"id": known.item_id}),
    Read(INVENTORY_LEVEL, level_is_the_one_asked_for, lambda known: {"id": known.level_id}),
], writes=[
    Write(INVENTORY_SET_QUANTITIES, set_five_more,
          read_back=Read(INVENTORY_LEVEL, level_is_the_one_asked_for, lambda known: {"id": known.level_id}),
          then=the_level_reads_back_the_quantity_set),
])

# -- nodes and the shop ------------------------------------------------------------------------------

NODES = """query Nodes($ids: [ID!]!) {
  nodes(ids: $ids) {
    __typename id
    ... on Order { name }
    ... on Customer { email }
    ... on Product { title }
    ... on ProductVariant { sku }
    ... on InventoryItem { sku }
    ... on InventoryLevel { location { id } }
    ... on Location { name }
  }
}"""


def node_ids(known: Known) -> list[str]:
    return [known.order_id, known.customer_id, known.product_id, known.variant_id, known.item_id,
            known.level_id, known.location_id, MISSING_PRODUCT]


def nodes_answer_each_id_with_its_type(data: dict, known: Known) -> None:
    nodes = data["nodes"]
    assert [n and (n["__typename"], n["id"]) for n in nodes] == [
        ("Order", known.order_id), ("Customer", known.customer_id), ("Product", known.product_id),
        ("ProductVariant", known.variant_id), ("InventoryItem", known.item_id), ("InventoryLevel", known.level_id),
        ("Location", known.location_id), None]
    assert (nodes[0]["name"], nodes[1]["email"], nodes[3]["sku"], nodes[4]["sku"]) == (
        known.order_name, known.customer_email, known.sku, known.sku)
    assert nodes[5]["location"]["id"] == known.location_id


NODE_LOOKUPS = Resource("nodes", reads=[Read(NODES, nodes_answer_each_id_with_its_type,
                                             lambda known: {"ids": node_ids(known)})])

SHOP = """query Shop {
  shop {
    id name email myshopifyDomain currencyCode ianaTimezone taxesIncluded weightUnit
    plan { displayName shopifyPlus }
    primaryDomain { host url sslEnabled }
  }
}"""


def shop_is_the_token_holders(data: dict, known: Known) -> None:
    shop = data["shop"]
    assert shop["myshopifyDomain"] == shop["primaryDomain"]["host"] == "demo-eu.myshopify.com"
    assert shop["currencyCode"] == "EUR" and shop["ianaTimezone"]


SHOP_RESOURCE = Resource("shop", reads=[Read(SHOP, shop_is_the_token_holders)])

RESOURCES = [ORDERS, CUSTOMERS, LOCATIONS, PRODUCTS, PRODUCT_VARIANTS, INVENTORY, NODE_LOOKUPS, SHOP_RESOURCE]
READS = [pytest.param(read, id=f"{resource.name}-{read.name}") for resource in RESOURCES for read in resource.reads]
WRITES = [pytest.param(write, id=f"{resource.name}-{write.name}") for resource in RESOURCES
          for write in resource.writes]


# -- the two clients ---------------------------------------------------------------------------------

@dataclass
class Answer:
    data: dict
    extensions: dict


class GqlClient:
    """gql 4 over requests; the client validates each request against the schema before sending it."""

    def __init__(self, simulator, token: str) -> None:
        self.client = Client(schema=admin_schema(), transport=RequestsHTTPTransport(
            url=simulator.graphql_url(), headers={"X-Shopify-Access-Token": token}, timeout=10, retries=0))

    def execute(self, document: str, variables: dict) -> Answer:
        result = self.client.execute(GraphQLRequest(document, variable_values=variables), get_execution_result=True)
        assert not result.errors, result.errors
        return Answer(result.data, result.extensions or {})


class ShopifyApiClient:
    """ShopifyAPI 12: `shopify.GraphQL` on the activated session; it answers with the JSON text."""

    def execute(self, document: str, variables: dict) -> Answer:
        body = json.loads(shopify_api.GraphQL().execute(document, variables))
        assert "errors" not in body, body["errors"]
        return Answer(body["data"], body.get("extensions") or {})


@pytest.fixture(autouse=True)
def unlimited(simulator):
    """Many documents in a row; pacing is test_throttling's subject, not this module's."""
    simulator.shops[0].bucket = LeakyBucket(PLANS["unlimited"])


@pytest.fixture
def shopify_api_session(simulator) -> Iterator[shopify_api.Session]:
    """A ShopifyAPI session for the shop's real domain and token. ShopifyAPI sends to the session's
    `https://{domain}/admin/api/{version}`; like any private app pointing the library at its store,
    we set `ShopifyResource.site` (the library's public setting) to the simulator's address."""
    shop = simulator.shops[0]
    session = shopify_api.Session(shop.domain, SCHEMA_VERSION, shop.access_token)
    shopify_api.ShopifyResource.activate_session(session)
    shopify_api.ShopifyResource.site = session.api_version.api_path(simulator.base_url)
    try:
        yield session
    finally:
        shopify_api.ShopifyResource.clear_session()


@pytest.fixture(params=["gql", "ShopifyAPI"])
def client(request, simulator):
    if request.param == "gql":
        return GqlClient(simulator, simulator.shops[0].access_token)
    request.getfixturevalue("shopify_api_session")
    return ShopifyApiClient()


@pytest.fixture
def known(shopify) -> Known:
    """The first order and customer, and a tracked variant with a SKU, its item and its level at the
    shop's primary location: read over bare HTTP, apart from the clients under test."""
    data = shopify.run_text("""{
      orders(first: 1) { nodes { id name } }
      customers(first: 1) { nodes { id email } }
      productVariants(first: 50) { nodes { id sku product { id } inventoryItem { id tracked } } }
      location { id }
    }""")
    variant = next(v for v in data["productVariants"]["nodes"] if v["sku"] and v["inventoryItem"]["tracked"])
    location_id = data["location"]["id"]
    level = shopify.run_text('query($id: ID!, $location: ID!) { inventoryItem(id: $id) { inventoryLevel('
                             'locationId: $location) { id quantities(names: ["available"]) { name quantity } } } }',
                             id=variant["inventoryItem"]["id"], location=location_id)["inventoryItem"]["inventoryLevel"]
    [order], [customer] = data["orders"]["nodes"], data["customers"]["nodes"]
    return Known(order_id=order["id"], order_name=order["name"], customer_id=customer["id"],
                 customer_email=customer["email"], product_id=variant["product"]["id"], variant_id=variant["id"],
                 sku=variant["sku"], item_id=variant["inventoryItem"]["id"], location_id=location_id,
                 level_id=level["id"], available=quantities(level)["available"])


def run(client, entry: Read | Write, variables: dict) -> dict:
    """Run an entry's document through `client`; its answer must have the document's shape and a cost."""
    answer = client.execute(entry.document, variables)
    errors = answer_shape_errors(admin_schema(), parse(entry.document), answer.data)
    assert errors == [], "\n".join(errors)
    cost = answer.extensions["cost"]
    assert cost["actualQueryCost"] <= cost["requestedQueryCost"] and cost["throttleStatus"]["restoreRate"] > 0
    return answer.data


# -- the tests ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("document", [p.values[0].document for p in READS + WRITES],
                         ids=[p.id for p in READS + WRITES])
def test_every_document_is_valid_against_the_2025_01_schema(document):
    """What both clients send is a request Shopify's own schema accepts."""
    assert validate(admin_schema(), parse(document)) == []


@pytest.mark.parametrize("read", READS)
def test_a_read_through_a_real_client_answers_in_the_schemas_shape(client, known, read):
    """Each query answers through gql and ShopifyAPI alike, shaped as the schema says, with the records
    a merchant asked for."""
    # when
    data = run(client, read, read.variables(known))
    # then
    read.then(data, known)


@pytest.mark.parametrize("write", WRITES)
def test_a_write_through_a_real_client_is_read_back_through_it(client, known, write):
    """Each mutation answers through gql and ShopifyAPI alike, and the same client then reads the change."""
    # when
    answer = run(client, write, write.variables(known))
    read_back = run(client, write.read_back, write.read_back.variables(known))
    # then
    write.then(answer, read_back, known)
    write.read_back.then(read_back, known)


def test_shopify_api_sends_to_the_simulators_endpoint_with_the_shops_token(simulator, shopify_api_session):
    """The session's site is where ShopifyAPI posts GraphQL; the token header is the shop's."""
    graphql = shopify_api.GraphQL()

    assert graphql.endpoint == simulator.graphql_url()
    assert graphql.headers["X-Shopify-Access-Token"] == simulator.shops[0].access_token
    assert shopify_api.ShopifyResource.url == simulator.shops[0].domain


def test_a_shape_check_catches_what_a_wrong_answer_would_break():
    """The checker is strict where clients break: null in non-null, a lone object for a list, an
    enum value the schema lacks, a number where Money is a string, and a field nobody asked for."""
    document = parse("{ order(id: \"x\") { id displayFinancialStatus tags totalPriceSet { shopMoney { amount } } } }")
    wrong = {"order": {"id": None, "displayFinancialStatus": "SETTLED", "tags": "a", "note": "",
                       "totalPriceSet": {"shopMoney": {"amount": 12.5}}}}

    errors = answer_shape_errors(admin_schema(), document, wrong)

    assert errors == [
        "data.order: not asked for: note",
        "data.order.id: null for non-null ID!",
        "data.order.displayFinancialStatus: 'SETTLED' is not a OrderDisplayFinancialStatus value",
        "data.order.tags: expected a list ([String!]!), got 'a'",
        "data.order.totalPriceSet.shopMoney.amount: 12.5 is not a decimal string (Decimal)",
    ]


def test_a_shape_check_reads_a_node_as_its_typename_and_checks_times_and_counts():
    """An interface value is checked as the type its __typename names (and must name one); a DateTime
    must be ISO 8601 and an Int a 32-bit integer, not a string."""
    document = parse('{ nodes(ids: ["a", "b", "c"]) { __typename ... on Order { createdAt } '
                     '... on ProductVariant { inventoryQuantity } } }')
    wrong = {"nodes": [{"__typename": "Order", "createdAt": "12/03/2025"},
                       {"__typename": "ProductVariant", "inventoryQuantity": "7"},
                       {"__typename": "MoneyV2"}, {"id": "gid://shopify/Order/1"}]}

    errors = answer_shape_errors(admin_schema(), document, wrong)

    assert errors == [
        "data.nodes[0].createdAt: '12/03/2025' is not an ISO 8601 date and time (DateTime)",
        "data.nodes[1].inventoryQuantity: '7' is not a Int (Int cannot represent non-integer value: '7')",
        "data.nodes[2]: 'MoneyV2' is not a Node type",
        "data.nodes[3]: select __typename on Node to check it",
    ]
