"""Customers and items typed in the admin: numbered from the series when left blank, found by
contact afterwards, and a barcode used twice is a form error, never a 500."""
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from connectors.ledger.models import Customer, ItemBarcode
from connectors.ledger.target import target_for
from tests.factories.ledger import ItemFactory
from tests.factories.merchants import MerchantFactory

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
