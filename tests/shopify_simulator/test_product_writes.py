"""Writing the catalog over HTTP as a connector does: create a product with an uploaded image and
its variants, change prices, SKUs and pictures, delete it; each change read back, each bad input a
userError that changes nothing, each change announced by webhook."""
from __future__ import annotations

import json

import pytest
import requests

from shopify_simulator.bucket import PLANS, LeakyBucket
from shopify_simulator.store.media import solid_png
from tests.shopify_simulator.test_webhooks import receiver, subscribe, wait_for  # noqa: F401  (receiver: fixture)

PRODUCT = """id title handle status vendor updatedAt options { name values }
  media(first: 5) { nodes { ... on MediaImage { id status alt image { url width height } mediaErrors { code } } } }
  variants(first: 20) { nodes { id title sku barcode price compareAtPrice updatedAt selectedOptions { name value }
    inventoryItem { id tracked duplicateSkuCount unitCost { amount }
      inventoryLevels(first: 5) { nodes { location { id } quantities(names: ["available"]) { quantity } } } } } }"""
CREATE = """mutation($product: ProductCreateInput, $media: [CreateMediaInput!]) {
  productCreate(product: $product, media: $media) { product { %s } userErrors { field message } } }""" % PRODUCT
UPDATE = """mutation($product: ProductUpdateInput, $media: [CreateMediaInput!]) {
  productUpdate(product: $product, media: $media) { product { %s } userErrors { field message } } }""" % PRODUCT
BULK_CREATE = """mutation($id: ID!, $variants: [ProductVariantsBulkInput!]!,
  $strategy: ProductVariantsBulkCreateStrategy) {
  productVariantsBulkCreate(productId: $id, variants: $variants, strategy: $strategy) {
    product { %s } productVariants { id sku } userErrors { field message code } } }""" % PRODUCT
BULK_UPDATE = """mutation($id: ID!, $variants: [ProductVariantsBulkInput!]!, $partial: Boolean) {
  productVariantsBulkUpdate(productId: $id, variants: $variants, allowPartialUpdates: $partial) {
    product { %s } productVariants { id price } userErrors { field message code } } }""" % PRODUCT
DELETE = """mutation($id: ID!) { productDelete(input: {id: $id}) { deletedProductId userErrors { field message } } }"""
STAGE = """mutation($input: [StagedUploadInput!]!) { stagedUploadsCreate(input: $input) {
  stagedTargets { url resourceUrl parameters { name value } } userErrors { field message } } }"""
READ = '{ product(id: "%s") { ' + PRODUCT + " } }"


@pytest.fixture(autouse=True)
def unlimited(simulator):
    simulator.shops[0].bucket = LeakyBucket(PLANS["unlimited"])


def uploaded(shopify, picture: bytes, filename: str = "mug.png") -> str:
    """Stage an upload and PUT the file, as a client does; the URL to give as originalSource."""
    target = shopify.run_text(STAGE, input=[{"resource": "IMAGE", "filename": filename, "mimeType": "image/png",
                                             "httpMethod": "PUT"}])["stagedUploadsCreate"]["stagedTargets"][0]
    answer = requests.put(target["url"], data=picture, headers={"Content-Type": "image/png"}, timeout=10)
    assert answer.status_code == 201
    return target["resourceUrl"]


def a_product(shopify, **fields) -> dict:
    product = {"title": "Enamel Mug", "vendor": "Syncsite Test", "productOptions": [
        {"name": "Colour", "values": [{"name": "White"}]}], **fields}
    created = shopify.run_text(CREATE, product=product)["productCreate"]
    assert created["userErrors"] == []
    return created["product"]


def with_variants(shopify, product_id: str) -> dict:
    variants = [{"optionValues": [{"optionName": "Colour", "name": colour}], "price": price,
                 "inventoryItem": {"sku": sku, "cost": "3.10", "tracked": True}}
                for colour, price, sku in (("White", "12.00", "MUG-W"), ("Blue", "13.50", "MUG-B"))]
    answer = shopify.run_text(BULK_CREATE, id=product_id, variants=variants,
                              strategy="REMOVE_STANDALONE_VARIANT")["productVariantsBulkCreate"]
    assert answer["userErrors"] == []
    return answer["product"]


def test_a_product_created_with_an_uploaded_image_is_read_back_and_its_image_served(shopify):
    picture = solid_png((10, 120, 200), 32)
    source = uploaded(shopify, picture)

    created = shopify.run_text(CREATE, product={"title": "Enamel Mug", "status": "DRAFT", "productType": "Home"},
                               media=[{"originalSource": source, "alt": "A blue mug", "mediaContentType": "IMAGE"}])
    product = created["productCreate"]["product"]
    again = shopify.run_text(READ % product["id"])["product"]
    image = again["media"]["nodes"][0]
    served = requests.get(image["image"]["url"], timeout=10)

    assert created["productCreate"]["userErrors"] == []
    assert (again["title"], again["handle"], again["status"]) == ("Enamel Mug", "enamel-mug", "DRAFT")
    assert [v["title"] for v in again["variants"]["nodes"]] == ["Default Title"]   # Shopify's one variant
    assert (image["status"], image["alt"], image["image"]["width"]) == ("READY", "A blue mug", 32)
    assert served.status_code == 200 and served.content == picture


def test_variants_created_in_bulk_replace_the_standalone_one_and_are_stocked(shopify):
    product = with_variants(shopify, a_product(shopify)["id"])
    found = shopify.run_text('{ productVariants(first: 5, query: "sku:MUG-B") { nodes { id price product { id } } } }')

    variants = product["variants"]["nodes"]
    assert [(v["title"], v["sku"], v["price"]) for v in variants] == [("White", "MUG-W", "12.00"),
                                                                       ("Blue", "MUG-B", "13.50")]
    assert product["options"] == [{"name": "Colour", "values": ["White", "Blue"]}]
    assert all(v["inventoryItem"]["tracked"] and v["inventoryItem"]["unitCost"]["amount"] == "3.10" for v in variants)
    assert all(len(v["inventoryItem"]["inventoryLevels"]["nodes"]) == 1 for v in variants)   # the primary location
    assert found["productVariants"]["nodes"][0]["product"]["id"] == product["id"]


def test_a_price_only_update_changes_the_price_and_moves_updated_at(shopify, simulator):
    product = with_variants(shopify, a_product(shopify)["id"])
    white, blue = product["variants"]["nodes"]
    simulator.clock.advance(60)

    answer = shopify.run_text(BULK_UPDATE, id=product["id"], variants=[{"id": blue["id"], "price": "15.00"}])
    after = {v["id"]: v for v in shopify.run_text(READ % product["id"])["product"]["variants"]["nodes"]}

    assert answer["productVariantsBulkUpdate"]["userErrors"] == []
    assert after[blue["id"]]["price"] == "15.00" and after[blue["id"]]["updatedAt"] > blue["updatedAt"]
    assert after[white["id"]] == white                           # the other variant untouched
    assert after[blue["id"]]["sku"] == "MUG-B"


def test_bad_variant_input_is_refused_with_userErrors_and_changes_nothing(shopify):
    product = with_variants(shopify, a_product(shopify)["id"])
    white, blue = product["variants"]["nodes"]

    negative = shopify.run_text(BULK_UPDATE, id=product["id"], variants=[
        {"id": white["id"], "price": "9.00"}, {"id": blue["id"], "price": "-1"}])["productVariantsBulkUpdate"]
    unknown = shopify.run_text(BULK_UPDATE, id="gid://shopify/Product/1", variants=[
        {"id": white["id"], "price": "9.00"}])["productVariantsBulkUpdate"]
    twice = shopify.run_text(BULK_CREATE, id=product["id"], variants=[
        {"optionValues": [{"optionName": "Colour", "name": "Blue"}]}])["productVariantsBulkCreate"]
    no_option = shopify.run_text(BULK_CREATE, id=product["id"], variants=[
        {"optionValues": [{"optionName": "Size", "name": "L"}]}])["productVariantsBulkCreate"]
    partial = shopify.run_text(BULK_UPDATE, id=product["id"], partial=True, variants=[
        {"id": white["id"], "price": "9.00"}, {"id": blue["id"], "price": "-1"}])["productVariantsBulkUpdate"]
    prices = [v["price"] for v in shopify.run_text(READ % product["id"])["product"]["variants"]["nodes"]]

    assert [e["code"] for e in negative["userErrors"]] == ["NEGATIVE_PRICE_VALUE"]
    assert negative["userErrors"][0]["field"] == ["variants", "1", "price"] and negative["product"] is None
    assert [e["code"] for e in unknown["userErrors"]] == ["PRODUCT_DOES_NOT_EXIST"]
    assert [e["code"] for e in twice["userErrors"]] == ["VARIANT_ALREADY_EXISTS"]
    assert [e["code"] for e in no_option["userErrors"]] == ["OPTION_VALUES_FOR_NUMBER_OF_UNKNOWN_OPTIONS"]
    assert [e["code"] for e in partial["userErrors"]] == ["NEGATIVE_PRICE_VALUE"]
    assert prices == ["9.00", "13.50"]   # only the partial update's good half landed


def test_a_duplicate_sku_is_allowed_and_counted_as_shopify_does(shopify):
    first = with_variants(shopify, a_product(shopify)["id"])
    second = a_product(shopify, title="Enamel Mug")
    sku = first["variants"]["nodes"][0]["sku"]

    shopify.run_text(BULK_UPDATE, id=second["id"], variants=[
        {"id": second["variants"]["nodes"][0]["id"], "inventoryItem": {"sku": sku}}])
    counts = shopify.run_text('{ productVariants(first: 5, query: "sku:%s") { nodes { product { handle } '
                              'inventoryItem { duplicateSkuCount } } } }' % sku)["productVariants"]["nodes"]

    assert sorted(v["product"]["handle"] for v in counts) == ["enamel-mug", "enamel-mug-1"]
    assert [v["inventoryItem"]["duplicateSkuCount"] for v in counts] == [1, 1]


def test_a_product_update_changes_fields_adds_an_image_and_refuses_unknown_ids(shopify):
    product = a_product(shopify)
    source = uploaded(shopify, solid_png((200, 30, 30), 16), "red.png")

    updated = shopify.run_text(UPDATE, product={"id": product["id"], "title": "Red Mug", "status": "ARCHIVED",
                                                "tags": ["sale", "red"]},
                               media=[{"originalSource": source, "mediaContentType": "IMAGE"}])["productUpdate"]
    unknown = shopify.run_text(UPDATE, product={"id": "gid://shopify/Product/1", "title": "x"})["productUpdate"]
    blank = shopify.run_text(UPDATE, product={"id": product["id"], "title": " "})["productUpdate"]
    archived = shopify.run_text('{ products(first: 5, query: "status:archived tag:red") { nodes { id } } }')

    assert updated["userErrors"] == []
    assert (updated["product"]["title"], updated["product"]["status"]) == ("Red Mug", "ARCHIVED")
    assert [m["status"] for m in updated["product"]["media"]["nodes"]] == ["READY"]
    assert unknown == {"product": None, "userErrors": [{"field": ["id"], "message": "Product does not exist"}]}
    assert blank["userErrors"] == [{"field": ["title"], "message": "Title can't be blank"}]
    assert [p["id"] for p in archived["products"]["nodes"]] == [product["id"]]


def test_an_image_that_cannot_be_read_fails_as_media_and_a_non_url_is_refused(shopify):
    not_a_picture = uploaded(shopify, b"%PDF-1.4 not an image", "doc.png")

    failed = shopify.run_text(CREATE, product={"title": "Broken"}, media=[
        {"originalSource": not_a_picture, "mediaContentType": "IMAGE"},
        {"originalSource": "http://127.0.0.1:9/nothing.png", "mediaContentType": "IMAGE"}])["productCreate"]
    refused = shopify.run_text(CREATE, product={"title": "Refused"}, media=[
        {"originalSource": "not a url", "mediaContentType": "IMAGE"}])["productCreate"]
    titles = shopify.run_text('{ products(first: 5, query: "title:Refused") { nodes { id } } }')

    media = failed["product"]["media"]["nodes"]
    assert [(m["status"], m["mediaErrors"][0]["code"]) for m in media] == [
        ("FAILED", "UNSUPPORTED_IMAGE_FILE_TYPE"), ("FAILED", "IMAGE_DOWNLOAD_FAILURE")]
    assert refused["product"] is None and refused["userErrors"][0]["field"] == ["media", "0", "originalSource"]
    assert titles["products"]["nodes"] == []


def test_a_deleted_product_is_gone_with_its_variants_and_stock(shopify):
    product = with_variants(shopify, a_product(shopify)["id"])
    variant = product["variants"]["nodes"][0]

    deleted = shopify.run_text(DELETE, id=product["id"])["productDelete"]
    again = shopify.run_text(DELETE, id=product["id"])["productDelete"]
    after = shopify.run_text('{ product(id: "%s") { id } productVariant(id: "%s") { id } inventoryItem(id: "%s") '
                             '{ id } }' % (product["id"], variant["id"], variant["inventoryItem"]["id"]))

    assert deleted == {"deletedProductId": product["id"], "userErrors": []}
    assert again["userErrors"] == [{"field": ["id"], "message": "Product does not exist"}]
    assert after == {"product": None, "productVariant": None, "inventoryItem": None}


FILE_CREATE = """mutation($files: [FileCreateInput!]!) { fileCreate(files: $files) {
  files { id alt fileStatus ... on MediaImage { image { url } } } userErrors { field message code } } }"""
FILE_UPDATE = """mutation($files: [FileUpdateInput!]!) { fileUpdate(files: $files) {
  files { id alt ... on MediaImage { image { url } } } userErrors { field message code } } }"""


def test_a_file_attached_to_a_product_and_replaced_changes_its_url_hash(shopify):
    product = a_product(shopify)
    created = shopify.run_text(FILE_CREATE, files=[{"originalSource": uploaded(shopify, solid_png((1, 2, 3), 8)),
                                                    "alt": "first", "contentType": "IMAGE"}])["fileCreate"]
    file = created["files"][0]
    attached = shopify.run_text(FILE_UPDATE, files=[{"id": file["id"], "referencesToAdd": [product["id"]]}])
    replaced = shopify.run_text(FILE_UPDATE, files=[{"id": file["id"], "alt": "second",
                                                     "originalSource": uploaded(shopify, solid_png((9, 9, 9), 8))}])
    media = shopify.run_text(READ % product["id"])["product"]["media"]["nodes"]
    missing = shopify.run_text(FILE_UPDATE, files=[{"id": "gid://shopify/MediaImage/1", "alt": "x"}])["fileUpdate"]
    listed = shopify.run_text('{ files(first: 50) { nodes { id } } }')["files"]["nodes"]

    new_url = replaced["fileUpdate"]["files"][0]["image"]["url"]
    assert created["userErrors"] == [] and attached["fileUpdate"]["userErrors"] == []
    assert [m["id"] for m in media] == [file["id"]] and media[0]["alt"] == "second"
    assert new_url != file["image"]["url"]                      # the content hash moved
    assert requests.get(file["image"]["url"], timeout=10).status_code == 404
    assert requests.get(new_url, timeout=10).content == solid_png((9, 9, 9), 8)
    assert [e["code"] for e in missing["userErrors"]] == ["FILE_DOES_NOT_EXIST"]
    assert file["id"] in {f["id"] for f in listed}


ACTIVATE = """mutation($item: ID!, $location: ID!, $available: Int) {
  inventoryActivate(inventoryItemId: $item, locationId: $location, available: $available) {
    inventoryLevel { id quantities(names: ["available"]) { quantity } } userErrors { field message } } }"""


def test_an_item_activated_at_another_location_is_stocked_there(shopify):
    product = with_variants(shopify, a_product(shopify)["id"])
    item = product["variants"]["nodes"][0]["inventoryItem"]["id"]
    locations = [n["id"] for n in shopify.run_text("{ locations(first: 5) { nodes { id } } }")["locations"]["nodes"]]

    activated = shopify.run_text(ACTIVATE, item=item, location=locations[1], available=7)["inventoryActivate"]
    unknown = shopify.run_text(ACTIVATE, item="gid://shopify/InventoryItem/1", location=locations[1])
    levels = shopify.run_text('{ inventoryItem(id: "%s") { inventoryLevels(first: 5) { nodes { location { id } '
                              'quantities(names: ["available"]) { quantity } } } } }' % item)

    assert activated["userErrors"] == [] and activated["inventoryLevel"]["quantities"] == [{"quantity": 7}]
    assert unknown["inventoryActivate"]["userErrors"][0]["field"] == ["inventoryItemId"]
    assert {(n["location"]["id"], n["quantities"][0]["quantity"])
            for n in levels["inventoryItem"]["inventoryLevels"]["nodes"]} == {(locations[0], 0), (locations[1], 7)}


def test_changes_send_product_and_stock_webhooks_and_the_admin_can_make_them(shopify, receiver):  # noqa: F811
    for topic in ("PRODUCTS_CREATE", "PRODUCTS_UPDATE", "PRODUCTS_DELETE", "INVENTORY_LEVELS_UPDATE"):
        subscribe(shopify, topic, receiver.url)
    product = with_variants(shopify, a_product(shopify)["id"])
    variant = product["variants"]["nodes"][1]
    location = variant["inventoryItem"]["inventoryLevels"]["nodes"][0]["location"]["id"]

    shopify.control("POST", "products/update", id=product["id"], price="19.99", variant_id=variant["id"])
    shopify.control("POST", "inventory/set", inventory_item_id=variant["inventoryItem"]["id"], location_id=location,
                    available=4)
    shopify.run_text(DELETE, id=product["id"])
    deliveries = wait_for(receiver.received, 5)

    topics = [headers["X-Shopify-Topic"] for headers, _ in deliveries]
    bodies = [json.loads(body) for _, body in deliveries]
    assert topics == ["products/create", "products/update", "products/update", "inventory_levels/update",
                      "products/delete"]
    assert [v["price"] for v in bodies[2]["variants"]] == ["12.00", "19.99"]
    assert bodies[3]["available"] == 4 and bodies[4] == {"id": int(product["id"].rsplit("/", 1)[1])}


def test_the_admin_can_give_a_generated_product_a_new_picture(shopify):
    product = shopify.run_text('{ products(first: 1) { nodes { id media(first: 1) { nodes { ... on MediaImage { '
                               'image { url } } } } } } }')["products"]["nodes"][0]
    before = product["media"]["nodes"][0]["image"]["url"]

    shopify.control("POST", "products/update", id=product["id"], new_image=True)
    after = shopify.run_text(READ % product["id"])["product"]["media"]["nodes"][0]["image"]["url"]

    assert after != before and requests.get(after, timeout=10).content.startswith(b"\x89PNG")
