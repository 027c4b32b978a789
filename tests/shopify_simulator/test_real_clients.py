"""Shopify's own client libraries talk to the simulator as they talk to Shopify: every resource's
read and write documents go through gql 4 (requests transport, the schema validating each request
locally) and ShopifyAPI 12 (`shopify.GraphQL` on an activated session). Each answer keeps the shape
its document asks for in the 2025-01 schema, says what a merchant would expect, and carries the cost
extension clients pace on. A resource's documents are one entry in RESOURCES. Writes make their own
records first (`given`, through the same client), named after the client and the write, so no run
reads another's."""
from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal

import pytest
import requests
import shopify as shopify_api
from gql import Client, GraphQLRequest
from gql.transport.requests import RequestsHTTPTransport
from graphql import OperationDefinitionNode, parse, validate

from shopify_simulator.bucket import PLANS, LeakyBucket
from shopify_simulator.schema import SCHEMA_VERSION, admin_schema
from shopify_simulator.store.media import solid_png
from tests.fixtures.graphql_answers import answer_shape_errors
from tests.fixtures.shopify_simulator import ShopifyHttp, shop_named
from tests.shopify_simulator import test_bulk_catalog as bulk_exports

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


CUSTOMER_FIELDS = ("id email firstName lastName displayName note tags createdAt updatedAt "
                   "defaultAddress { city countryCodeV2 }")
CUSTOMER_CREATE = """mutation CustomerCreate($input: CustomerInput!) {
  customerCreate(input: $input) { customer { %s } userErrors { field message } }
}""" % CUSTOMER_FIELDS
CUSTOMER_UPDATE = """mutation CustomerUpdate($input: CustomerInput!) {
  customerUpdate(input: $input) { customer { %s } userErrors { field message } }
}""" % CUSTOMER_FIELDS
CUSTOMER_AS_EDITED = """query CustomerAsEdited($id: ID!) { customer(id: $id) { %s } }""" % CUSTOMER_FIELDS


def new_customer(known: Known) -> dict:
    return {"input": {"firstName": "Ada", "lastName": "Lovelace", "email": f"{known.tag}@example.org",
                      "tags": ["wholesale"], "addresses": [{"address1": "12 rue de Rivoli", "city": "Paris",
                                                            "zip": "75004", "countryCode": "FR"}]}}


def a_customer(client, known: Known) -> dict:
    return given_data(client, CUSTOMER_CREATE, **new_customer(known))["customerCreate"]["customer"]


def every_customer_found_has_the_email_written(data: dict, known: Known) -> None:
    assert {c["email"] for c in data["customers"]["nodes"]} == {f"{known.tag}@example.org"}


def the_customer_created_is_found_by_its_email(answer: dict, read_back: dict, known: Known) -> None:
    result = answer["customerCreate"]
    assert result["userErrors"] == []
    assert (result["customer"]["displayName"], result["customer"]["defaultAddress"]) == (
        "Ada Lovelace", {"city": "Paris", "countryCodeV2": "FR"})
    [found] = read_back["customers"]["nodes"]
    assert (found["id"], found["firstName"], found["lastName"]) == (result["customer"]["id"], "Ada", "Lovelace")


def customer_is_the_one_made(data: dict, known: Known) -> None:
    assert data["customer"]["id"] == known.made["id"]


def the_customer_reads_back_as_edited(answer: dict, read_back: dict, known: Known) -> None:
    result = answer["customerUpdate"]
    assert result["userErrors"] == []
    customer = read_back["customer"]
    assert customer == result["customer"]
    assert (customer["firstName"], customer["displayName"], customer["note"], customer["tags"]) == (
        "Augusta", "Augusta Lovelace", "Pays by transfer", ["b2b"])
    assert (customer["email"], customer["createdAt"]) == (known.made["email"], known.made["createdAt"])
    assert customer["updatedAt"] > known.made["updatedAt"]


CUSTOMERS = Resource("customers", reads=[
    Read(CUSTOMERS_BY_EMAIL, one_customer_has_that_email, lambda known: {"query": f"email:{known.customer_email}"}),
    Read(CUSTOMER, customer_is_the_one_asked_for, lambda known: {"id": known.customer_id}),
], writes=[
    Write(CUSTOMER_CREATE, new_customer,
          read_back=Read(CUSTOMERS_BY_EMAIL, every_customer_found_has_the_email_written,
                         lambda known: {"query": f"email:{known.tag}@example.org"}),
          then=the_customer_created_is_found_by_its_email),
    Write(CUSTOMER_UPDATE, lambda known: {"input": {"id": known.made["id"], "firstName": "Augusta",
                                                    "note": "Pays by transfer", "tags": ["b2b"]}},
          read_back=Read(CUSTOMER_AS_EDITED, customer_is_the_one_made, lambda known: {"id": known.made["id"]}),
          then=the_customer_reads_back_as_edited, given=a_customer),
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


STAGED_UPLOADS_CREATE = """mutation StagedUploadsCreate($input: [StagedUploadInput!]!) {
  stagedUploadsCreate(input: $input) {
    stagedTargets { url resourceUrl parameters { name value } }
    userErrors { field message }
  }
}"""
PRODUCT_CREATE = """mutation ProductCreate($product: ProductCreateInput!, $media: [CreateMediaInput!]) {
  productCreate(product: $product, media: $media) {
    product { id title handle status vendor options { name values } variants(first: 5) { nodes { id title } } }
    userErrors { field message }
  }
}"""
PRODUCT_WITH_MEDIA = """query ProductWithMedia($id: ID!) {
  product(id: $id) {
    id title
    media(first: 5) { nodes { __typename id alt status ... on MediaImage { image { url width height } } } }
  }
}"""


def uploaded(client, filename: str) -> str:
    """PICTURE uploaded as Shopify's flow goes: stagedUploadsCreate through the client, then a PUT of
    the bytes to the target; the URL to give as originalSource."""
    target = given_data(client, STAGED_UPLOADS_CREATE, input=[
        {"resource": "IMAGE", "filename": filename, "mimeType": "image/png", "httpMethod": "PUT"},
    ])["stagedUploadsCreate"]["stagedTargets"][0]
    put = requests.put(target["url"], data=PICTURE, headers={"Content-Type": "image/png"}, timeout=10)
    assert put.status_code == 201, put.text
    return target["resourceUrl"]


def staged_picture(client, known: Known) -> dict:
    return {"source": uploaded(client, f"{known.tag}.png")}


def a_mug_titled(known: Known) -> dict:
    return {"title": f"Enamel Mug {known.tag}", "vendor": "Syncsite Test", "status": "ACTIVE",
            "productOptions": [{"name": "Colour", "values": [{"name": "White"}]}]}


def a_mug(client, known: Known) -> dict:
    """A product of the write's own, with its one standalone variant (Colour: White)."""
    product = given_data(client, PRODUCT_CREATE, product=a_mug_titled(known))["productCreate"]["product"]
    return {"product_id": product["id"], "handle": product["handle"]}


def the_product_shows_its_images(data: dict, known: Known) -> None:
    media = data["product"]["media"]["nodes"]
    assert media and all(m["status"] == "READY" and m["image"]["url"] for m in media)


def the_product_created_shows_the_uploaded_picture(answer: dict, read_back: dict, known: Known) -> None:
    result = answer["productCreate"]
    assert result["userErrors"] == []
    product = result["product"]
    assert (product["title"], product["status"]) == (f"Enamel Mug {known.tag}", "ACTIVE")
    assert product["options"] == [{"name": "Colour", "values": ["White"]}]
    assert [v["title"] for v in product["variants"]["nodes"]] == ["White"]
    assert read_back["product"]["id"] == product["id"]
    [image] = read_back["product"]["media"]["nodes"]
    assert (image["__typename"], image["alt"], image["image"]["width"]) == ("MediaImage", "A white mug", 24)
    served = requests.get(image["image"]["url"], timeout=10)
    assert served.status_code == 200 and served.content == PICTURE


PRODUCT_UPDATE = """mutation ProductUpdate($product: ProductUpdateInput!) {
  productUpdate(product: $product) { product { id title handle status } userErrors { field message } }
}"""
PRODUCT_STATUS = """query ProductStatus($id: ID!) { product(id: $id) { id title handle status } }"""


def product_is_the_one_made(data: dict, known: Known) -> None:
    assert data["product"]["id"] == known.made["product_id"]


def the_product_reads_back_renamed_and_archived(answer: dict, read_back: dict, known: Known) -> None:
    result = answer["productUpdate"]
    assert result["userErrors"] == []
    assert read_back["product"] == result["product"]
    assert (read_back["product"]["title"], read_back["product"]["status"]) == (f"Blue Mug {known.tag}", "ARCHIVED")
    assert read_back["product"]["handle"] == known.made["handle"]   # a new title keeps the handle


PRODUCT_DELETE = """mutation ProductDelete($input: ProductDeleteInput!) {
  productDelete(input: $input) { deletedProductId userErrors { field message } }
}"""


def the_product_deleted_is_gone(answer: dict, read_back: dict, known: Known) -> None:
    assert answer["productDelete"] == {"deletedProductId": known.made["product_id"], "userErrors": []}


PRODUCTS = Resource("products", reads=[
    Read(PRODUCTS_WITH_VARIANTS, products_list_their_own_variants, lambda known: {"first": 5}),
    Read(PRODUCTS_BY_SKU, the_product_found_by_sku_has_that_sku, lambda known: {"query": f"sku:{known.sku}"}),
    Read(PRODUCT, product_lists_the_known_variant, lambda known: {"id": known.product_id}),
    Read(MISSING_PRODUCT_QUERY, a_missing_product_is_null, lambda known: {"id": MISSING_PRODUCT}),
], writes=[
    Write(PRODUCT_CREATE, lambda known: {"product": a_mug_titled(known), "media": [
        {"originalSource": known.made["source"], "alt": "A white mug", "mediaContentType": "IMAGE"}]},
          read_back=Read(PRODUCT_WITH_MEDIA, the_product_shows_its_images,
                         lambda known: {"id": known.written["productCreate"]["product"]["id"]}),
          then=the_product_created_shows_the_uploaded_picture, given=staged_picture),
    Write(PRODUCT_UPDATE, lambda known: {"product": {"id": known.made["product_id"], "title": f"Blue Mug {known.tag}",
                                                     "status": "ARCHIVED"}},
          read_back=Read(PRODUCT_STATUS, product_is_the_one_made, lambda known: {"id": known.made["product_id"]}),
          then=the_product_reads_back_renamed_and_archived, given=a_mug),
    Write(PRODUCT_DELETE, lambda known: {"input": {"id": known.made["product_id"]}},
          read_back=Read(MISSING_PRODUCT_QUERY, a_missing_product_is_null,
                         lambda known: {"id": known.made["product_id"]}),
          then=the_product_deleted_is_gone, given=a_mug),
])

PRODUCT_VARIANTS_BULK_CREATE = """mutation ProductVariantsBulkCreate($productId: ID!,
    $variants: [ProductVariantsBulkInput!]!, $strategy: ProductVariantsBulkCreateStrategy) {
  productVariantsBulkCreate(productId: $productId, variants: $variants, strategy: $strategy) {
    product { id options { name values } variants(first: 10) { nodes { id title sku } } }
    productVariants { id title sku price inventoryItem { id tracked } }
    userErrors { field message code }
  }
}"""
PRODUCT_VARIANTS_BULK_UPDATE = """mutation ProductVariantsBulkUpdate($productId: ID!,
    $variants: [ProductVariantsBulkInput!]!) {
  productVariantsBulkUpdate(productId: $productId, variants: $variants) {
    productVariants { id sku price }
    userErrors { field message code }
  }
}"""
VARIANTS_OF_SKUS = """query VariantsOfSkus($query: String!) {
  productVariants(first: 5, query: $query) {
    nodes {
      id sku title price product { id }
      inventoryItem { id sku tracked inventoryLevels(first: 5) { nodes { location { id } } } }
    }
  }
}"""


def mug_sku(known: Known, colour: str) -> str:
    return f"MUG-{known.tag.upper()}-{colour.upper()}"


def white_and_blue(known: Known) -> dict:
    """Two tracked variants with SKUs, replacing the product's standalone one."""
    return {"productId": known.made["product_id"], "strategy": "REMOVE_STANDALONE_VARIANT", "variants": [
        {"optionValues": [{"optionName": "Colour", "name": colour}], "price": price,
         "inventoryItem": {"sku": mug_sku(known, colour), "tracked": True}}
        for colour, price in (("White", "12.00"), ("Blue", "13.50"))]}


def a_mug_in_white_and_blue(client, known: Known) -> dict:
    """A product of the write's own with two tracked variants; `variants` by SKU."""
    made = a_mug(client, known)
    created = given_data(client, PRODUCT_VARIANTS_BULK_CREATE, **white_and_blue(replace(known, made=made)))
    return made | {"variants": {v["sku"]: v for v in created["productVariantsBulkCreate"]["productVariants"]}}


def every_variant_found_is_the_writes_own(data: dict, known: Known) -> None:
    variants = data["productVariants"]["nodes"]
    assert variants and all(v["sku"].startswith(f"MUG-{known.tag.upper()}-") for v in variants)


def the_variants_replace_the_standalone_one_and_are_stocked_at_the_primary_location(
        answer: dict, read_back: dict, known: Known) -> None:
    result = answer["productVariantsBulkCreate"]
    assert result["userErrors"] == []
    assert [(v["title"], v["sku"], v["price"]) for v in result["productVariants"]] == [
        ("White", mug_sku(known, "White"), "12.00"), ("Blue", mug_sku(known, "Blue"), "13.50")]
    assert [v["title"] for v in result["product"]["variants"]["nodes"]] == ["White", "Blue"]
    assert result["product"]["options"] == [{"name": "Colour", "values": ["White", "Blue"]}]
    [blue] = read_back["productVariants"]["nodes"]
    assert (blue["sku"], blue["price"], blue["product"]["id"]) == (mug_sku(known, "Blue"), "13.50",
                                                                   known.made["product_id"])
    item = blue["inventoryItem"]
    assert (item["sku"], item["tracked"]) == (mug_sku(known, "Blue"), True)
    assert [level["location"]["id"] for level in item["inventoryLevels"]["nodes"]] == [known.location_id]


def blue_at_fifteen(known: Known) -> dict:
    return {"productId": known.made["product_id"],
            "variants": [{"id": known.made["variants"][mug_sku(known, "Blue")]["id"], "price": "15.00"}]}


def only_the_price_asked_for_changes(answer: dict, read_back: dict, known: Known) -> None:
    result = answer["productVariantsBulkUpdate"]
    assert result["userErrors"] == []
    blue = known.made["variants"][mug_sku(known, "Blue")]
    assert result["productVariants"] == [{"id": blue["id"], "sku": blue["sku"], "price": "15.00"}]
    found = {v["sku"]: (v["id"], v["price"], v["inventoryItem"]["tracked"])
             for v in read_back["productVariants"]["nodes"]}
    assert found == {sku: (v["id"], "15.00" if sku == blue["sku"] else v["price"], True)
                     for sku, v in known.made["variants"].items()}


PRODUCT_VARIANTS = Resource("productVariants", reads=[
    Read(VARIANTS_BY_SKU, the_variant_found_by_sku_has_that_sku, lambda known: {"query": f"sku:{known.sku}"}),
    Read(VARIANT, variant_is_the_one_asked_for, lambda known: {"id": known.variant_id}),
], writes=[
    Write(PRODUCT_VARIANTS_BULK_CREATE, white_and_blue,
          read_back=Read(VARIANTS_OF_SKUS, every_variant_found_is_the_writes_own,
                         lambda known: {"query": f"sku:{mug_sku(known, 'Blue')}"}),
          then=the_variants_replace_the_standalone_one_and_are_stocked_at_the_primary_location, given=a_mug),
    Write(PRODUCT_VARIANTS_BULK_UPDATE, blue_at_fifteen,
          read_back=Read(VARIANTS_OF_SKUS, every_variant_found_is_the_writes_own,
                         lambda known: {"query": f"sku:{mug_sku(known, 'White')} OR sku:{mug_sku(known, 'Blue')}"}),
          then=only_the_price_asked_for_changes, given=a_mug_in_white_and_blue),
])

# -- files -------------------------------------------------------------------------------------------

FILES = """query Files($first: Int!, $query: String) {
  files(first: $first, query: $query) {
    nodes { __typename id alt fileStatus createdAt ... on MediaImage { mimeType image { url width height } } }
    pageInfo { hasNextPage endCursor }
  }
}"""


def files_are_ready_images(data: dict, known: Known) -> None:
    files = data["files"]["nodes"]
    assert len(files) == 5 and data["files"]["pageInfo"]["hasNextPage"]
    assert all((f["__typename"], f["fileStatus"]) == ("MediaImage", "READY") and f["image"]["url"] for f in files)


FILE_CREATE = """mutation FileCreate($files: [FileCreateInput!]!) {
  fileCreate(files: $files) {
    files { __typename id alt fileStatus ... on MediaImage { image { url } } }
    userErrors { field message code }
  }
}"""
FILE_UPDATE = """mutation FileUpdate($files: [FileUpdateInput!]!) {
  fileUpdate(files: $files) { files { __typename id alt } userErrors { field message code } }
}"""


def a_label(known: Known) -> dict:
    return {"files": [{"originalSource": known.made["source"], "alt": f"Label {known.tag}",
                       "filename": f"{known.tag}.png", "contentType": "IMAGE"}]}


def the_files_found_are_the_writes_own(data: dict, known: Known) -> None:
    files = data["files"]["nodes"]
    assert files and all(f["alt"] == f"Label {known.tag}" for f in files)


def the_file_created_is_listed_by_name_and_served(answer: dict, read_back: dict, known: Known) -> None:
    result = answer["fileCreate"]
    assert result["userErrors"] == []
    [created] = result["files"]
    [listed] = read_back["files"]["nodes"]
    assert (listed["id"], listed["fileStatus"], listed["mimeType"]) == (created["id"], "READY", "image/png")
    served = requests.get(listed["image"]["url"], timeout=10)
    assert served.status_code == 200 and served.content == PICTURE


def a_file_and_a_mug(client, known: Known) -> dict:
    made = staged_picture(client, known) | a_mug(client, known)
    [file] = given_data(client, FILE_CREATE, **a_label(replace(known, made=made)))["fileCreate"]["files"]
    return made | {"file_id": file["id"]}


def the_file_is_the_products_image(answer: dict, read_back: dict, known: Known) -> None:
    result = answer["fileUpdate"]
    assert result["userErrors"] == []
    assert result["files"] == [{"__typename": "MediaImage", "id": known.made["file_id"], "alt": "On the mug"}]
    assert [(m["id"], m["alt"]) for m in read_back["product"]["media"]["nodes"]] == [
        (known.made["file_id"], "On the mug")]


FILE_RESOURCE = Resource("files", reads=[
    Read(FILES, files_are_ready_images, lambda known: {"first": 5}),
], writes=[
    Write(FILE_CREATE, a_label,
          read_back=Read(FILES, the_files_found_are_the_writes_own,
                         lambda known: {"first": 5, "query": f"filename:{known.tag}.png"}),
          then=the_file_created_is_listed_by_name_and_served, given=staged_picture),
    Write(FILE_UPDATE, lambda known: {"files": [{"id": known.made["file_id"], "alt": "On the mug",
                                                 "referencesToAdd": [known.made["product_id"]]}]},
          read_back=Read(PRODUCT_WITH_MEDIA, the_product_shows_its_images,
                         lambda known: {"id": known.made["product_id"]}),
          then=the_file_is_the_products_image, given=a_file_and_a_mug),
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


INVENTORY_ACTIVATE = """mutation InventoryActivate($inventoryItemId: ID!, $locationId: ID!, $available: Int) {
  inventoryActivate(inventoryItemId: $inventoryItemId, locationId: $locationId, available: $available) {
    inventoryLevel { id item { id } location { id } %s }
    userErrors { field message }
  }
}""" % QUANTITIES
INVENTORY_LEVEL_AT = """query InventoryLevelAt($id: ID!, $locationId: ID!) {
  inventoryItem(id: $id) {
    id
    inventoryLevel(locationId: $locationId) { id location { id } %s }
    inventoryLevels(first: 10) { nodes { location { id } } }
  }
}""" % QUANTITIES
STOCKED_AT = """query StockedAt($id: ID!) {
  inventoryItem(id: $id) { inventoryLevels(first: 10) { nodes { location { id } } } }
  locations(first: 10) { nodes { id isActive isFulfillmentService } }
}"""


def a_mug_and_a_location_without_it(client, known: Known) -> dict:
    """A new tracked variant's item (stocked at the primary location only) and an active shop
    location it is not stocked at."""
    made = a_mug_in_white_and_blue(client, known)
    item_id = made["variants"][mug_sku(known, "White")]["inventoryItem"]["id"]
    data = given_data(client, STOCKED_AT, id=item_id)
    stocked = {level["location"]["id"] for level in data["inventoryItem"]["inventoryLevels"]["nodes"]}
    location_id = next(loc["id"] for loc in data["locations"]["nodes"]
                       if loc["isActive"] and not loc["isFulfillmentService"] and loc["id"] not in stocked)
    return made | {"item_id": item_id, "location_id": location_id}


def level_is_at_the_location_asked_for(data: dict, known: Known) -> None:
    item = data["inventoryItem"]
    assert (item["id"], item["inventoryLevel"]["location"]["id"]) == (known.made["item_id"], known.made["location_id"])


def the_item_is_stocked_at_the_new_location_with_its_first_quantity(answer: dict, read_back: dict,
                                                                     known: Known) -> None:
    result = answer["inventoryActivate"]
    assert result["userErrors"] == []
    level = read_back["inventoryItem"]["inventoryLevel"]
    assert result["inventoryLevel"]["id"] == level["id"]
    assert quantities(result["inventoryLevel"]) == quantities(level) == {"available": 7, "on_hand": 7, "committed": 0}
    assert {n["location"]["id"] for n in read_back["inventoryItem"]["inventoryLevels"]["nodes"]} == {
        known.location_id, known.made["location_id"]}


INVENTORY = Resource("inventory", reads=[
    Read(INVENTORY_ITEMS_BY_SKU, the_item_found_by_sku_has_that_sku, lambda known: {"query": f"sku:{known.sku}"}),
    Read(INVENTORY_ITEM, item_has_the_known_level, lambda known: {"id": known.item_id}),
    Read(INVENTORY_LEVEL, level_is_the_one_asked_for, lambda known: {"id": known.level_id}),
], writes=[
    Write(INVENTORY_SET_QUANTITIES, set_five_more,
          read_back=Read(INVENTORY_LEVEL, level_is_the_one_asked_for, lambda known: {"id": known.level_id}),
          then=the_level_reads_back_the_quantity_set),
    Write(INVENTORY_ACTIVATE, lambda known: {"inventoryItemId": known.made["item_id"],
                                             "locationId": known.made["location_id"], "available": 7},
          read_back=Read(INVENTORY_LEVEL_AT, level_is_at_the_location_asked_for,
                         lambda known: {"id": known.made["item_id"], "locationId": known.made["location_id"]}),
          then=the_item_is_stocked_at_the_new_location_with_its_first_quantity, given=a_mug_and_a_location_without_it),
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

# -- fulfillment orders and fulfillments ---------------------------------------------------------------

OPEN_FULFILLMENT_ORDERS = """query OpenFulfillmentOrders($query: String) {
  fulfillmentOrders(first: 20, query: $query) {
    nodes {
      id status orderId order { id name closed }
      assignedLocation { location { id isFulfillmentService } }
      lineItems(first: 10) { nodes { id totalQuantity remainingQuantity lineItem { id sku } } }
    }
    pageInfo { hasNextPage endCursor }
  }
}"""


def open_fulfillment_orders_have_units_left(data: dict, known: Known) -> None:
    found = data["fulfillmentOrders"]["nodes"]
    assert len(found) >= 5
    for fulfillment_order in found:
        assert fulfillment_order["status"] in ("OPEN", "IN_PROGRESS"), fulfillment_order["id"]
        assert fulfillment_order["orderId"] == fulfillment_order["order"]["id"]
        items = fulfillment_order["lineItems"]["nodes"]
        assert items and all(0 <= i["remainingQuantity"] <= i["totalQuantity"] for i in items)
        assert any(i["remainingQuantity"] > 0 for i in items), fulfillment_order["id"]


FULFILLMENT_CREATE = """mutation FulfillmentCreate($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment {
      id name status totalQuantity trackingInfo { company number url }
      fulfillmentLineItems(first: 10) { nodes { quantity lineItem { id } } }
    }
    userErrors { field message }
  }
}"""
FULFILLMENT = """query Fulfillment($id: ID!) {
  fulfillment(id: $id) {
    id name status totalQuantity createdAt
    trackingInfo { company number url }
    location { id }
    order { id displayFulfillmentStatus }
    fulfillmentOrders(first: 5) { nodes { id status } }
  }
}"""


def tracking(known: Known) -> dict:
    number = f"1Z{zlib.crc32(known.tag.encode()):010d}"
    return {"company": "UPS", "number": number, "url": f"https://www.ups.com/track?tracknum={number}"}


def an_open_fulfillment_order(client, known: Known) -> dict:
    """An open fulfillment order at one of the shop's own locations (the fulfillment service's are
    not the merchant's to fulfil), found through the client, with what is left to ship of it."""
    found = given_data(client, OPEN_FULFILLMENT_ORDERS, query="status:open")["fulfillmentOrders"]["nodes"]
    chosen = next(fo for fo in found if not fo["assignedLocation"]["location"]["isFulfillmentService"])
    items = [{"id": item["id"], "quantity": item["remainingQuantity"]}
             for item in chosen["lineItems"]["nodes"] if item["remainingQuantity"] > 0]
    return {"fulfillment_order_id": chosen["id"], "order_id": chosen["orderId"], "items": items,
            "location_id": chosen["assignedLocation"]["location"]["id"]}


def ship_it_all_with_tracking(known: Known) -> dict:
    return {"fulfillment": {"notifyCustomer": False, "trackingInfo": tracking(known), "lineItemsByFulfillmentOrder": [
        {"fulfillmentOrderId": known.made["fulfillment_order_id"],
         "fulfillmentOrderLineItems": known.made["items"]}]}}


def fulfillment_is_the_one_written(data: dict, known: Known) -> None:
    assert data["fulfillment"]["id"] == known.written["fulfillmentCreate"]["fulfillment"]["id"]


def the_fulfillment_reads_back_with_its_tracking_and_closes_the_fulfillment_order(
        answer: dict, read_back: dict, known: Known) -> None:
    result = answer["fulfillmentCreate"]
    assert result["userErrors"] == []
    created = result["fulfillment"]
    units = sum(item["quantity"] for item in known.made["items"])
    assert (created["status"], created["totalQuantity"], created["trackingInfo"]) == (
        "SUCCESS", units, [tracking(known)])
    assert sum(line["quantity"] for line in created["fulfillmentLineItems"]["nodes"]) == units
    found = read_back["fulfillment"]
    assert (found["name"], found["status"], found["trackingInfo"]) == (created["name"], "SUCCESS", [tracking(known)])
    assert (found["order"]["id"], found["location"]["id"]) == (known.made["order_id"], known.made["location_id"])
    assert found["fulfillmentOrders"]["nodes"] == [{"id": known.made["fulfillment_order_id"], "status": "CLOSED"}]


ORDER_CLOSE = """mutation OrderClose($input: OrderCloseInput!) {
  orderClose(input: $input) { order { id closed closedAt } userErrors { field message } }
}"""
ORDER_CLOSED = """query OrderClosed($id: ID!) { order(id: $id) { id name closed closedAt updatedAt } }"""
OPEN_ORDERS = """query OpenOrders { orders(first: 5, query: "status:open") { nodes { id closed updatedAt } } }"""


def an_open_order(client, known: Known) -> dict:
    [order, *_] = given_data(client, OPEN_ORDERS)["orders"]["nodes"]
    assert not order["closed"]
    return {"order_id": order["id"], "updatedAt": order["updatedAt"]}


def order_is_the_open_one_made(data: dict, known: Known) -> None:
    assert data["order"]["id"] == known.made["order_id"]


def the_order_reads_back_closed_now(answer: dict, read_back: dict, known: Known) -> None:
    result = answer["orderClose"]
    assert result["userErrors"] == []
    order = read_back["order"]
    assert (order["closed"], order["closedAt"]) == (True, result["order"]["closedAt"]) and order["closedAt"]
    assert order["updatedAt"] > known.made["updatedAt"]


FULFILLMENTS = Resource("fulfillments", reads=[
    Read(OPEN_FULFILLMENT_ORDERS, open_fulfillment_orders_have_units_left, lambda known: {"query": "status:open"}),
], writes=[
    Write(FULFILLMENT_CREATE, ship_it_all_with_tracking,
          read_back=Read(FULFILLMENT, fulfillment_is_the_one_written,
                         lambda known: {"id": known.written["fulfillmentCreate"]["fulfillment"]["id"]}),
          then=the_fulfillment_reads_back_with_its_tracking_and_closes_the_fulfillment_order,
          given=an_open_fulfillment_order),
    Write(ORDER_CLOSE, lambda known: {"input": {"id": known.made["order_id"]}},
          read_back=Read(ORDER_CLOSED, order_is_the_open_one_made, lambda known: {"id": known.made["order_id"]}),
          then=the_order_reads_back_closed_now, given=an_open_order),
])

# -- Shopify Payments: payouts, balance transactions, disputes ---------------------------------------

PAYOUT_PARTS = ("charges", "adjustments", "reservedFunds", "retriedPayouts")
PAYOUTS_OF_A_MONTH = """query PayoutsOfAMonth($issued: String!, $paid: String!, $after: String) {
  shopifyPaymentsAccount {
    payouts(first: 30, query: $issued) {
      nodes {
        id issuedAt status transactionType net { amount currencyCode }
        summary { %s refundsFeeGross { amount } refundsFee { amount } }
      }
      pageInfo { hasNextPage }
    }
    balanceTransactions(first: 100, after: $after, query: $paid) {
      nodes { id type amount { amount } fee { amount } net { amount } associatedPayout { id } }
      pageInfo { hasNextPage endCursor }
    }
  }
}""" % " ".join(f"{part}Gross {{ amount }} {part}Fee {{ amount }}" for part in PAYOUT_PARTS)
PAYMENTS_MONTH = ("2024-04-01", "2024-05-01")   # demo-eu: charges, refunds, a dispute won, a reserve released


def a_month(month: tuple[str, str]) -> dict:
    return {"issued": f"issued_at:>='{month[0]}' issued_at:<'{month[1]}'",
            "paid": f"payout_date:>='{month[0]}' payout_date:<'{month[1]}'"}


def amount(money: dict) -> Decimal:
    return Decimal(money["amount"])


def payouts_add_up(account: dict) -> set[str]:
    """Each payout's balance transactions net to its net, and its summary's parts do; the kinds of
    the month's transactions."""
    payouts, transactions = account["payouts"], account["balanceTransactions"]
    assert not payouts["pageInfo"]["hasNextPage"] and not transactions["pageInfo"]["hasNextPage"]
    nets = {}
    for transaction in transactions["nodes"]:
        assert amount(transaction["net"]) == amount(transaction["amount"]) - amount(transaction["fee"])
        payout = transaction["associatedPayout"]["id"]
        nets[payout] = nets.get(payout, Decimal(0)) + amount(transaction["net"])
    assert set(nets) == {payout["id"] for payout in payouts["nodes"]}
    for payout in payouts["nodes"]:
        summary = payout["summary"]
        parts = [amount(summary[f"{part}Gross"]) - amount(summary[f"{part}Fee"]) for part in PAYOUT_PARTS]
        parts.append(amount(summary["refundsFeeGross"]) - amount(summary["refundsFee"]))
        assert nets[payout["id"]] == amount(payout["net"]) == sum(parts), payout["id"]
        assert payout["transactionType"] == ("DEPOSIT" if amount(payout["net"]) >= 0 else "WITHDRAWAL")
    return {transaction["type"] for transaction in transactions["nodes"]}


def a_month_of_payouts_adds_up_to_the_cent(data: dict, known: Known) -> None:
    kinds = payouts_add_up(data["shopifyPaymentsAccount"])
    assert kinds >= {"CHARGE", "REFUND", "DISPUTE_REVERSAL", "CHARGEBACK_FEE_REFUND", "RESERVED_FUNDS_REVERSAL"}


DISPUTES = """query Disputes {
  disputes(first: 10) {
    nodes {
      id status type initiatedAt evidenceDueBy finalizedOn
      amount { amount currencyCode }
      reasonDetails { reason networkReasonCode }
      order { id name disputes { id initiatedAs status } }
    }
  }
}"""


def each_dispute_is_listed_by_its_order(data: dict, known: Known) -> None:
    disputes = data["disputes"]["nodes"]
    assert len(disputes) >= 2
    for dispute in disputes:
        assert dispute["type"] == "CHARGEBACK" and amount(dispute["amount"]) > 0
        assert (dispute["finalizedOn"] is None) == (dispute["status"] in ("NEEDS_RESPONSE", "UNDER_REVIEW"))
        assert dispute["order"]["disputes"] == [{"id": dispute["id"], "initiatedAs": "CHARGEBACK",
                                                 "status": dispute["status"]}]


PAYMENTS = Resource("payments", reads=[
    Read(PAYOUTS_OF_A_MONTH, a_month_of_payouts_adds_up_to_the_cent, lambda known: a_month(PAYMENTS_MONTH)),
    Read(DISPUTES, each_dispute_is_listed_by_its_order),
])

# -- B2B: companies, catalogs, price lists (demo-us) -------------------------------------------------

COMPANIES_WITH_LOCATIONS = """query CompaniesWithLocations {
  companies(first: 8) {
    nodes {
      id name externalId
      ordersCount { count }
      orders(first: 5) {
        nodes { id purchasingEntity { __typename ... on PurchasingCompany { company { id } location { id } } } }
      }
      locations(first: 3) {
        nodes { id name currency catalogs(first: 3) { nodes { __typename id title priceList { id currency } } } }
      }
      contacts(first: 3) {
        nodes { id isMainContact customer { id companyContactProfiles { id company { id } } } }
      }
    }
  }
}"""


def companies_list_their_locations_contacts_catalogs_and_orders(data: dict, known: Known) -> None:
    companies = data["companies"]["nodes"]
    assert len(companies) >= 5
    for company in companies:
        locations = {location["id"] for location in company["locations"]["nodes"]}
        assert locations, company["name"]
        for contact in company["contacts"]["nodes"]:
            assert {"id": contact["id"], "company": {"id": company["id"]}} in \
                contact["customer"]["companyContactProfiles"]
        orders = company["orders"]["nodes"]
        assert company["ordersCount"]["count"] >= len(orders)
        for order in orders:
            buyer = order["purchasingEntity"]
            assert (buyer["__typename"], buyer["company"]["id"]) == ("PurchasingCompany", company["id"])
    assert sum(company["ordersCount"]["count"] for company in companies) >= 3
    catalogs = [catalog for company in companies for location in company["locations"]["nodes"]
                for catalog in location["catalogs"]["nodes"]]
    assert catalogs and all(c["__typename"] == "CompanyLocationCatalog" and c["priceList"] for c in catalogs)


COMPANY = """query Company($id: ID!) {
  company(id: $id) {
    id name externalId
    locationsCount { count } contactsCount { count } ordersCount { count }
    totalSpent { amount currencyCode }
    mainContact { id customer { email } }
    locations(first: 10) { nodes { id name ordersCount { count } } }
    contacts(first: 10) { nodes { id customer { email } } }
    orders(first: 20) { nodes { id currentTotalPriceSet { shopMoney { amount currencyCode } } } }
  }
}"""


def company_adds_up(company: dict) -> None:
    """Its counts are its lists', its spend its orders' current totals, its locations' orders its own."""
    locations, contacts = company["locations"]["nodes"], company["contacts"]["nodes"]
    orders = company["orders"]["nodes"]
    assert (company["locationsCount"]["count"], company["contactsCount"]["count"], company["ordersCount"]["count"]) \
        == (len(locations), len(contacts), len(orders))
    assert sum(location["ordersCount"]["count"] for location in locations) == len(orders)
    spent = sum((amount(order["currentTotalPriceSet"]["shopMoney"]) for order in orders), Decimal(0))
    assert amount(company["totalSpent"]) == spent
    if company["mainContact"]:
        assert company["mainContact"]["id"] in {contact["id"] for contact in contacts}


def the_company_asked_for_adds_up(data: dict, known: Known) -> None:
    company = data["company"]
    assert company["id"] == known.company_id and company["ordersCount"]["count"] > 0
    company_adds_up(company)


CATALOGS = """query Catalogs($type: CatalogType) {
  catalogs(first: 20, type: $type) {
    nodes {
      __typename id title status
      priceList { id currency }
      publication { id autoPublish }
      ... on CompanyLocationCatalog { companyLocations(first: 5) { nodes { id company { id } } } }
      ... on MarketCatalog { markets(first: 2) { nodes { id name } } }
    }
  }
}"""


def catalogs_of_both_kinds_have_prices_and_buyers(data: dict, known: Known) -> None:
    catalogs = data["catalogs"]["nodes"]
    assert {c["__typename"] for c in catalogs} == {"CompanyLocationCatalog", "MarketCatalog"}
    for catalog in catalogs:
        assert catalog["status"] == "ACTIVE" and catalog["priceList"] and catalog["publication"]
        buyers = catalog.get("companyLocations") or catalog.get("markets")
        assert buyers["nodes"], catalog["title"]
    assert known.price_list_id in {c["priceList"]["id"] for c in catalogs}


CATALOG = """query Catalog($id: ID!) {
  catalog(id: $id) {
    __typename id title
    priceList { id currency }
    ... on CompanyLocationCatalog {
      companyLocationsCount { count }
      companyLocations(first: 20) { nodes { id inCatalog(catalogId: $id) } }
    }
  }
}"""


def the_catalog_asked_for_is_in_each_of_its_locations(data: dict, known: Known) -> None:
    catalog = data["catalog"]
    assert (catalog["__typename"], catalog["id"]) == ("CompanyLocationCatalog", known.catalog_id)
    assert catalog["priceList"] == {"id": known.price_list_id, "currency": known.price_list_currency}
    locations = catalog["companyLocations"]["nodes"]
    assert len(locations) == catalog["companyLocationsCount"]["count"] > 0
    assert all(location["inCatalog"] for location in locations)


PRICE_LISTS = """query PriceLists {
  priceLists(first: 20) {
    nodes { id name currency fixedPricesCount catalog { __typename id title } parent { adjustment { type value } } }
  }
}"""


def price_lists_belong_to_catalogs(data: dict, known: Known) -> None:
    lists = data["priceLists"]["nodes"]
    assert known.price_list_id in {p["id"] for p in lists}
    for price_list in lists:
        assert price_list["catalog"]["title"] and price_list["fixedPricesCount"] >= 0
        assert price_list["parent"]["adjustment"]["type"] in ("PERCENTAGE_DECREASE", "PERCENTAGE_INCREASE")


PRICE_LIST = """query PriceList($id: ID!, $query: String) {
  priceList(id: $id) {
    id currency fixedPricesCount
    fixed: prices(first: 100, originType: FIXED, query: $query) {
      nodes { originType price { amount currencyCode } compareAtPrice { amount } variant { id price } }
    }
    relative: prices(first: 5, originType: RELATIVE) {
      nodes { originType price { amount currencyCode } variant { id price } }
    }
  }
}"""


def prices_are_in_the_lists_currency(data: dict, known: Known) -> list[dict]:
    price_list = data["priceList"]
    assert price_list["id"] == known.price_list_id
    fixed, relative = price_list["fixed"]["nodes"], price_list["relative"]["nodes"]
    assert {p["originType"] for p in fixed} <= {"FIXED"} and {p["originType"] for p in relative} == {"RELATIVE"}
    assert {p["price"]["currencyCode"] for p in fixed + relative} == {known.price_list_currency}
    return fixed


def the_price_list_prices_fixed_and_relative(data: dict, known: Known) -> None:
    fixed = prices_are_in_the_lists_currency(data, known)
    assert len(fixed) == data["priceList"]["fixedPricesCount"] > 0


def a_fixed_price_of_the_variant_made(data: dict, known: Known) -> None:
    fixed = prices_are_in_the_lists_currency(data, known)
    assert [p["variant"]["id"] for p in fixed] == [known.made["variant_id"]]


COMPANY_CREATE = """mutation CompanyCreate($input: CompanyCreateInput!) {
  companyCreate(input: $input) {
    company {
      id name externalId
      mainContact { id customer { id email } }
      locations(first: 2) { nodes { id name currency shippingAddress { city countryCode } billingAddress { city } } }
    }
    userErrors { field message code }
  }
}"""
COMPANIES_BY_EXTERNAL_ID = """query CompaniesByExternalId($query: String!) {
  companies(first: 5, query: $query) {
    nodes {
      id name externalId
      mainContact { id customer { email companyContactProfiles { id company { id } } } }
      locations(first: 5) { nodes { id name } }
    }
  }
}"""


def a_company_of_its_own(known: Known) -> dict:
    return {"input": {
        "company": {"name": f"Company {known.tag}", "externalId": known.tag.upper()},
        "companyContact": {"firstName": "Grace", "lastName": "Hopper", "email": f"{known.tag}@company.example"},
        "companyLocation": {"name": "Head office", "billingSameAsShipping": True, "shippingAddress": {
            "address1": "1 State Street", "city": "Albany", "zip": "12207", "zoneCode": "NY", "countryCode": "US"}}}}


def a_company(client, known: Known) -> dict:
    company = given_data(client, COMPANY_CREATE, input={"company": {"name": f"Company {known.tag}"}})
    return {"company_id": company["companyCreate"]["company"]["id"]}


def the_company_found_is_the_writes_own(data: dict, known: Known) -> None:
    assert [c["externalId"] for c in data["companies"]["nodes"]] == [known.tag.upper()]


def the_company_created_is_found_with_its_location_and_contact(answer: dict, read_back: dict, known: Known) -> None:
    result = answer["companyCreate"]
    assert result["userErrors"] == []
    created = result["company"]
    [location] = created["locations"]["nodes"]
    assert (location["name"], location["currency"], location["shippingAddress"], location["billingAddress"]) == (
        "Head office", "USD", {"city": "Albany", "countryCode": "US"}, {"city": "Albany"})
    [found] = read_back["companies"]["nodes"]
    assert (found["id"], found["name"]) == (created["id"], f"Company {known.tag}")
    assert [loc["id"] for loc in found["locations"]["nodes"]] == [location["id"]]
    contact = found["mainContact"]
    assert contact["customer"]["email"] == f"{known.tag}@company.example"
    assert contact["customer"]["companyContactProfiles"] == [{"id": contact["id"], "company": {"id": created["id"]}}]


COMPANY_LOCATION_CREATE = """mutation CompanyLocationCreate($companyId: ID!, $input: CompanyLocationInput!) {
  companyLocationCreate(companyId: $companyId, input: $input) {
    companyLocation { id name currency company { id } shippingAddress { city countryCode } billingAddress { city } }
    userErrors { field message code }
  }
}"""


def the_made_company_adds_up(data: dict, known: Known) -> None:
    assert data["company"]["id"] == known.made["company_id"]
    company_adds_up(data["company"])


def the_location_created_is_the_companys_second(answer: dict, read_back: dict, known: Known) -> None:
    result = answer["companyLocationCreate"]
    assert result["userErrors"] == []
    location = result["companyLocation"]
    assert (location["company"]["id"], location["currency"], location["shippingAddress"]) == (
        known.made["company_id"], "CAD", {"city": "Toronto", "countryCode": "CA"})
    names = [(loc["id"], loc["name"]) for loc in read_back["company"]["locations"]["nodes"]]
    assert names[1:] == [(location["id"], f"Toronto {known.tag}")] and len(names) == 2


COMPANY_CONTACT_CREATE = """mutation CompanyContactCreate($companyId: ID!, $input: CompanyContactInput!) {
  companyContactCreate(companyId: $companyId, input: $input) {
    companyContact { id title isMainContact company { id } customer { id email } }
    userErrors { field message code }
  }
}"""
CUSTOMER_CONTACT_PROFILES = """query CustomerContactProfiles($id: ID!) {
  customer(id: $id) { id email companyContactProfiles { id title isMainContact company { id } } }
}"""


def customer_is_the_contact_written(data: dict, known: Known) -> None:
    assert data["customer"]["id"] == known.written["companyContactCreate"]["companyContact"]["customer"]["id"]


def the_contact_created_is_its_customers_profile(answer: dict, read_back: dict, known: Known) -> None:
    result = answer["companyContactCreate"]
    assert result["userErrors"] == []
    contact = result["companyContact"]
    assert (contact["title"], contact["isMainContact"], contact["customer"]["email"]) == (
        "Buyer", False, f"{known.tag}@contact.example")
    assert read_back["customer"]["companyContactProfiles"] == [
        {"id": contact["id"], "title": "Buyer", "isMainContact": False, "company": {"id": known.made["company_id"]}}]


PRICE_LIST_FIXED_PRICES_ADD = """mutation PriceListFixedPricesAdd($priceListId: ID!, $prices: [PriceListPriceInput!]!) {
  priceListFixedPricesAdd(priceListId: $priceListId, prices: $prices) {
    prices { originType price { amount currencyCode } compareAtPrice { amount currencyCode } variant { id } }
    userErrors { field message code }
  }
}"""


def a_mug_to_price(client, known: Known) -> dict:
    product = given_data(client, PRODUCT_CREATE, product=a_mug_titled(known))["productCreate"]["product"]
    return {"product_id": product["id"], "variant_id": product["variants"]["nodes"][0]["id"]}


def a_trade_price(known: Known) -> dict:
    money = lambda value: {"amount": value, "currencyCode": known.price_list_currency}  # noqa: E731
    return {"priceListId": known.price_list_id, "prices": [
        {"variantId": known.made["variant_id"], "price": money("9.90"), "compareAtPrice": money("12.00")}]}


def the_price_added_reads_back_fixed(answer: dict, read_back: dict, known: Known) -> None:
    result = answer["priceListFixedPricesAdd"]
    assert result["userErrors"] == []
    currency = known.price_list_currency
    expected = {"originType": "FIXED", "price": {"amount": "9.90", "currencyCode": currency},
                "compareAtPrice": {"amount": "12.00", "currencyCode": currency},
                "variant": {"id": known.made["variant_id"]}}
    assert result["prices"] == [expected]
    [price] = read_back["priceList"]["fixed"]["nodes"]
    assert (price["price"], price["compareAtPrice"]) == ({"amount": "9.90", "currencyCode": currency},
                                                         {"amount": "12.00"})


def variant_query(known: Known) -> str:
    return f"variant_id:{known.made['variant_id'].rsplit('/', 1)[1]}"


B2B = Resource("b2b", shop="demo-us", reads=[
    Read(COMPANIES_WITH_LOCATIONS, companies_list_their_locations_contacts_catalogs_and_orders),
    Read(COMPANY, the_company_asked_for_adds_up, lambda known: {"id": known.company_id}),
    Read(CATALOGS, catalogs_of_both_kinds_have_prices_and_buyers),
    Read(CATALOG, the_catalog_asked_for_is_in_each_of_its_locations, lambda known: {"id": known.catalog_id}),
    Read(PRICE_LISTS, price_lists_belong_to_catalogs),
    Read(PRICE_LIST, the_price_list_prices_fixed_and_relative, lambda known: {"id": known.price_list_id}),
], writes=[
    Write(COMPANY_CREATE, a_company_of_its_own,
          read_back=Read(COMPANIES_BY_EXTERNAL_ID, the_company_found_is_the_writes_own,
                         lambda known: {"query": f"external_id:{known.tag.upper()}"}),
          then=the_company_created_is_found_with_its_location_and_contact),
    Write(COMPANY_LOCATION_CREATE, lambda known: {"companyId": known.made["company_id"], "input": {
        "name": f"Toronto {known.tag}", "billingSameAsShipping": True,
        "shippingAddress": {"address1": "9 Queens Quay", "city": "Toronto", "zip": "M5J 2H7", "countryCode": "CA"}}},
          read_back=Read(COMPANY, the_made_company_adds_up, lambda known: {"id": known.made["company_id"]}),
          then=the_location_created_is_the_companys_second, given=a_company),
    Write(COMPANY_CONTACT_CREATE, lambda known: {"companyId": known.made["company_id"], "input": {
        "firstName": "Ann", "lastName": "Buyer", "email": f"{known.tag}@contact.example", "title": "Buyer"}},
          read_back=Read(CUSTOMER_CONTACT_PROFILES, customer_is_the_contact_written, lambda known: {
              "id": known.written["companyContactCreate"]["companyContact"]["customer"]["id"]}),
          then=the_contact_created_is_its_customers_profile, given=a_company),
    Write(PRICE_LIST_FIXED_PRICES_ADD, a_trade_price,
          read_back=Read(PRICE_LIST, a_fixed_price_of_the_variant_made,
                         lambda known: {"id": known.price_list_id, "query": variant_query(known)}),
          then=the_price_added_reads_back_fixed, given=a_mug_to_price),
])

RESOURCES = [ORDERS, CUSTOMERS, LOCATIONS, PRODUCTS, PRODUCT_VARIANTS, FILE_RESOURCE, INVENTORY, NODE_LOOKUPS,
             SHOP_RESOURCE, FULFILLMENTS, PAYMENTS, B2B]
READS = [pytest.param(replace(read, shop=resource.shop), id=f"{resource.name}-{read.name}")
         for resource in RESOURCES for read in resource.reads]
WRITES = [pytest.param(replace(write, shop=resource.shop), id=f"{resource.name}-{write.name}")
          for resource in RESOURCES for write in resource.writes]
GIVEN_DOCUMENTS = [STAGED_UPLOADS_CREATE, STOCKED_AT, OPEN_ORDERS]   # what `given` steps send besides the entries' own
DOCUMENTS = {operation_name(document): document for document in
             [*(read.document for resource in RESOURCES for read in resource.reads),
              *(d for resource in RESOURCES for write in resource.writes
                for d in (write.document, write.read_back.document)), *GIVEN_DOCUMENTS]}


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


@pytest.fixture(autouse=True)
def unlimited(simulator):
    """Many documents in a row; pacing is test_throttling's subject, not this module's."""
    for shop in simulator.shops:
        shop.bucket = LeakyBucket(PLANS["unlimited"])


def activate_session(simulator, handle: str) -> shopify_api.Session:
    """A ShopifyAPI session for the shop's real domain and token, activated. ShopifyAPI sends to the
    session's `https://{domain}/admin/api/{version}`; like any private app pointing the library at its
    store, we set `ShopifyResource.site` (the library's public setting) to the simulator's address."""
    shop = shop_named(simulator, handle)
    session = shopify_api.Session(shop.domain, SCHEMA_VERSION, shop.access_token)
    shopify_api.ShopifyResource.activate_session(session)
    shopify_api.ShopifyResource.site = session.api_version.api_path(simulator.base_url)
    return session


@pytest.fixture
def shopify_api_session(simulator) -> Iterator[shopify_api.Session]:
    """The first shop's (demo-eu's) ShopifyAPI session."""
    try:
        yield activate_session(simulator, "demo-eu")
    finally:
        shopify_api.ShopifyResource.clear_session()


@pytest.fixture
def b2b_api_session(simulator) -> Iterator[shopify_api.Session]:
    """demo-uk's ShopifyAPI session: a shop selling to companies too."""
    try:
        yield activate_session(simulator, "demo-uk")
    finally:
        shopify_api.ShopifyResource.clear_session()


@pytest.fixture(params=["gql", "ShopifyAPI"])
def client_of(request, simulator) -> Iterator[Callable[[str], object]]:
    """The client under test holding a shop's token, by the shop's handle."""
    def client(handle: str):
        if request.param == "gql":
            return GqlClient(simulator, shop_named(simulator, handle).access_token)
        activate_session(simulator, handle)
        return ShopifyApiClient()

    try:
        yield client
    finally:
        shopify_api.ShopifyResource.clear_session()


@pytest.fixture
def known_of(simulator) -> Callable[[str], Known]:
    """What the documents' variables point at in a shop, by its handle."""
    return lambda handle: known_in(ShopifyHttp(simulator, shop_named(simulator, handle).access_token))


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


# -- the tests ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("document", DOCUMENTS.values(), ids=DOCUMENTS.keys())
def test_every_document_is_valid_against_the_2025_01_schema(document):
    """What both clients send is a request Shopify's own schema accepts."""
    assert validate(admin_schema(), parse(document)) == []


@pytest.mark.parametrize("read", READS)
def test_a_read_through_a_real_client_answers_in_the_schemas_shape(client_of, known_of, read):
    """Each query answers through gql and ShopifyAPI alike, shaped as the schema says, with the records
    a merchant asked for."""
    # given
    client, known = client_of(read.shop), known_of(read.shop)
    # when
    data = run(client, read.document, read.variables(known))
    # then
    read.then(data, known)


@pytest.mark.parametrize("write", WRITES)
def test_a_write_through_a_real_client_is_read_back_through_it(client_of, known_of, write):
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


CATALOG_WITH_STOCK = """query CatalogWithStock($after: String) {
  products(first: 5, after: $after) {
    nodes {
      id title
      variants(first: 10) {
        nodes { id sku inventoryItem { id tracked inventoryLevels(first: 5) { nodes { location { id } %s } } } }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}""" % QUANTITIES


def catalog_with_stock(ask) -> tuple[dict[str, list[str]], dict[tuple[str, str], int]]:
    """Every product's variant ids, and the available quantity of each item at each location it is
    stocked at, page after page."""
    variants, stock, after = {}, {}, None
    while True:
        page = ask(CATALOG_WITH_STOCK, after=after)["products"]
        for product in page["nodes"]:
            variants[product["id"]] = [v["id"] for v in product["variants"]["nodes"]]
            for variant in product["variants"]["nodes"]:
                item = variant["inventoryItem"]
                for level in item["inventoryLevels"]["nodes"]:
                    stock[(item["id"], level["location"]["id"])] = quantities(level)["available"]
        if not page["pageInfo"]["hasNextPage"]:
            return variants, stock
        after = page["pageInfo"]["endCursor"]


def test_done_when_a_token_holder_lists_stock_sets_it_creates_a_product_and_a_customer_and_exports_the_same(
        simulator, shopify_api_session):
    """The issue's "done when", through ShopifyAPI holding nothing but the shop's domain and token: it
    lists products with variants and stock per location, sets a quantity and reads it back, creates a
    product with an uploaded image and sees it, creates a customer and finds it by email, all with the
    documented GraphQL; then bulk exports list the same products, stock and customers."""
    client = ShopifyApiClient()

    def ask(document: str, **variables) -> dict:
        return run(client, document, variables)

    # given: the catalog with stock per location, as paged, and the location new variants are stocked at
    variants, stock = catalog_with_stock(ask)
    primary = ask("query PrimaryLocation { location { id } }")["location"]["id"]
    (item_id, location_id), available = next(iter(stock.items()))
    # when: a quantity is set
    set_answer = ask(INVENTORY_SET_QUANTITIES, input={"name": "available", "reason": "correction", "quantities": [
        {"inventoryItemId": item_id, "locationId": location_id, "quantity": available + 5,
         "compareQuantity": available}]})["inventorySetQuantities"]
    level = ask(INVENTORY_LEVEL_AT, id=item_id, locationId=location_id)["inventoryItem"]["inventoryLevel"]
    # when: a product is created with an uploaded image and two stocked variants
    source = uploaded(client, "done-when.png")
    created = ask(PRODUCT_CREATE, product={"title": "Enamel Mug", "productOptions": [
        {"name": "Colour", "values": [{"name": "White"}]}]}, media=[
        {"originalSource": source, "alt": "A white mug", "mediaContentType": "IMAGE"}])["productCreate"]
    product_id = created["product"]["id"]
    with_variants = ask(PRODUCT_VARIANTS_BULK_CREATE, productId=product_id, strategy="REMOVE_STANDALONE_VARIANT",
                        variants=[{"optionValues": [{"optionName": "Colour", "name": colour}], "price": "12.00",
                                   "inventoryItem": {"sku": f"MUG-DONE-{colour.upper()}", "tracked": True}}
                                  for colour in ("White", "Blue")])["productVariantsBulkCreate"]
    seen = ask(PRODUCT_WITH_MEDIA, id=product_id)["product"]
    # when: a customer is created and looked up by email
    customer = ask(CUSTOMER_CREATE, input={"firstName": "Ada", "lastName": "Lovelace", "email": "done-when@example.org",
                                           "addresses": [{"city": "Paris", "countryCode": "FR"}]})["customerCreate"]
    found = ask(CUSTOMERS_BY_EMAIL, query="email:done-when@example.org")["customers"]["nodes"]
    # when: the same lists, paged and exported in bulk
    variants_after, stock_after = catalog_with_stock(ask)
    customers = bulk_exports.paged(ask, "customers", "id email", page_size=100)
    exported_products = bulk_exports.children_by_parent(bulk_exports.exported(ask, bulk_exports.PRODUCTS_WITH_VARIANTS))
    exported_levels = bulk_exports.children_by_parent(bulk_exports.exported(ask, bulk_exports.INVENTORY_LEVELS))
    exported_customers = bulk_exports.children_by_parent(
        bulk_exports.exported(ask, bulk_exports.CUSTOMERS_WITH_ADDRESSES))

    # then: the lists
    assert len(variants) > 5 and all(variants.values())
    assert len({location for _, location in stock}) > 1
    # then: the quantity set reads back
    assert set_answer["userErrors"] == [] and quantities(level)["available"] == available + 5
    # then: the product and its image
    assert created["userErrors"] == [] and with_variants["userErrors"] == []
    [image] = seen["media"]["nodes"]
    assert (seen["title"], image["alt"]) == ("Enamel Mug", "A white mug")
    assert requests.get(image["image"]["url"], timeout=10).content == PICTURE
    new_variants = [v["id"] for v in with_variants["productVariants"]]
    new_items = [v["inventoryItem"]["id"] for v in with_variants["productVariants"]]
    assert variants_after == variants | {product_id: new_variants}
    assert stock_after == stock | {(item_id, location_id): available + 5} | {(item, primary): 0 for item in new_items}
    # then: the customer, by email
    assert customer["userErrors"] == []
    assert [c["id"] for c in found] == [customer["customer"]["id"]]
    # then: the bulk exports list what paging lists, with the changes
    assert {product: [v["id"] for v in lines] for product, lines in exported_products.items()} == variants_after
    assert {(item, line["location"]["id"]): quantities(line)["available"]
            for item, lines in exported_levels.items() for line in lines} == stock_after
    assert list(exported_customers) == [c["id"] for c in customers]
    assert [line["city"] for line in exported_customers[customer["customer"]["id"]]] == ["Paris"]


DONE_WHEN_MONTH = ("2024-10-01", "2024-11-01")   # demo-uk: disputes opened, reserves held and released


def a_month_of_payouts(ask, month: tuple[str, str]) -> dict:
    """The month's payouts and every balance transaction paid out in them, page after page."""
    account = ask(PAYOUTS_OF_A_MONTH, **a_month(month))["shopifyPaymentsAccount"]
    transactions = account["balanceTransactions"]
    while transactions["pageInfo"]["hasNextPage"]:
        more = ask(PAYOUTS_OF_A_MONTH, **a_month(month), after=transactions["pageInfo"]["endCursor"])
        page = more["shopifyPaymentsAccount"]["balanceTransactions"]
        transactions = {"nodes": transactions["nodes"] + page["nodes"], "pageInfo": page["pageInfo"]}
    return {**account, "balanceTransactions": transactions}


def test_done_when_a_token_holder_ships_closes_prices_a_company_catalog_and_reconciles_a_month_of_payouts(
        simulator, b2b_api_session):
    """The issue's "done when", through ShopifyAPI holding nothing but demo-uk's domain and token: it
    fulfils an open fulfillment order with tracking and reads the fulfillment back, closes an order,
    lists a company's catalogs and adds fixed prices to a price list, and reads a month of payouts
    whose balance transactions sum to each payout's net, disputes and reserves included."""
    client = ShopifyApiClient()

    def ask(document: str, **variables) -> dict:
        return run(client, document, variables)

    # given: an open fulfillment order at one of the shop's own locations, and an open order
    waiting = ask(OPEN_FULFILLMENT_ORDERS, query="status:open")["fulfillmentOrders"]["nodes"]
    to_ship = next(fo for fo in waiting if not fo["assignedLocation"]["location"]["isFulfillmentService"])
    items = [{"id": item["id"], "quantity": item["remainingQuantity"]}
             for item in to_ship["lineItems"]["nodes"] if item["remainingQuantity"] > 0]
    to_close = next(order for order in ask(OPEN_ORDERS)["orders"]["nodes"] if order["id"] != to_ship["orderId"])
    # when: it is shipped whole with tracking, and the fulfillment read back
    parcel = {"company": "Royal Mail", "number": "RM123456785GB",
              "url": "https://www.royalmail.com/track-your-item#/tracking-results/RM123456785GB"}
    shipped = ask(FULFILLMENT_CREATE, fulfillment={"trackingInfo": parcel, "notifyCustomer": False,
                                                   "lineItemsByFulfillmentOrder": [
                                                       {"fulfillmentOrderId": to_ship["id"],
                                                        "fulfillmentOrderLineItems": items}]})["fulfillmentCreate"]
    fulfillment = ask(FULFILLMENT, id=shipped["fulfillment"]["id"])["fulfillment"]
    # when: an order is closed and read back
    closing = ask(ORDER_CLOSE, input={"id": to_close["id"]})["orderClose"]
    closed = ask(ORDER_CLOSED, id=to_close["id"])["order"]
    # when: a company's catalogs are listed, and two variants get fixed prices on one's price list
    companies = ask(COMPANIES_WITH_LOCATIONS)["companies"]["nodes"]
    company, catalog = next((company, catalog) for company in companies
                            for location in company["locations"]["nodes"] for catalog in location["catalogs"]["nodes"]
                            if catalog["priceList"]["currency"] == location["currency"])
    price_list = catalog["priceList"]
    before = ask(PRICE_LIST, id=price_list["id"])["priceList"]
    chosen = [price["variant"] for price in before["relative"]["nodes"][:2]]
    trade = {variant["id"]: f"{Decimal(variant['price']) * Decimal('0.8'):.2f}" for variant in chosen}
    added = ask(PRICE_LIST_FIXED_PRICES_ADD, priceListId=price_list["id"], prices=[
        {"variantId": gid, "price": {"amount": price, "currencyCode": price_list["currency"]}}
        for gid, price in trade.items()])["priceListFixedPricesAdd"]
    after = ask(PRICE_LIST, id=price_list["id"])["priceList"]
    # when: a month of payouts, with every balance transaction paid out in them
    account = a_month_of_payouts(ask, DONE_WHEN_MONTH)

    # then: the fulfillment, read back with its tracking, shipped what was left
    assert shipped["userErrors"] == []
    assert (fulfillment["status"], fulfillment["trackingInfo"]) == ("SUCCESS", [parcel])
    assert fulfillment["totalQuantity"] == sum(item["quantity"] for item in items)
    assert fulfillment["order"]["id"] == to_ship["orderId"]
    assert fulfillment["fulfillmentOrders"]["nodes"] == [{"id": to_ship["id"], "status": "CLOSED"}]
    # then: the order reads back closed
    assert closing["userErrors"] == [] and (closed["closed"], closed["closedAt"]) == (
        True, closing["order"]["closedAt"])
    # then: the company's catalog has the fixed prices added, the rest untouched
    assert catalog["id"] in {c["id"] for location in company["locations"]["nodes"]
                             for c in location["catalogs"]["nodes"]}
    assert added["userErrors"] == []
    assert {p["variant"]["id"]: p["price"]["amount"] for p in added["prices"]} == trade
    fixed = {p["variant"]["id"]: p["price"]["amount"] for p in after["fixed"]["nodes"]}
    assert fixed == {p["variant"]["id"]: p["price"]["amount"] for p in before["fixed"]["nodes"]} | trade
    assert after["fixedPricesCount"] == before["fixedPricesCount"] + 2
    # then: each payout of the month is its balance transactions' net, disputes and reserves included
    assert len(account["payouts"]["nodes"]) >= 5
    assert payouts_add_up(account) >= {"CHARGE", "DISPUTE_WITHDRAWAL", "CHARGEBACK_FEE", "RESERVED_FUNDS_WITHDRAWAL",
                                       "RESERVED_FUNDS_REVERSAL"}


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
