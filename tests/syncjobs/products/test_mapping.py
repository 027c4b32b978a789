"""Business Central's SKU mapping: each rule finds the item a Shopify variant stands for, the
barcode is the fallback, and unknown products become items shaped so the same rule finds them next
time. Run against both accounting targets."""
from decimal import Decimal

import pytest

from connectors.ledger.records import BarcodeData, ItemData, VariantData
from syncjobs.products.mapping import ProductFacts, VariantFacts, map_products, sku_of
from tests.factories.merchants import MerchantFactory

pytestmark = pytest.mark.django_db


def shirt(*skus: str, barcodes=("", "", ""), item_no: str = "") -> ProductFacts:
    return ProductFacts(gid="gid://shopify/Product/1", title="Linen shirt", item_no=item_no, variants=tuple(
        VariantFacts(gid=f"gid://shopify/ProductVariant/{n}", title=size, sku=sku, barcode=barcode,
                     price=Decimal("49.00"), unit_cost=Decimal("18.50"))
        for n, (size, sku, barcode) in enumerate(zip(("S", "M", "L"), skus, barcodes, strict=False), start=1)))


@pytest.fixture
def stocked(books):
    """A ledger that sells the shirt as item LS-1 with variants S, M and L, each with a barcode."""
    def of(merchant):
        books.create_items(merchant, [ItemData(
            number="LS-1", description="Linen shirt", vendor_item_no="V-LS",
            variants=tuple(VariantData(code) for code in ("S", "M", "L")),
            barcodes=(BarcodeData("400000000001", "S"), BarcodeData("400000000002", "M"),
                      BarcodeData("400000000003", "L")))])
        return merchant
    return of


@pytest.mark.parametrize(("rule", "skus", "expected"), [
    ("sku", ("LS-1", "LS-1", "LS-1"), [("LS-1", ""), ("LS-1", ""), ("LS-1", "")]),
    ("item_no_variant_code", ("LS-1/S", "LS-1/M", "LS-1/L"), [("LS-1", "S"), ("LS-1", "M"), ("LS-1", "L")]),
    ("vendor_item_no", ("V-LS", "V-LS", "V-LS"), [("LS-1", ""), ("LS-1", ""), ("LS-1", "")]),
    ("barcode", ("400000000001", "400000000002", "400000000003"), [("LS-1", "S"), ("LS-1", "M"), ("LS-1", "L")]),
    ("variant_code", ("S", "M", "L"), [("LS-1", "S"), ("LS-1", "M"), ("LS-1", "L")]),
])
def test_each_sku_rule_finds_the_item_and_variant_the_sku_names(books, stocked, rule, skus, expected):
    merchant = stocked(MerchantFactory(sku_mapping=rule, sku_field_separator="/"))
    product = shirt(*skus, item_no="LS-1" if rule == "variant_code" else "")

    outcome = map_products(merchant, [product], target=books, auto_create=False)

    assert [(m.item_no, m.variant_code) for m in outcome.variants.values()] == expected
    assert outcome.created_items == []


def test_a_sku_that_finds_nothing_falls_back_to_the_barcode(books, stocked):
    merchant = stocked(MerchantFactory(sku_mapping="sku"))
    product = shirt("OLD-S", "OLD-M", barcodes=("400000000001", "999"))

    outcome = map_products(merchant, [product], target=books, auto_create=False)

    small, medium = outcome.variants.values()
    assert (small.item_no, small.variant_code, small.mapped_by) == ("LS-1", "S", "barcode")
    assert medium.item_no == "" and medium.reason == (
        "no item has item no. OLD-M (SKU mapping: item no.); no item has barcode 999; create the item, map the "
        "variant by hand, or turn on Auto-create unknown items")


def test_without_the_barcode_fallback_only_the_sku_counts(books, stocked):
    merchant = stocked(MerchantFactory(sku_mapping="sku", find_mapping_by_barcode=False))

    outcome = map_products(merchant, [shirt("OLD-S", barcodes=("400000000001",))], target=books, auto_create=False)

    assert [m.item_no for m in outcome.variants.values()] == [""]


def test_a_vendor_item_no_two_items_share_maps_to_neither_and_names_both(books, stocked):
    merchant = stocked(MerchantFactory(sku_mapping="vendor_item_no"))
    books.create_items(merchant, [ItemData(number="LS-2", description="Linen shirt, old", vendor_item_no="V-LS")])

    (mapping,) = map_products(merchant, [shirt("V-LS")], target=books, auto_create=False).variants.values()

    assert mapping.item_no == "" and "items LS-1, LS-2 all have vendor item no. V-LS" in mapping.reason


@pytest.mark.parametrize(("rule", "skus"), [
    ("sku", ("TS-S", "TS-M")), ("item_no_variant_code", ("TS/S", "TS/M")), ("variant_code", ("S", "M")),
    ("vendor_item_no", ("VT-S", "VT-M")), ("barcode", ("500000000001", "500000000002")),
])
def test_auto_created_items_are_found_by_the_same_rule_next_time(books, rule, skus):
    merchant = MerchantFactory(sku_mapping=rule, sku_field_separator="/")
    product = shirt(*skus, barcodes=("700000000001", "700000000002"))

    first = map_products(merchant, [product], target=books, auto_create=True)
    item_no = next(iter(first.variants.values())).item_no
    again = map_products(merchant, [shirt(*skus, item_no=item_no)], target=books, auto_create=False)

    assert first.created_items and {m.mapped_by for m in first.variants.values()} == {"created"}
    assert [(m.item_no, m.variant_code) for m in again.variants.values()] == [
        (m.item_no, m.variant_code) for m in first.variants.values()]
    assert all(m.mapped_by not in ("created", "") for m in again.variants.values())
    created = books.get_items(merchant, first.created_items)
    assert {item.unit_price for item in created.values()} == {Decimal("49.00")}
    assert all(sku_of(merchant, created[m.item_no], m.variant_code) == sku
               for m, sku in zip(first.variants.values(), skus, strict=True) if rule != "vendor_item_no")


def test_two_variants_naming_one_item_no_make_one_item_and_auto_create_off_makes_none(books):
    merchant = MerchantFactory(sku_mapping="sku")

    refused = map_products(merchant, [shirt("SAME", "SAME")], target=books, auto_create=False)
    made = map_products(merchant, [shirt("SAME", "SAME")], target=books, auto_create=True)

    assert refused.created_items == [] and {m.item_no for m in refused.variants.values()} == {""}
    assert made.created_items == ["SAME"] and {m.item_no for m in made.variants.values()} == {"SAME"}


def test_an_item_template_gives_created_items_its_type_and_unit(books):
    merchant = MerchantFactory(sku_mapping="sku", item_template_no="TPL")
    books.create_items(merchant, [ItemData(number="TPL", description="Template", type="service", base_unit="BOX")])

    made = map_products(merchant, [shirt("GIFT-1")], target=books, auto_create=True)

    item = books.get_items(merchant, made.created_items)["GIFT-1"]
    assert (item.type, item.base_unit) == ("service", "BOX")
