"""Report 30108 towards Shopify, over HTTP against the simulator and on both accounting targets:
items added to the shop become products whose SKUs the card's rule maps back, an edited item
updates its product, "only prices" sends just the changed prices in packed requests, an item taken
out gets the card's action, and a run with nothing changed sends nothing."""
from dataclasses import replace
from decimal import Decimal

import pytest

from connectors.ledger.records import BarcodeData, ItemData, VariantData
from connectors.shopify.client import ShopifyClient
from shopify_simulator.store.gids import gid_number
from syncjobs.products.export import export_items
from syncjobs.products.models import ProductLink, VariantLink
from syncjobs.products.shop_items import add_items, take_out

pytestmark = pytest.mark.django_db


@pytest.fixture
def exporting(merchant):
    merchant.sync_item_direction = "to_shopify"
    merchant.sku_mapping = "item_no_variant_code"
    merchant.sku_field_separator = "-"
    merchant.save()
    return merchant


def shirt(number: str, **fields) -> ItemData:
    return ItemData(**{"number": number, "description": f"Linen shirt {number}", "unit_price": Decimal("49.00"),
                       "unit_cost": Decimal("18.50"),
                       "variants": (VariantData("S", "Small"), VariantData("M", "Medium")),
                       "barcodes": (BarcodeData(f"{number}0001", "S"),), **fields})


def product_of(shop, merchant, number: str):
    link = ProductLink.objects.get(merchant=merchant, item_no=number)
    return shop.catalog.product(gid_number(link.shopify_gid, "Product"))


def run(merchant, books, **kwargs):
    client = ShopifyClient.for_merchant(merchant)
    counts = export_items(merchant, target=books, client=client, **kwargs)
    return counts, client.stats.calls


def test_items_added_to_the_shop_become_products_mapped_back_by_their_skus(exporting, books, shop):
    books.create_items(exporting, [shirt("LS1"), ItemData(number="MUG", description="Mug", unit_price=Decimal("9"))])
    add_items(exporting, None, target=books)

    counts, _ = run(exporting, books)
    again, calls = run(exporting, books)

    shirt_product = product_of(shop, exporting, "LS1")
    assert (counts.created, counts.failed) == (2, [])
    assert shirt_product.title == "Linen shirt LS1" and shirt_product.status == "ACTIVE"
    assert {v.sku: (v.price, v.barcode) for v in shirt_product.variants} == {
        "LS1-S": (Decimal("49.00"), "LS10001"), "LS1-M": (Decimal("49.00"), None)}
    assert sorted(VariantLink.objects.filter(merchant=exporting).values_list("sku", "item_no", "variant_code",
                                                                          "mapped_by")) == [
        ("LS1-M", "LS1", "M", "exported"), ("LS1-S", "LS1", "S", "exported"), ("MUG", "MUG", "", "exported")]
    assert [v.sku for v in product_of(shop, exporting, "MUG").variants] == ["MUG"]
    assert (again.created, again.updated, again.unchanged, calls) == (0, 0, 2, 0)


def test_an_edited_item_updates_its_product_and_nothing_else(exporting, books, shop):
    books.create_items(exporting, [shirt("LS1"), shirt("LS2")])
    add_items(exporting, None, target=books)
    run(exporting, books)
    (ls1,) = books.get_items(exporting, ["LS1"]).values()

    books.update_items(exporting, [replace(ls1, description="Linen shirt, washed",
                                           variants=ls1.variants + (VariantData("L", "Large"),))])
    counts, _ = run(exporting, books)

    product = product_of(shop, exporting, "LS1")
    assert (counts.updated, counts.unchanged) == (1, 1)
    assert product.title == "Linen shirt, washed"
    assert sorted(v.sku for v in product.variants) == ["LS1-L", "LS1-M", "LS1-S"]
    assert VariantLink.objects.filter(merchant=exporting, item_no="LS1").count() == 3


def test_only_prices_sends_just_the_changed_prices_in_packed_requests(exporting, books, shop):
    items = [shirt(f"P{n:03d}", variants=tuple(VariantData(c) for c in "ABCDE")) for n in range(60)]
    books.create_items(exporting, [replace(item, barcodes=()) for item in items])
    add_items(exporting, None, target=books)
    run(exporting, books)
    held = books.get_items(exporting, [item.number for item in items])

    books.update_items(exporting, [replace(item, unit_price=Decimal("39.00")) for item in held.values()])
    counts, calls = run(exporting, books, only_prices=True)
    again, calls_again = run(exporting, books, only_prices=True)

    assert counts.prices == 300 and calls == 2     # 300 variants: at most 250 a request
    assert {v.price for n in held for v in product_of(shop, exporting, n).variants} == {Decimal("39.00")}
    assert (again.prices, calls_again) == (0, 0)


def test_an_item_taken_out_of_the_shop_gets_the_cards_action_once(exporting, books, shop):
    exporting.action_for_removed_items = "ARCHIVED"
    exporting.save()
    books.create_items(exporting, [shirt("LS1"), shirt("LS2")])
    add_items(exporting, None, target=books)
    run(exporting, books)

    take_out(ProductLink.objects.filter(merchant=exporting, item_no="LS1"))
    counts, _ = run(exporting, books)
    again, calls = run(exporting, books)

    assert counts.removed == 1 and product_of(shop, exporting, "LS1").status == "ARCHIVED"
    assert product_of(shop, exporting, "LS2").status == "ACTIVE"
    assert (again.removed, calls) == (0, 0)


def test_items_whose_variants_would_share_a_sku_are_refused_with_the_reason(exporting, books, shop):
    exporting.sku_mapping = "vendor_item_no"
    exporting.save()
    books.create_items(exporting, [shirt("LS1", vendor_item_no="V-1")])
    add_items(exporting, None, target=books)

    counts, calls = run(exporting, books)

    assert counts.created == 0 and calls == 0
    assert counts.failed == [("LS1", "its variants would share the SKU V-1 under the SKU mapping 'vendor item no.'")]
    assert ProductLink.objects.get(merchant=exporting, item_no="LS1").failure.startswith("its variants would share")
