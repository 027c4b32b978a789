"""Shopify's own client libraries talk to the simulator as they talk to Shopify: every resource's
read and write documents go through gql 4 (requests transport, the schema validating each request
locally) and ShopifyAPI 12 (`shopify.GraphQL` on an activated session). Each answer keeps the shape
its document asks for in the 2025-01 schema, says what a merchant would expect, and carries the cost
extension clients pace on. A resource's documents are one entry in RESOURCES. Writes make their own
records first (`given`, through the same client), named after the client and the write, so no run
reads another's."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

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
    tag: str = ""                                       # a write's own name for what it makes: client and write
    made: dict = field(default_factory=dict)            # what its `given` made through the client
    written: dict = field(default_factory=dict)         # its answer, for the read-back's variables


@dataclass(frozen=True)
class Read:
    """A query, its variables and what its answer must say (`then(data, known)` asserts)."""
    document: str
    then: Callable[[dict, Known], None]
    variables: Callable[[Known], dict] = lambda known: {}

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

RESOURCES = [ORDERS, CUSTOMERS, LOCATIONS, PRODUCTS, PRODUCT_VARIANTS, FILE_RESOURCE, INVENTORY, NODE_LOOKUPS,
             SHOP_RESOURCE]
READS = [pytest.param(read, id=f"{resource.name}-{read.name}") for resource in RESOURCES for read in resource.reads]
WRITES = [pytest.param(write, id=f"{resource.name}-{write.name}") for resource in RESOURCES
          for write in resource.writes]
GIVEN_DOCUMENTS = [STAGED_UPLOADS_CREATE, STOCKED_AT]   # what `given` steps send besides the entries' own
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
def test_a_read_through_a_real_client_answers_in_the_schemas_shape(client, known, read):
    """Each query answers through gql and ShopifyAPI alike, shaped as the schema says, with the records
    a merchant asked for."""
    # when
    data = run(client, read.document, read.variables(known))
    # then
    read.then(data, known)


@pytest.mark.parametrize("write", WRITES)
def test_a_write_through_a_real_client_is_read_back_through_it(client, known, write):
    """Each mutation answers through gql and ShopifyAPI alike, and the same client then reads the change."""
    # given
    known = replace(known, tag=f"{client.name}-{write.name}".lower())
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
