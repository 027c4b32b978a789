"""The sales documents' admin pages: read-only, scoped to the user's shops, released and reopened
from the list; posted shipments, invoices (with their journal) and customer ledger entries to look
at; a customer or item a document uses is not deleted."""
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from connectors.ledger.models import Customer, Item, PostedSalesInvoice, SalesDocument, ShippingAgent
from connectors.ledger.records import DocumentType, LineType, SalesLineData
from connectors.ledger.target import target_for
from tests.connectors.ledger.sales_books import documents_shop, gid, vat_order
from tests.factories.users import merchant_user
from tests.fixtures.shop_card import messages_of

pytestmark = pytest.mark.django_db


def shop_with_documents(*, posted: bool = False):
    merchant = documents_shop()
    target_for(merchant).create_sales_documents(merchant, [vat_order(), vat_order(shopify_order_id=gid(2),
                                                                                  released=False)])
    if posted:
        target_for(merchant).post_sales_documents(merchant, DocumentType.ORDER, ["SO00001"])
    return merchant


def test_a_merchant_user_sees_only_their_shops_documents_and_their_lines(login):
    # given two shops with documents of the same numbers
    mine, theirs = shop_with_documents(), shop_with_documents()
    client = login(merchant_user(mine))
    own = SalesDocument.objects.get(merchant=mine, number="SO00001")
    other = SalesDocument.objects.get(merchant=theirs, number="SO00001")
    # when
    listed = client.get(reverse("admin:ledger_salesdocument_changelist"))
    page = client.get(reverse("admin:ledger_salesdocument_change", args=[own.pk]))
    elsewhere = client.get(reverse("admin:ledger_salesdocument_change", args=[other.pk]))
    # then
    assert listed.status_code == 200
    assert [d.pk for d in listed.context["cl"].result_list] == list(
        SalesDocument.objects.filter(merchant=mine).order_by("number").values_list("pk", flat=True))
    assert "119.00 EUR" in listed.content.decode()
    text = page.content.decode()
    assert page.status_code == 200 and "#1001" in text and "Teapot" in text and "VAT 20% (20 %): 18.00" in text
    assert 'name="package_tracking_no"' in text and 'name="number"' not in text   # only the tracking is editable
    assert elsewhere.status_code == 404


def test_a_documents_page_shows_line_numbers_quantities_and_amounts_as_read_and_the_totals(superuser, login):
    # given the worked example with a line of 1.5 × 0.12345
    merchant = documents_shop()
    odd = SalesLineData(LineType.ACCOUNT, "4010", "Postage by weight", D("1.5"), D("0.12345"))
    target_for(merchant).create_sales_documents(merchant, [vat_order(lines=(*vat_order().lines, odd))])
    document = SalesDocument.objects.get(merchant=merchant)
    # when
    page = login(superuser).get(reverse("admin:ledger_salesdocument_change", args=[document.pk]))
    # then
    cells = re.findall(r'<td class="field-(\w+)">\s*<p>(.*?)</p>', page.content.decode(), re.S)
    first_line = dict(cells[:12])
    assert (first_line["line_no_shown"], first_line["quantity_shown"], first_line["unit_price_shown"],
            first_line["invoice_discount_money"], first_line["amount_money"], first_line["tax_amount_money"],
            first_line["amount_including_tax_money"]) == ("10000", "2", "60.00", "12.00", "90.00", "18.00", "108.00")
    assert [value for name, value in cells if name in ("line_no_shown", "quantity_shown", "unit_price_shown")][-3:] == [
        "40000", "1.5", "0.12345"]
    totals = dict(re.findall(r'<label>([^<]+):</label>\s*<div class="readonly">([^<]*)</div>', page.content.decode()))
    assert (totals["Amount"], totals["Tax"], totals["Amount incl. tax"], totals["Invoice discount"]) == (
        "100.19 EUR", "19.00 EUR", "119.19 EUR", "12.00 EUR")


def test_documents_are_released_and_reopened_from_the_list(login):
    merchant = shop_with_documents()
    client = login(merchant_user(merchant))
    url = reverse("admin:ledger_salesdocument_changelist")
    pks = list(SalesDocument.objects.values_list("pk", flat=True))

    released = client.post(url, {"action": "release", "_selected_action": pks}, follow=True)
    statuses = set(SalesDocument.objects.values_list("status", flat=True))
    reopened = client.post(url, {"action": "reopen", "_selected_action": pks[:1]}, follow=True)
    again = client.post(url, {"action": "reopen", "_selected_action": pks[:1]}, follow=True)
    released_again = client.post(url, {"action": "release", "_selected_action": pks}, follow=True)

    assert messages_of(released) == ["1 document released; 1 was released already."]
    assert statuses == {"released"}
    assert messages_of(reopened) == ["1 document reopened."]
    assert messages_of(again) == ["0 documents reopened; 1 was open already."]
    assert messages_of(released_again) == ["1 document released; 1 was released already."]
    assert SalesDocument.objects.filter(status="released").count() == 2


def test_nobody_adds_or_deletes_a_document_here_and_a_change_takes_only_its_tracking(superuser, login):
    merchant = shop_with_documents()
    ShippingAgent.objects.create(merchant=merchant, code="DHL", name="DHL", internet_address="https://dhl.example/%1")
    client = login(superuser)
    document = SalesDocument.objects.get(merchant=merchant, number="SO00001")

    added = client.get(reverse("admin:ledger_salesdocument_add"))
    lines = document.lines.count()
    inline = {"lines-TOTAL_FORMS": str(lines), "lines-INITIAL_FORMS": str(lines), "lines-MIN_NUM_FORMS": "0",
              "lines-MAX_NUM_FORMS": "1000"}
    changed = client.post(reverse("admin:ledger_salesdocument_change", args=[document.pk]), {
        "number": "X", "status": "open", "shipping_agent": "DHL", "package_tracking_no": " JJD1 ", **inline})
    deleted = client.post(reverse("admin:ledger_salesdocument_delete", args=[document.pk]), {"post": "yes"})
    unknown = client.post(reverse("admin:ledger_salesdocument_change", args=[document.pk]),
                          {"shipping_agent": "UPS", "package_tracking_no": "1Z", **inline})

    assert (added.status_code, changed.status_code, deleted.status_code) == (403, 302, 403)
    kept = SalesDocument.objects.filter(pk=document.pk).values_list("number", "status", "shipping_agent",
                                                                    "package_tracking_no").get()
    assert kept == ("SO00001", document.status, "DHL", "JJD1")
    assert unknown.status_code == 200 and "UPS is not one of the available choices" in unknown.content.decode()


@pytest.mark.parametrize("model", ["postedsalesshipment", "postedsalesinvoice", "customerledgerentry"])
def test_posted_documents_and_customer_entries_are_shown_to_their_shop_and_not_editable(login, model):
    """Not editable but for a posted shipment's tracking (test_shipments.py): its page has those two fields."""
    mine, theirs = shop_with_documents(posted=True), shop_with_documents(posted=True)
    client = login(merchant_user(mine))
    rows = SalesDocument._meta.apps.get_model("ledger", model).objects
    own, other = rows.get(merchant=mine), rows.get(merchant=theirs)

    listed = client.get(reverse(f"admin:ledger_{model}_changelist"))
    page = client.get(reverse(f"admin:ledger_{model}_change", args=[own.pk]))

    assert listed.status_code == page.status_code == 200
    assert [row.pk for row in listed.context["cl"].result_list] == [own.pk]
    text = page.content.decode()
    inputs = set(re.findall(r'<(?:input|select|textarea)[^>]* name="([\w-]+)"', text))
    editable = {"shipping_agent", "package_tracking_no"} if model == "postedsalesshipment" else set()
    assert "#1001" in text and {n for n in inputs if not n.startswith(("lines-", "_", "csrf"))} == editable
    assert ('name="_save"' in text) is (model == "postedsalesshipment")
    assert client.get(reverse(f"admin:ledger_{model}_change", args=[other.pk])).status_code == 404
    assert client.post(reverse(f"admin:ledger_{model}_delete", args=[own.pk]), {"post": "yes"}).status_code == 403


def test_a_posted_invoice_links_to_its_journal_and_the_journal_back_to_it(superuser, login):
    merchant = shop_with_documents(posted=True)
    client = login(superuser)
    invoice = PostedSalesInvoice.objects.get(merchant=merchant)

    page = client.get(reverse("admin:ledger_postedsalesinvoice_change", args=[invoice.pk])).content.decode()
    journal = client.get(reverse("admin:ledger_journalentry_change", args=[invoice.journal_id])).content.decode()

    assert reverse("admin:ledger_journalentry_change", args=[invoice.journal_id]) in page
    assert "posted sales invoice PSI00001" in journal
    assert reverse("admin:ledger_postedsalesinvoice_change", args=[invoice.pk]) in journal


def test_a_documents_url_opens_it_among_the_users_shops_and_lists_them_when_several_shops_have_the_number(
        superuser, login, client):
    mine = shop_with_documents(posted=True)
    shop_with_documents(posted=True)   # another shop, the same numbers
    ledger = target_for(mine)
    own = SalesDocument.objects.get(merchant=mine, number="SO00002")
    invoice = PostedSalesInvoice.objects.get(merchant=mine)

    as_merchant = login(merchant_user(mine))
    document_page = as_merchant.get(ledger.document_url(DocumentType.ORDER, "SO00002"))
    invoice_page = as_merchant.get(ledger.document_url("posted_invoice", "PSI00001"))
    as_staff = login(superuser).get(ledger.document_url(DocumentType.ORDER, "SO00002"))

    assert document_page.url == reverse("admin:ledger_salesdocument_change", args=[own.pk])
    assert invoice_page.url == reverse("admin:ledger_postedsalesinvoice_change", args=[invoice.pk])
    assert as_staff.url == reverse("admin:ledger_salesdocument_changelist") + "?number=SO00002&type=order"
    assert len(client.get(as_staff.url).context["cl"].result_list) == 2


def test_a_customer_or_item_a_document_uses_is_not_deleted_and_the_page_says_why(superuser, login):
    merchant = shop_with_documents(posted=True)
    client = login(superuser)
    customer = Customer.objects.get(merchant=merchant, number="C00001")
    item = Item.objects.get(merchant=merchant, number="I00001")

    for_customer = client.post(reverse("admin:ledger_customer_delete", args=[customer.pk]), {"post": "yes"},
                               follow=True)
    for_item = client.post(reverse("admin:ledger_item_delete", args=[item.pk]), {"post": "yes"}, follow=True)

    assert for_customer.status_code == for_item.status_code == 200
    assert messages_of(for_customer) == [
        "Customer C00001 cannot be deleted: customer C00001 is on open sales documents, customer C00001 is on posted "
        "sales shipments, customer C00001 is on posted sales invoices and customer C00001 has customer ledger "
        "entries. Posted documents keep it; block it instead."]
    assert messages_of(for_item) == [
        "Item I00001 cannot be deleted: item I00001 is on lines of open sales documents, item I00001 is on lines of "
        "posted sales shipments and item I00001 is on lines of posted sales invoices. Posted documents keep it; "
        "block it instead."]
    assert Customer.objects.filter(pk=customer.pk).exists() and Item.objects.filter(pk=item.pk).exists()


def test_a_customer_or_item_only_open_documents_use_is_to_be_changed_first_and_posted_ones_blocked(superuser, login):
    merchant = shop_with_documents()
    client = login(superuser)
    customer = Customer.objects.get(merchant=merchant, number="C00001")
    url = reverse("admin:ledger_customer_changelist")

    open_only = client.post(reverse("admin:ledger_customer_delete", args=[customer.pk]), {"post": "yes"},
                            follow=True)
    target_for(merchant).post_sales_documents(merchant, DocumentType.ORDER, ["SO00001"])
    from_list = client.post(url, {"action": "delete_selected", "_selected_action": [customer.pk], "post": "yes"},
                            follow=True)

    assert messages_of(open_only) == ["Customer C00001 cannot be deleted: customer C00001 is on open sales "
                                      "documents. Change those first."]
    assert messages_of(from_list) == [
        "Nothing was deleted, as customers of the selection are in use: customer C00001 is on open sales documents, "
        "customer C00001 is on posted sales shipments, customer C00001 is on posted sales invoices and customer "
        "C00001 has customer ledger entries. Posted documents keep those they name; block them instead."]
    assert Customer.objects.filter(pk=customer.pk).exists()
