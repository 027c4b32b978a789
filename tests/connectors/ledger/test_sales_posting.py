"""Posting sales documents in the built-in ledger (296, 297 in the books): an order ships and
invoices, an invoice does both at once; the G/L journal balances to the cent; a document that
cannot post writes nothing and names itself; nothing posts twice."""
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from connectors.ledger.models import (
    AccountMapping,
    Customer,
    CustomerLedgerEntry,
    Item,
    ItemLedgerEntry,
    JournalEntry,
    JournalLine,
    NumberSeries,
    PostedSalesInvoice,
    PostedSalesInvoiceLine,
    PostedSalesShipment,
    PostedSalesShipmentLine,
    SalesDocument,
    SalesLine,
)
from connectors.ledger.records import DocumentType, LineType, PostingResult, SalesLineData
from connectors.ledger.target import target_for
from tests.connectors.ledger.sales_books import US_CHART, documents_shop, gid, us_order, vat_order
from tests.factories.ledger import CustomerFactory
from tests.fixtures.concurrency import race

pytestmark = pytest.mark.django_db

TABLES = (SalesDocument, SalesLine, PostedSalesShipment, PostedSalesShipmentLine, PostedSalesInvoice,
          PostedSalesInvoiceLine, JournalEntry, JournalLine, CustomerLedgerEntry, ItemLedgerEntry)


def make(merchant, *drafts):
    outcomes = target_for(merchant).create_sales_documents(merchant, list(drafts))
    assert [o.error for o in outcomes] == [""] * len(drafts)
    return [o.document.number for o in outcomes]


def post(merchant, type, *numbers, **options):
    return target_for(merchant).post_sales_documents(merchant, type, list(numbers), **options)


def journal(merchant) -> list[tuple[str, str, str]]:
    return [(line.account.code, f"{line.debit}", f"{line.credit}") for line in
            JournalLine.objects.filter(journal__merchant=merchant).select_related("account").order_by("pk")]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


def test_an_order_ships_then_invoices_and_its_journal_balances_to_the_cent():
    # given the worked example, released
    merchant = documents_shop()
    make(merchant, vat_order())
    # when it ships, then invoices
    shipped = post(merchant, DocumentType.ORDER, "SO00001", invoice=False)
    shipment_only = counts()
    invoiced = post(merchant, DocumentType.ORDER, "SO00001", ship=False)
    # then
    assert shipped == [PostingResult("order", "SO00001", shipment_no="PSS00001")]
    assert shipment_only["JournalEntry"] == 0 and shipment_only["SalesDocument"] == 1
    assert list(ItemLedgerEntry.objects.values_list("item__number", "quantity", "location__code", "document_no",
                                                    "entry_type")) == [("I00001", D("-2"), "MAIN", "PSS00001", "sale")]
    [result] = invoiced
    assert (result.invoice_no, result.shipment_no, result.error) == ("PSI00001", "", "")
    assert journal(merchant) == [("1100", "119.00", "0.00"), ("4000", "0.00", "100.00"), ("4030", "10.00", "0.00"),
                                 ("2400", "0.00", "19.00"), ("4010", "0.00", "5.00"), ("4040", "0.00", "5.00")]
    entry = JournalEntry.objects.get()
    assert (str(entry.pk), entry.kind, entry.description, entry.source_reference, entry.posting_date) == (
        result.journal_no, "sales_invoice", "Sales invoice PSI00001 (order #1001)", "invoice:PSI00001",
        date(2025, 3, 11))
    assert not SalesDocument.objects.exists() and not SalesLine.objects.exists()


def test_the_posted_documents_carry_the_shopify_order_and_the_customer_owes_the_invoice():
    merchant = documents_shop()
    make(merchant, vat_order())

    post(merchant, DocumentType.ORDER, "SO00001")

    shipment, invoice = PostedSalesShipment.objects.get(), PostedSalesInvoice.objects.get()
    assert (shipment.number, shipment.order_no, shipment.shopify_order_no, shipment.shopify_order_id,
            shipment.location.code) == ("PSS00001", "SO00001", "#1001", gid(1001), "MAIN")
    assert list(shipment.lines.values_list("line_no", "number", "quantity")) == [
        (10000, "I00001", D("2")), (20000, "4010", D("1")), (30000, "4040", D("1"))]
    assert (invoice.number, invoice.order_no, invoice.shopify_order_no, invoice.amount, invoice.amount_including_tax,
            invoice.journal.kind) == ("PSI00001", "SO00001", "#1001", D("100.00"), D("119.00"), "sales_invoice")
    assert list(invoice.lines.values_list("amount_including_tax", flat=True)) == [D("108.00"), D("6.00"), D("5.00")]
    assert invoice.lines.first().taxes == [{"key": "VAT 20%", "rate": "0.2", "amount": "18.00"}]
    assert list(CustomerLedgerEntry.objects.values_list("customer__number", "document_type", "document_no", "amount",
                                                        "remaining_amount", "open", "shopify_order_no")) == [
        ("C00001", "invoice", "PSI00001", D("119.00"), D("119.00"), True, "#1001")]


def test_an_order_invoiced_before_it_ships_or_not_released_is_refused_and_nothing_is_written():
    merchant = documents_shop()
    make(merchant, vat_order(), vat_order(shopify_order_id=gid(2), released=False))
    before = counts()

    results = post(merchant, DocumentType.ORDER, "SO00001", "SO00002", ship=False)
    nothing = post(merchant, DocumentType.ORDER, "SO00001", ship=False, invoice=False)

    assert [r.error for r in results] == ["sales order SO00001 is not shipped yet: post it with Ship",
                                          "sales order SO00002 is not released"]
    assert [r.error for r in nothing] == ["sales order SO00001: nothing to post: choose Ship, Invoice or both"]
    assert counts() == before


def test_an_invoice_posts_its_items_and_journal_at_once_without_a_shipment_and_services_move_no_stock():
    # given a US shop (prices exclude tax), state and county tax on each line, the county's to the general tax
    merchant = documents_shop(US_CHART, shop_currency="USD")
    make(merchant, us_order(type=DocumentType.INVOICE))
    # when
    [result] = post(merchant, DocumentType.INVOICE, "SI00001", posting_date=date(2025, 3, 14))
    # then
    assert (result.invoice_no, result.shipment_no, result.error) == ("PSI00001", "", "")
    assert journal(merchant) == [("1200", "76.65", "0.00"), ("4000", "0.00", "70.00"), ("4300", "6.00", "0.00"),
                                 ("2200", "0.00", "4.01"), ("2299", "0.00", "0.64"), ("4100", "0.00", "8.00")]
    assert list(JournalLine.objects.filter(money_kind="tax").values_list("key", flat=True)) == [
        "CA State Tax 6.25%", "Los Angeles County Tax 1%"]
    assert list(ItemLedgerEntry.objects.values_list("item__number", "quantity", "document_no", "posting_date")) == [
        ("I00001", D("-3"), "PSI00001", date(2025, 3, 14))]
    assert not PostedSalesShipment.objects.exists() and not SalesDocument.objects.exists()
    assert PostedSalesInvoice.objects.values_list("order_no", "amount", "amount_including_tax").get() == (
        "SI00001", D("72.00"), D("76.65"))


def test_a_negative_line_posts_on_the_other_side():
    merchant = documents_shop()
    goodwill = SalesLineData(LineType.ACCOUNT, "4010", "Shipping refunded as goodwill", D("1"), D("-2.00"))
    make(merchant, vat_order(lines=(*vat_order().lines, goodwill)))

    post(merchant, DocumentType.ORDER, "SO00001")

    assert journal(merchant) == [("1100", "117.00", "0.00"), ("4000", "0.00", "100.00"), ("4030", "10.00", "0.00"),
                                 ("2400", "0.00", "19.00"), ("4010", "0.00", "5.00"), ("4040", "0.00", "5.00"),
                                 ("4010", "2.00", "0.00")]


def test_posting_a_document_twice_posts_it_once():
    merchant = documents_shop()
    make(merchant, vat_order())

    first = post(merchant, DocumentType.ORDER, "SO00001", "SO00001")
    after_first = counts()
    again = post(merchant, DocumentType.ORDER, "SO00001")
    ship_again = post(merchant, DocumentType.ORDER, "SO00001", invoice=False)

    assert [r.invoice_no for r in first] == ["PSI00001"]
    assert again == ship_again == []
    assert counts() == after_first
    assert (after_first["PostedSalesInvoice"], after_first["JournalEntry"], after_first["ItemLedgerEntry"]) == (1, 1, 1)


def test_a_shipped_order_ships_no_second_time():
    merchant = documents_shop()
    make(merchant, vat_order())
    post(merchant, DocumentType.ORDER, "SO00001", invoice=False)

    assert post(merchant, DocumentType.ORDER, "SO00001", invoice=False) == []
    [result] = post(merchant, DocumentType.ORDER, "SO00001")

    assert (result.shipment_no, result.invoice_no) == ("", "PSI00001")
    assert PostedSalesShipment.objects.count() == ItemLedgerEntry.objects.count() == 1


def test_a_mapping_removed_since_the_document_was_made_stops_its_posting_and_writes_nothing():
    # given two shipped documents, one with VAT, and the VAT mapping deleted since
    merchant = documents_shop()
    make(merchant, vat_order(), vat_order(shopify_order_id=gid(2), lines=vat_order().lines[2:]))
    post(merchant, DocumentType.ORDER, "SO00001", "SO00002", invoice=False)
    AccountMapping.objects.filter(merchant=merchant, kind="tax").delete()
    before = counts()
    series = dict(NumberSeries.objects.values_list("code", "last_number"))
    # when
    [refused] = post(merchant, DocumentType.ORDER, "SO00001")
    unchanged = counts(), dict(NumberSeries.objects.values_list("code", "last_number"))
    [untaxed] = post(merchant, DocumentType.ORDER, "SO00002")
    # then
    assert refused.error == ("sales order SO00001: no account is mapped for tax (VAT 20%); map it under Account "
                             "mappings, or press Set up accounts on the shop card")
    assert unchanged == (before, series)
    assert (untaxed.invoice_no, untaxed.error) == ("PSI00001", "")


def test_an_account_made_inactive_since_stops_the_posting_naming_the_document():
    merchant = documents_shop()
    make(merchant, vat_order(lines=(SalesLineData(LineType.ACCOUNT, "4010", "Carriage", D("1"), D("5.00")),)))
    account = AccountMapping.objects.get(merchant=merchant, kind="shipping_income").account
    AccountMapping.objects.filter(account=account).delete()
    account.is_active = False
    account.save()
    before = counts()

    [result] = post(merchant, DocumentType.ORDER, "SO00001")

    assert result.error == "sales order SO00001: account 4010 Shipping income is inactive and cannot take postings"
    assert counts() == before


def test_a_customer_or_item_blocked_since_the_document_was_made_stops_its_posting_and_writes_nothing():
    # given three orders: one billed to C00002, one selling gift wrapping too, one neither
    merchant = documents_shop()
    CustomerFactory(merchant=merchant, number="C00002", name="Martin SARL")
    wrapping = SalesLineData(LineType.ITEM, "S00001", "Gift wrapping", D("1"), D("2.00"))
    make(merchant, vat_order(bill_to="C00002"), vat_order(shopify_order_id=gid(2), lines=(*vat_order().lines,
                                                                                           wrapping)),
         vat_order(shopify_order_id=gid(3), lines=vat_order().lines[1:]))
    make(merchant, vat_order(type=DocumentType.INVOICE, shopify_order_id=gid(4)))
    # when the bill-to customer, the gift wrapping and then the sell-to customer are blocked
    Customer.objects.filter(merchant=merchant, number="C00002").update(blocked=True)
    Item.objects.filter(merchant=merchant, number="S00001").update(blocked=True)
    before = counts()
    orders = post(merchant, DocumentType.ORDER, "SO00001", "SO00002", invoice=False)
    refused = counts()
    Customer.objects.filter(merchant=merchant, number="C00001").update(blocked=True)
    invoices = post(merchant, DocumentType.INVOICE, "SI00001")
    [untouched] = post(merchant, DocumentType.ORDER, "SO00003")
    # then
    assert [r.error for r in orders] == ["sales order SO00001: customer C00002 is blocked",
                                         "sales order SO00002: item S00001 is blocked"]
    assert [r.error for r in invoices] == ["sales invoice SI00001: customer C00001 is blocked"]
    assert untouched.error == "sales order SO00003: customer C00001 is blocked"
    assert refused == before == counts()


def test_the_items_are_read_once_for_the_call_whatever_the_number_of_documents():
    merchant = documents_shop()
    make(merchant, *[vat_order(shopify_order_id=gid(n)) for n in range(1, 4)])
    post(merchant, DocumentType.ORDER, "SO00001")   # the posting series exist from here

    with CaptureQueriesContext(connection) as queries:
        results = post(merchant, DocumentType.ORDER, "SO00002", "SO00003")

    assert [r.invoice_no for r in results] == ["PSI00002", "PSI00003"]
    assert sum('FROM "ledger_item" ' in q["sql"] for q in queries.captured_queries) == 1


def test_posting_a_long_order_takes_as_many_queries_as_a_short_one():
    short, long = documents_shop(), documents_shop()
    many = tuple(SalesLineData(LineType.ITEM, "I00001", f"Teapot {n}", D("1"), D("10.00")) for n in range(40))
    make(short, vat_order(lines=vat_order().lines[:1]), vat_order(shopify_order_id=gid(2)))
    make(long, vat_order(lines=vat_order().lines[:1]), vat_order(shopify_order_id=gid(2), lines=many))
    post(short, DocumentType.ORDER, "SO00001")   # the posting series exist from here
    post(long, DocumentType.ORDER, "SO00001")

    with CaptureQueriesContext(connection) as for_short:
        post(short, DocumentType.ORDER, "SO00002")
    with CaptureQueriesContext(connection) as for_long:
        post(long, DocumentType.ORDER, "SO00002")

    assert ItemLedgerEntry.objects.filter(merchant=long).count() == 41
    assert len(for_long) == len(for_short) <= 34


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_runs_posting_the_same_orders_at_once_post_each_once():
    merchant = documents_shop()
    numbers = make(merchant, *[vat_order(shopify_order_id=gid(n)) for n in range(1, 6)])

    results = race(lambda _: post(merchant, DocumentType.ORDER, *numbers), range(4))

    assert not [r for r in results if isinstance(r, Exception)]
    assert sorted(r.number for run in results for r in run) == numbers
    assert PostedSalesInvoice.objects.count() == JournalEntry.objects.count() == 5
    assert ItemLedgerEntry.objects.count() == 5 and not SalesDocument.objects.exists()
