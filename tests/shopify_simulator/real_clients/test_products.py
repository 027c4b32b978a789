"""Products, their variants and files through the real clients: found by SKU, read, created
with uploaded images, edited, deleted; variants made and repriced; files uploaded and attached."""
from __future__ import annotations

from dataclasses import replace

import pytest
import requests

from tests.shopify_simulator.real_clients.clients import (
    MISSING_PRODUCT,
    PICTURE,
    Known,
    Read,
    Resource,
    Write,
    assert_valid,
    documents_of,
    given_data,
    read_through,
    reads_of,
    write_through,
    writes_of,
)

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


READS = reads_of(PRODUCTS, PRODUCT_VARIANTS, FILE_RESOURCE)
WRITES = writes_of(PRODUCTS, PRODUCT_VARIANTS, FILE_RESOURCE)
DOCUMENTS = documents_of(PRODUCTS, PRODUCT_VARIANTS, FILE_RESOURCE, given=[STAGED_UPLOADS_CREATE])


@pytest.mark.parametrize("document", DOCUMENTS.values(), ids=DOCUMENTS.keys())
def test_every_document_is_valid_against_the_2025_01_schema(document):
    """What both clients send is a request Shopify's own schema accepts."""
    assert_valid(document)


@pytest.mark.parametrize("read", READS)
def test_a_read_through_a_real_client_answers_in_the_schemas_shape(client_of, known_of, read):
    """Each query answers through gql and ShopifyAPI alike, shaped as the schema says, with the records
    a merchant asked for."""
    read_through(client_of, known_of, read)


@pytest.mark.parametrize("write", WRITES)
def test_a_write_through_a_real_client_is_read_back_through_it(client_of, known_of, write):
    """Each mutation answers through gql and ShopifyAPI alike, and the same client then reads the change."""
    write_through(client_of, known_of, write)
