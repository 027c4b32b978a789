"""productVariantsBulkDelete and fileDelete as Shopify answers them: variants gone with their stock,
a product never left without a variant, a deleted file gone from its products and its URL."""
from __future__ import annotations

import pytest
import requests

from shopify_simulator.bucket import PLANS, LeakyBucket
from shopify_simulator.store.media import solid_png
from tests.shopify_simulator.test_product_writes import FILE_CREATE, READ, a_product, uploaded, with_variants

DELETE_VARIANTS = """mutation($id: ID!, $ids: [ID!]!) { productVariantsBulkDelete(productId: $id, variantsIds: $ids) {
  product { id variants(first: 10) { nodes { id } } } userErrors { field message code } } }"""
DELETE_FILES = """mutation($ids: [ID!]!) {
  fileDelete(fileIds: $ids) { deletedFileIds userErrors { field message code } } }"""
ATTACH = """mutation($files: [FileUpdateInput!]!) { fileUpdate(files: $files) { files { id } userErrors { code } } }"""


@pytest.fixture(autouse=True)
def unlimited(simulator):
    simulator.shops[0].bucket = LeakyBucket(PLANS["unlimited"])


def test_deleted_variants_are_gone_with_their_inventory_items(shopify):
    # given
    product = with_variants(shopify, a_product(shopify)["id"])
    variants = product["variants"]["nodes"]
    gone = variants[0]
    # when
    deleted = shopify.run_text(DELETE_VARIANTS, id=product["id"], ids=[gone["id"]])["productVariantsBulkDelete"]
    after = shopify.run_text('{ productVariant(id: "%s") { id } inventoryItem(id: "%s") { id } }'
                             % (gone["id"], gone["inventoryItem"]["id"]))
    # then
    assert deleted["userErrors"] == []
    assert [v["id"] for v in deleted["product"]["variants"]["nodes"]] == [v["id"] for v in variants[1:]]
    assert after == {"productVariant": None, "inventoryItem": None}


def test_a_delete_shopify_refuses_changes_nothing(shopify):
    # given
    product = with_variants(shopify, a_product(shopify)["id"])
    other = with_variants(shopify, a_product(shopify, title="Other mug")["id"])
    ids = [v["id"] for v in product["variants"]["nodes"]]
    # when
    every = shopify.run_text(DELETE_VARIANTS, id=product["id"], ids=ids)["productVariantsBulkDelete"]
    foreign = shopify.run_text(DELETE_VARIANTS, id=product["id"],
                               ids=[ids[0], other["variants"]["nodes"][0]["id"]])["productVariantsBulkDelete"]
    unknown = shopify.run_text(DELETE_VARIANTS, id="gid://shopify/Product/1", ids=ids)["productVariantsBulkDelete"]
    left = shopify.run_text(READ % product["id"])["product"]["variants"]["nodes"]
    # then
    assert [e["code"] for e in every["userErrors"]] == ["CANNOT_DELETE_LAST_VARIANT"]
    assert [e["code"] for e in foreign["userErrors"]] == ["AT_LEAST_ONE_VARIANT_DOES_NOT_BELONG_TO_THE_PRODUCT"]
    assert [e["code"] for e in unknown["userErrors"]] == ["PRODUCT_DOES_NOT_EXIST"]
    assert [v["id"] for v in left] == ids


def test_a_deleted_file_leaves_its_product_and_its_url_answers_404(shopify):
    # given
    product = a_product(shopify)
    created = shopify.run_text(FILE_CREATE, files=[{"originalSource": uploaded(shopify, solid_png((5, 6, 7), 8)),
                                                    "contentType": "IMAGE"}])["fileCreate"]["files"][0]
    shopify.run_text(ATTACH, files=[{"id": created["id"], "referencesToAdd": [product["id"]]}])
    # when
    deleted = shopify.run_text(DELETE_FILES, ids=[created["id"]])["fileDelete"]
    again = shopify.run_text(DELETE_FILES, ids=[created["id"]])["fileDelete"]
    media = shopify.run_text(READ % product["id"])["product"]["media"]["nodes"]
    # then
    assert deleted == {"deletedFileIds": [created["id"]], "userErrors": []}
    assert [e["code"] for e in again["userErrors"]] == ["FILE_DOES_NOT_EXIST"]
    assert media == []
    assert requests.get(created["image"]["url"], timeout=10).status_code == 404
