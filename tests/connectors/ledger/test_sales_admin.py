"""The sales documents' admin pages: read-only, scoped to the user's shops, released and reopened
from the list; posted shipments, invoices (with their journal) and customer ledger entries to look
at; a customer or item a document uses is not deleted."""
import pytest
from django.urls import reverse

from connectors.ledger.models import Customer, Item, PostedSalesInvoice, SalesDocument
from connectors.ledger.records import DocumentType
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
    assert 'name="_save"' not in text
    assert elsewhere.status_code == 404


def test_documents_are_released_and_reopened_from_the_list(login):
    merchant = shop_with_documents()
    client = login(merchant_user(merchant))
    url = reverse("admin:ledger_salesdocument_changelist")
    pks = list(SalesDocument.objects.values_list("pk", flat=True))

    released = client.post(url, {"action": "release", "_selected_action": pks}, follow=True)
    statuses = set(SalesDocument.objects.values_list("status", flat=True))
    reopened = client.post(url, {"action": "reopen", "_selected_action": pks[:1]}, follow=True)

    assert messages_of(released) == ["1 document released."]
    assert statuses == {"released"}
    assert messages_of(reopened) == ["1 document reopened."]
    assert SalesDocument.objects.get(pk=pks[0]).status == "open"


def test_nobody_adds_changes_or_deletes_a_document_here(superuser, login):
    merchant = shop_with_documents()
    client = login(superuser)
    document = SalesDocument.objects.get(merchant=merchant, number="SO00001")

    added = client.get(reverse("admin:ledger_salesdocument_add"))
    changed = client.post(reverse("admin:ledger_salesdocument_change", args=[document.pk]), {"number": "X"})
    deleted = client.post(reverse("admin:ledger_salesdocument_delete", args=[document.pk]), {"post": "yes"})

    assert (added.status_code, changed.status_code, deleted.status_code) == (403, 403, 403)
    assert SalesDocument.objects.filter(pk=document.pk, number="SO00001").exists()


@pytest.mark.parametrize("model", ["postedsalesshipment", "postedsalesinvoice", "customerledgerentry"])
def test_posted_documents_and_customer_entries_are_shown_to_their_shop_and_not_editable(login, model):
    mine, theirs = shop_with_documents(posted=True), shop_with_documents(posted=True)
    client = login(merchant_user(mine))
    rows = SalesDocument._meta.apps.get_model("ledger", model).objects
    own, other = rows.get(merchant=mine), rows.get(merchant=theirs)

    listed = client.get(reverse(f"admin:ledger_{model}_changelist"))
    page = client.get(reverse(f"admin:ledger_{model}_change", args=[own.pk]))

    assert listed.status_code == page.status_code == 200
    assert [row.pk for row in listed.context["cl"].result_list] == [own.pk]
    assert "#1001" in page.content.decode() and 'name="_save"' not in page.content.decode()
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
        "entries. Change those first."]
    assert messages_of(for_item) == [
        "Item I00001 cannot be deleted: item I00001 is on lines of open sales documents, item I00001 is on lines of "
        "posted sales shipments and item I00001 is on lines of posted sales invoices. Change those first."]
    assert Customer.objects.filter(pk=customer.pk).exists() and Item.objects.filter(pk=item.pk).exists()
