"""Customers, items and stock behind the accounting-target interface, the same tests over the
built-in ledger and the in-memory target: numbers from a series, exact contact matching, batches
all or none, stock as the sum of its entries."""
from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import pytest

from connectors.ledger.errors import NumberTaken, UnknownRecords
from connectors.ledger.models import ItemLedgerEntry
from connectors.ledger.records import (
    BarcodeData,
    CustomerData,
    ItemData,
    LocationData,
    PictureData,
    StockEntry,
    StockKey,
    VariantData,
)
from connectors.ledger.target import target_for
from tests.factories.merchants import MerchantFactory
from tests.fixtures.concurrency import race

DAY = date(2025, 3, 11)


@pytest.fixture
def merchant(db):
    return MerchantFactory()


def test_new_customers_are_numbered_from_the_series_around_numbers_typed_by_hand(books, merchant):
    books.create_customers(merchant, [CustomerData(name="Typed", number="C00002")])

    created = books.create_customers(merchant, [CustomerData(name="Ann"), CustomerData(name="Bob"),
                                                CustomerData(name="Cy")])

    assert [c.number for c in created] == ["C00001", "C00003", "C00004"]
    assert books.get_customers(merchant, ["C00003", "C09999"]) == {"C00003": created[1]}
    with pytest.raises(NumberTaken, match="customer C00002 already exists"):
        books.create_customers(merchant, [CustomerData(name="Again", number="C00002")])


def test_a_customer_is_found_only_by_the_exact_email_or_phone(books, merchant):
    ann, _, _ = books.create_customers(merchant, [
        CustomerData(name="Ann", email="Ann@Shop.com", phone="06 12 34 56 78", country="FR"),
        CustomerData(name="Near miss", email="ann@shop.co", phone="+33 6 12 34 56 79"),
        CustomerData(name="Other merchant's twin", email="x@example.org")])
    other = MerchantFactory()
    books.create_customers(other, [CustomerData(name="Ann elsewhere", email="ann@shop.com")])

    by_email = books.find_customers(merchant, emails=["ann@shop.com"])
    by_phone = books.find_customers(merchant, phones=["+33612345678"])
    by_nothing = books.find_customers(merchant, emails=[""], phones=[])

    assert [c.name for c in by_email] == [c.name for c in by_phone] == ["Ann"]
    assert by_email[0] == ann and by_nothing == []


def test_an_update_reports_what_changed_and_refuses_unknown_numbers(books, merchant):
    ann, bob = books.create_customers(merchant, [CustomerData(name="Ann", city="Paris"),
                                                 CustomerData(name="Bob")])

    changed = books.update_customers(merchant, [CustomerData(name="Ann", number=ann.number, city="Lyon"), bob])

    assert changed == [ann.number]
    assert books.get_customers(merchant, [ann.number])[ann.number].city == "Lyon"
    with pytest.raises(UnknownRecords, match="no customer C09999"):
        books.update_customers(merchant, [CustomerData(name="Ghost", number="C09999")])
    assert books.customer_numbers(merchant) == [ann.number, bob.number]


def a_shirt(**fields) -> ItemData:
    return ItemData(description="Linen shirt", unit_price=Decimal("60.00"), unit_cost=Decimal("21.00"),
                    vendor_item_no="LS-1", variants=(VariantData("M", "Medium"), VariantData("L", "Large")),
                    barcodes=(BarcodeData("3000000000017", "M"), BarcodeData("3000000000024", "L")), **fields)


def test_items_keep_their_variants_and_barcodes_and_are_found_by_either(books, merchant):
    (shirt,) = books.create_items(merchant, [a_shirt()])
    books.create_items(merchant, [ItemData(description="Gift wrap", type="service")])

    by_barcode = books.find_items(merchant, barcodes=["3000000000024"])
    by_vendor_no = books.find_items(merchant, vendor_item_nos=["LS-1"])
    smaller = books.update_items(merchant, [ItemData(**{**shirt.__dict__, "variants": (VariantData("M", "Medium"),),
                                                        "barcodes": (BarcodeData("3000000000017", "M"),)})])

    assert shirt.number == "I00001" and by_barcode == by_vendor_no == {shirt.number: shirt}
    assert smaller == [shirt.number]
    assert books.get_items(merchant, [shirt.number])[shirt.number].variants == (VariantData("M", "Medium"),)
    assert books.find_items(merchant, barcodes=["3000000000024"]) == {}


def test_a_picture_is_written_only_when_its_content_changed_and_its_hash_is_read_without_the_bytes(books, merchant):
    (shirt, wrap) = books.create_items(merchant, [a_shirt(), ItemData(description="Gift wrap", type="service")])
    front = PictureData(b"\x89PNG front", "image/png", "front.png")

    first = books.set_item_pictures(merchant, {shirt.number: front})
    again = books.set_item_pictures(merchant, {shirt.number: PictureData(b"\x89PNG front", "image/png", "copy.png")})
    back = books.set_item_pictures(merchant, {shirt.number: PictureData(b"\x89PNG back", "image/png", "back.png"),
                                              wrap.number: front})

    assert (first, again, back) == ([shirt.number], [], sorted([shirt.number, wrap.number]))
    assert books.item_picture_hashes(merchant, [shirt.number, wrap.number, "NOPE"]) == {
        shirt.number: hashlib.sha256(b"\x89PNG back").hexdigest(), wrap.number: front.content_hash}
    assert books.get_item_pictures(merchant, [shirt.number])[shirt.number].filename == "back.png"
    with pytest.raises(UnknownRecords):
        books.set_item_pictures(merchant, {"NOPE": front, wrap.number: PictureData(b"GIF89a", "image/gif")})
    assert books.item_picture_hashes(merchant, [wrap.number]) == {wrap.number: front.content_hash}


def test_stock_on_hand_is_the_sum_of_its_entries_per_item_variant_and_location(books, merchant):
    (shirt,) = books.create_items(merchant, [a_shirt()])
    books.create_locations(merchant, [LocationData("MAIN", "Main warehouse"), LocationData("SHOP", "Boutique")])
    medium, large = StockKey(shirt.number, "M", "MAIN"), StockKey(shirt.number, "L", "SHOP")

    books.post_stock(merchant, [StockEntry(medium, Decimal(10), "positive_adjustment", DAY),
                                StockEntry(medium, Decimal(-3), "sale", DAY, "SI00001"),
                                StockEntry(large, Decimal(4), "purchase", DAY)])

    assert books.stock(merchant) == {medium: Decimal(7), large: Decimal(4)}
    assert books.stock(merchant, location="SHOP") == {large: Decimal(4)}


def test_stock_naming_something_the_books_do_not_hold_adds_nothing(books, merchant):
    (shirt,) = books.create_items(merchant, [a_shirt()])
    books.create_locations(merchant, [LocationData("MAIN", "Main warehouse")])
    good = StockEntry(StockKey(shirt.number, "M", "MAIN"), Decimal(5), "positive_adjustment", DAY)

    for wrong, message in ((StockKey("I09999", "", "MAIN"), "no item I09999"),
                           (StockKey(shirt.number, "XL", "MAIN"), f"no item variant {shirt.number} XL"),
                           (StockKey(shirt.number, "M", "NOWHERE"), "no location NOWHERE")):
        with pytest.raises(UnknownRecords, match=message):
            books.post_stock(merchant, [good, StockEntry(wrong, Decimal(1), "positive_adjustment", DAY)])

    assert books.stock(merchant) == {}


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_syncs_creating_customers_at_once_never_share_a_number():
    merchant = MerchantFactory()
    books = target_for(merchant)

    results = race(lambda n: books.create_customers(merchant, [CustomerData(name=f"{n}-{i}") for i in range(20)]),
                   range(4))

    numbers = [c.number for batch in results for c in batch]
    assert len(numbers) == len(set(numbers)) == 80 and not ItemLedgerEntry.objects.exists()
