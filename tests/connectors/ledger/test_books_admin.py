"""Customers and items typed in the admin: numbered from the series when left blank, found by
contact afterwards, their number kept once they exist, a bad email, country or a barcode used twice
a form error, never a 500, and one in use not deleted."""
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from connectors.ledger.models import Customer, Item, ItemBarcode
from connectors.ledger.target import target_for
from core.in_use import IN_USE
from tests.factories.ledger import CustomerFactory, ItemFactory, ItemLedgerEntryFactory
from tests.factories.merchants import MerchantFactory
from tests.fixtures.shop_card import messages_of

pytestmark = pytest.mark.django_db


def inline(prefix: str, rows: list[dict]) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def test_a_customer_added_without_a_number_takes_the_next_one_and_is_found_by_phone(superuser, login):
    merchant = MerchantFactory()

    response = login(superuser).post(reverse("admin:ledger_customer_add"), {
        "merchant": merchant.pk, "number": "", "name": "Maison Martin", "email": "Compta@Martin.fr",
        "phone": "01 23 45 67 89", "country": "fr", "tax_liable": "on"})

    customer = Customer.objects.get()
    assert response.status_code == 302 and (customer.number, customer.country) == ("C00001", "FR")
    assert [c.number for c in target_for(merchant).find_customers(
        merchant, emails=["compta@martin.fr"], phones=["+33123456789"])] == ["C00001"]


def test_a_barcode_another_item_has_is_a_form_error(superuser, login):
    merchant = MerchantFactory()
    other = ItemFactory(merchant=merchant)
    ItemBarcode.objects.create(merchant=merchant, item=other, barcode="4006381333931")

    response = login(superuser).post(reverse("admin:ledger_item_add"), {
        "merchant": merchant.pk, "number": "", "description": "Pencil", "type": "inventory", "base_unit": "PCS",
        "unit_price": "1.50", "unit_cost": "0.40", "vendor_item_no": "",
        **inline("variants", []), **inline("barcodes", [{"barcode": "4006381333931", "variant_code": ""}])})

    assert response.status_code == 200
    assert f"already used by item {other.number}" in response.content.decode()
    assert ItemBarcode.objects.count() == 1


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_a_picture_uploaded_on_the_item_page_is_kept_and_a_file_that_is_no_image_is_a_form_error(superuser, login):
    merchant = MerchantFactory()
    item = ItemFactory(merchant=merchant)
    client = login(superuser)
    url = reverse("admin:ledger_item_change", args=[item.pk])
    fields = {"merchant": merchant.pk, "number": item.number, "description": item.description, "type": "inventory",
              "base_unit": "PCS", "unit_price": "1.50", "unit_cost": "0.40", "vendor_item_no": "",
              **inline("variants", []), **inline("barcodes", [])}

    refused = client.post(url, {**fields, "new_picture": SimpleUploadedFile("notes.txt", b"not a picture")})
    kept = client.post(url, {**fields, "new_picture": SimpleUploadedFile("pencil.png", PNG)})
    page = client.get(url).content.decode()

    assert refused.status_code == 200 and "not a PNG, JPEG, GIF or WebP image" in refused.content.decode()
    assert kept.status_code == 302
    assert target_for(merchant).item_picture_hashes(merchant, [item.number]) == {
        item.number: hashlib.sha256(PNG).hexdigest()}
    assert "pencil.png (image/png" in page


def customer_fields(merchant, **changes) -> dict:
    return {"merchant": merchant.pk, "number": "", "name": "Maison Martin", "email": "", "phone": "",
            "address": "", "address_2": "", "city": "", "post_code": "", "county": "", "country": "",
            "tax_liable": "on", **changes}


def test_an_existing_customers_or_items_number_and_shop_are_read_only(superuser, login):
    """Links name a customer or item by its number: once it exists its page cannot change it (nor its
    shop), whatever is posted."""
    # given
    merchant, other = MerchantFactory(), MerchantFactory()
    customer = CustomerFactory(merchant=merchant, number="C00002")
    item = ItemFactory(merchant=merchant, number="I00002")
    client = login(superuser)
    customer_url = reverse("admin:ledger_customer_change", args=[customer.pk])
    item_url = reverse("admin:ledger_item_change", args=[item.pk])

    # when
    page = client.get(customer_url).content.decode()
    renamed = client.post(customer_url, customer_fields(other, number="C00002X", name="Renamed"))
    client.post(item_url, {"merchant": other.pk, "number": "I00002X", "description": "Pencil", "type": "inventory",
                           "base_unit": "PCS", "unit_price": "1", "unit_cost": "0", "vendor_item_no": "",
                           **inline("variants", []), **inline("barcodes", [])})

    # then
    customer.refresh_from_db()
    item.refresh_from_db()
    assert 'name="number"' not in page and "C00002" in page
    assert renamed.status_code == 302
    assert (customer.number, customer.merchant, customer.name) == ("C00002", merchant, "Renamed")
    assert (item.number, item.merchant, item.description) == ("I00002", merchant, "Pencil")


@pytest.mark.parametrize(("changes", "error"), [
    ({"email": "not-an-email"}, "Enter a valid email address."),
    ({"country": "ZZ"}, "“ZZ” is not a country code: type the two-letter ISO 3166 code"),
    ({"country": "ZZZ"}, "“ZZZ” is not a country code"),
    ({"country": "France"}, "“France” is not a country code"),
])
def test_a_customer_with_an_email_or_a_country_that_is_none_is_a_form_error(superuser, login, changes, error):
    merchant = MerchantFactory()

    response = login(superuser).post(reverse("admin:ledger_customer_add"), customer_fields(merchant, **changes))

    assert response.status_code == 200 and error in response.content.decode()
    assert not Customer.objects.exists()


def test_a_customers_country_is_taken_upper_cased(superuser, login):
    merchant = MerchantFactory()

    response = login(superuser).post(reverse("admin:ledger_customer_add"),
                                     customer_fields(merchant, country="gb ", email="a@b.example"))

    assert response.status_code == 302
    assert Customer.objects.values_list("country", "email").get() == ("GB", "a@b.example")


@pytest.fixture
def pencil_in_use():
    """A use of item I00001 of any shop, as the product sync will register its own."""
    def pencils(merchant_id, numbers):
        return [f"variant PEN-1 is mapped to item {n}" for n in numbers if n == "I00001"]

    IN_USE.setdefault("item", []).append(pencils)
    yield
    IN_USE["item"].remove(pencils)


def test_an_item_in_use_is_not_deleted_from_its_page_or_the_list_and_one_unused_is(superuser, login, pencil_in_use):
    """The item page asks core.in_use what uses an item: one in use stays, with what uses it."""
    # given
    merchant = MerchantFactory()
    used, unused = ItemFactory(merchant=merchant, number="I00001"), ItemFactory(merchant=merchant, number="I00009")
    client = login(superuser)

    # when
    from_page = client.post(reverse("admin:ledger_item_delete", args=[used.pk]), {"post": "yes"}, follow=True)
    from_list = client.post(reverse("admin:ledger_item_changelist"), {
        "action": "delete_selected", "_selected_action": [used.pk, unused.pk], "post": "yes"}, follow=True)
    unused_only = client.post(reverse("admin:ledger_item_changelist"), {
        "action": "delete_selected", "_selected_action": [unused.pk], "post": "yes"}, follow=True)

    # then
    assert messages_of(from_page) == ["Item I00001 cannot be deleted: variant PEN-1 is mapped to item I00001. "
                                      "Change those first."]
    assert messages_of(from_list) == ["Nothing was deleted, as items of the selection are in use: variant PEN-1 is "
                                      "mapped to item I00001. Change those first."]
    assert unused_only.status_code == 200
    assert list(Item.objects.values_list("number", flat=True)) == ["I00001"]


def test_the_items_list_shows_each_items_stock_on_hand_in_whole_units_where_whole(superuser, login):
    merchant = MerchantFactory()
    whole, part, service = (ItemFactory(merchant=merchant, number=n, type=t)
                            for n, t in (("TEA", "inventory"), ("FLOUR", "inventory"), ("TASTING", "service")))
    ItemLedgerEntryFactory(merchant=merchant, item=whole, quantity="10")
    ItemLedgerEntryFactory(merchant=merchant, item=whole, quantity="20")
    ItemLedgerEntryFactory(merchant=merchant, item=part, quantity="2.500")

    listed = login(superuser).get(reverse("admin:ledger_item_changelist"))

    shown = {item.number: listed.context["cl"].model_admin.on_hand(item) for item in listed.context["cl"].result_list}
    assert shown == {"TEA": "30", "FLOUR": "2.5", "TASTING": "—"}
