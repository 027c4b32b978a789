"""What every real-client test module shares: the tables' entries (`Read`, `Write`, `Resource`), what
their variables point at (`Known`), the two clients under test, and running a document through one so
its answer must keep the schema's shape and carry a cost."""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pytest
import shopify as shopify_api
from gql import Client, GraphQLRequest
from gql.transport.requests import RequestsHTTPTransport
from graphql import OperationDefinitionNode, parse, validate

from shopify_simulator.schema import SCHEMA_VERSION, admin_schema
from shopify_simulator.store.media import solid_png
from tests.fixtures.graphql_answers import answer_shape_errors
from tests.fixtures.shopify_simulator import ShopifyHttp, shop_named

QUANTITIES = 'quantities(names: ["available", "on_hand", "committed"]) { name quantity }'
MISSING_PRODUCT = "gid://shopify/Product/1"
PICTURE = solid_png((10, 120, 200), 24)   # what writes upload as a product image or a file


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
    catalog_id: str = ""                                # B2B shops only, as the next three
    company_id: str = ""                                # B2B shops: the company most orders were placed for,
    price_list_id: str = ""                             # a company-location catalog's price list in the shop
    price_list_currency: str = ""                       # currency, and that currency
    tag: str = ""                                       # a write's own name for what it makes: client and write
    made: dict = field(default_factory=dict)            # what its `given` made through the client
    written: dict = field(default_factory=dict)         # its answer, for the read-back's variables


@dataclass(frozen=True)
class Read:
    """A query, its variables and what its answer must say (`then(data, known)` asserts)."""
    document: str
    then: Callable[[dict, Known], None]
    variables: Callable[[Known], dict] = lambda known: {}
    shop: str = "demo-eu"                               # whose token the client holds (its resource's)

    @property
    def name(self) -> str:
        return operation_name(self.document)


def nothing_given(client, known: Known) -> dict:
    return {}


@dataclass(frozen=True)
class Write:
    """A mutation, then `read_back` through the same client; `then(answer, read_back, known)` asserts.
    `given(client, known)` first makes what the mutation acts on, through the same client; what it
    returns is `known.made`."""
    document: str
    variables: Callable[[Known], dict]
    read_back: Read
    then: Callable[[dict, dict, Known], None]
    given: Callable[[object, Known], dict] = nothing_given
    shop: str = "demo-eu"

    @property
    def name(self) -> str:
        return operation_name(self.document)


@dataclass(frozen=True)
class Resource:
    name: str
    reads: list[Read]
    writes: list[Write] = field(default_factory=list)
    shop: str = "demo-eu"                               # B2B resources: demo-us (demo-eu sells to consumers)


def operation_name(document: str) -> str:
    return next(d.name.value for d in parse(document).definitions if isinstance(d, OperationDefinitionNode))


def quantities(level: dict) -> dict[str, int]:
    return {q["name"]: q["quantity"] for q in level["quantities"]}


def given_data(client, document: str, **variables) -> dict:
    """The data of a document a write's `given` step sends through the client under test; a
    mutation's userErrors must be empty."""
    data = client.execute(document, variables).data
    for payload in data.values():
        assert not (isinstance(payload, dict) and payload.get("userErrors")), payload["userErrors"]
    return data



def reads_of(*resources: Resource) -> list:
    """The resources' reads as test parameters, each with its resource's shop."""
    return [pytest.param(replace(read, shop=resource.shop), id=f"{resource.name}-{read.name}")
            for resource in resources for read in resource.reads]


def writes_of(*resources: Resource) -> list:
    """The resources' writes as test parameters, each with its resource's shop."""
    return [pytest.param(replace(write, shop=resource.shop), id=f"{resource.name}-{write.name}")
            for resource in resources for write in resource.writes]


def documents_of(*resources: Resource, given: list[str] = ()) -> dict[str, str]:
    """Every document the resources' entries send, by operation name; `given`: what their `given`
    steps send besides the entries' own."""
    return {operation_name(document): document for document in
            [*(read.document for resource in resources for read in resource.reads),
             *(d for resource in resources for write in resource.writes
               for d in (write.document, write.read_back.document)), *given]}


# -- the two clients ---------------------------------------------------------------------------------

@dataclass
class Answer:
    data: dict
    extensions: dict


class GqlClient:
    """gql 4 over requests; the client validates each request against the schema before sending it."""
    name = "gql"

    def __init__(self, simulator, token: str) -> None:
        self.client = Client(schema=admin_schema(), transport=RequestsHTTPTransport(
            url=simulator.graphql_url(), headers={"X-Shopify-Access-Token": token}, timeout=10, retries=0))

    def execute(self, document: str, variables: dict) -> Answer:
        result = self.client.execute(GraphQLRequest(document, variable_values=variables), get_execution_result=True)
        assert not result.errors, result.errors
        return Answer(result.data, result.extensions or {})


class ShopifyApiClient:
    """ShopifyAPI 12: `shopify.GraphQL` on the activated session; it answers with the JSON text."""
    name = "ShopifyAPI"

    def execute(self, document: str, variables: dict) -> Answer:
        body = json.loads(shopify_api.GraphQL().execute(document, variables))
        assert "errors" not in body, body["errors"]
        return Answer(body["data"], body.get("extensions") or {})



def activate_session(simulator, handle: str) -> shopify_api.Session:
    """A ShopifyAPI session for the shop's real domain and token, activated. ShopifyAPI sends to the
    session's `https://{domain}/admin/api/{version}`; like any private app pointing the library at its
    store, we set `ShopifyResource.site` (the library's public setting) to the simulator's address."""
    shop = shop_named(simulator, handle)
    session = shopify_api.Session(shop.domain, SCHEMA_VERSION, shop.access_token)
    shopify_api.ShopifyResource.activate_session(session)
    shopify_api.ShopifyResource.site = session.api_version.api_path(simulator.base_url)
    return session



def known_in(shopify: ShopifyHttp) -> Known:
    """The first order and customer, and a tracked variant with a SKU, its item and its level at the
    shop's primary location; in a B2B shop, the company most orders were placed for and a catalog
    priced in the shop's currency: read over bare HTTP, apart from the clients under test."""
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
    known = Known(order_id=order["id"], order_name=order["name"], customer_id=customer["id"],
                  customer_email=customer["email"], product_id=variant["product"]["id"], variant_id=variant["id"],
                  sku=variant["sku"], item_id=variant["inventoryItem"]["id"], location_id=location_id,
                  level_id=level["id"], available=quantities(level)["available"])
    b2b = shopify.run_text("""{ shop { currencyCode } companies(first: 20) { nodes { id ordersCount { count } } }
      catalogs(first: 20, type: COMPANY_LOCATION) { nodes { id priceList { id currency } } } }""")
    if not b2b["companies"]["nodes"]:
        return known
    company = max(b2b["companies"]["nodes"], key=lambda c: c["ordersCount"]["count"])
    catalog = next(c for c in b2b["catalogs"]["nodes"] if c["priceList"]["currency"] == b2b["shop"]["currencyCode"])
    return replace(known, company_id=company["id"], catalog_id=catalog["id"], price_list_id=catalog["priceList"]["id"],
                   price_list_currency=catalog["priceList"]["currency"])


def run(client, document: str, variables: dict) -> dict:
    """Run a document through `client`; its answer must have the document's shape and a cost."""
    answer = client.execute(document, variables)
    errors = answer_shape_errors(admin_schema(), parse(document), answer.data)
    assert errors == [], "\n".join(errors)
    cost = answer.extensions["cost"]
    assert cost["actualQueryCost"] <= cost["requestedQueryCost"] and cost["throttleStatus"]["restoreRate"] > 0
    return answer.data


def assert_valid(document: str) -> None:
    """What both clients send is a request Shopify's own schema accepts."""
    assert validate(admin_schema(), parse(document)) == []


def read_through(client_of, known_of, read: Read) -> None:
    """Each query answers through gql and ShopifyAPI alike, shaped as the schema says, with the records
    a merchant asked for."""
    # given
    client, known = client_of(read.shop), known_of(read.shop)
    # when
    data = run(client, read.document, read.variables(known))
    # then
    read.then(data, known)


def write_through(client_of, known_of, write: Write) -> None:
    """Each mutation answers through gql and ShopifyAPI alike, and the same client then reads the change."""
    # given
    client = client_of(write.shop)
    known = replace(known_of(write.shop), tag=f"{client.name}-{write.name}".lower())
    known = replace(known, made=write.given(client, known))
    # when
    answer = run(client, write.document, write.variables(known))
    known = replace(known, written=answer)
    read_back = run(client, write.read_back.document, write.read_back.variables(known))
    # then
    write.then(answer, read_back, known)
    write.read_back.then(read_back, known)
