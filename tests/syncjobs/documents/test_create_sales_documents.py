"""Report 30103 over HTTP against the simulator, after Business Central's acceptance scenarios
(Order Handling/ShpfyOrdersAPITest, ShpfyOrderTest): every order is made to measure in the
simulator, imported by a real 30104 run, and its document worked out by hand."""
from __future__ import annotations

from decimal import Decimal

import pytest

from connectors.ledger.models import AccountMapping, Item
from connectors.ledger.records import LineAmounts
from connectors.shopify.models import ShopifyOrder
from core.record_links import fix_links
from syncjobs.documents.models import OrderDocument
from syncjobs.queue.models import RunStatus
from tests.factories.order_payloads import imported, line, local, order
from tests.syncjobs.documents.helpers import documents_of, the_document, vat_line, vat_order

D = Decimal

def test_a_mapped_order_becomes_a_released_sales_order_worked_out_by_hand(merchant, make_order, run_report):
    gid = make_order(**vat_order())
    assert run_report(30104).status == RunStatus.SUCCESS

    run = run_report(30103)

    assert (run.status, run.read, run.created, run.failed) == (RunStatus.SUCCESS, 1, 1, 0)
    document = the_document(merchant, gid)
    assert (document.type, document.number, document.customer, document.released) == ("order", "SO00001", "WEB",
                                                                                       True)
    assert (document.shopify_order_no, document.shopify_order_id, document.external_document_no) == (
        "#2001", gid, "#2001")
    assert (document.prices_include_tax, document.currency, str(document.document_date)) == (True, "EUR",
                                                                                             "2025-03-11")
    shirt, shipping, tip = document.lines
    assert (shirt.line_no, shirt.type, shirt.number, shirt.quantity, shirt.unit_price) == (10000, "item", "SHIRT",
                                                                                           2, D("60.00"))
    assert (shirt.line_discount, shirt.invoice_discount, shirt.tax) == (0, D("12.00"), D("18.00"))
    assert shirt.amounts(True) == LineAmounts(sales=D("100.00"), discount=D("10.00"), amount=D("90.00"),
                                              tax=D("18.00"), amount_including_tax=D("108.00"))
    assert (shipping.type, shipping.number, shipping.description, shipping.tax) == ("account", "4100",
                                                                                    "Shipping: Standard", D("1.00"))
    assert (tip.type, tip.number, tip.unit_price, tip.tax) == ("account", "4300", D("5.00"), 0)
    assert document.invoice_discount == D("12.00")
    assert document.totals().amount_including_tax == D("119.00")
    order = ShopifyOrder.objects.get(shopify_gid=gid)
    assert (order.processed, order.has_error, order.error_message) == (True, False, "")
    assert OrderDocument.objects.get(order=order).document_no == "SO00001"


@pytest.mark.parametrize(("invoices", "expected"), [(True, "invoice"), (False, "order")])
def test_a_fulfilled_order_is_an_invoice_when_the_card_says_so(merchant, make_order, run_report, invoices, expected):
    merchant.create_fulfilled_orders_as_invoices = invoices
    merchant.save()
    gid = make_order(**vat_order(fulfilled=True))
    run_report(30104)

    run_report(30103)

    assert the_document(merchant, gid).type == expected


def test_the_shopify_order_no_is_the_document_no_when_set_and_one_that_cannot_be_stops_only_its_order(
        merchant, make_order, run_report):
    merchant.use_shopify_order_no = True
    merchant.save()
    good = make_order(**vat_order(name="#2001"))
    bad = make_order(**vat_order(name="@2002"))
    run_report(30104)

    run = run_report(30103)

    assert (run.read, run.created, run.failed) == (2, 1, 1)
    assert the_document(merchant, good).number == "2001"
    assert documents_of(merchant, bad) == []
    failed = ShopifyOrder.objects.get(shopify_gid=bad)
    assert (failed.processed, failed.has_error) == (False, True)
    assert "@2002 cannot be a document no." in failed.error_message
    assert [(e.object, e.shopify_id) for e in run.errors.all()] == [("order", bad)]
    assert "@2002" in run.errors.get().reason


def test_without_the_shopify_order_no_documents_take_the_number_series(merchant, make_order, run_report):
    first, second = make_order(**vat_order(name="#2001")), make_order(**vat_order(name="#2002"))
    run_report(30104)

    run_report(30103)

    assert [the_document(merchant, gid).number for gid in (first, second)] == ["SO00001", "SO00002"]


def test_a_gift_card_line_before_an_item_line_leaves_the_item_line_an_item(merchant, make_order, run_report):
    # Business Central's scenario: a tip line followed by an item line; the tip flag must not carry
    # over. Here tips are the order's (never a line), so the line that could carry over is a gift card.
    gid = make_order(name="#2003", taxes_included=True, lines=[
        vat_line("25.00", 1, "", sku="", title="Gift card", gift_card=True), vat_line("60.00", 1, "10.00")])
    run_report(30104)

    run_report(30103)

    gift_card, shirt = the_document(merchant, gid).lines
    assert (gift_card.type, gift_card.number, gift_card.unit_price) == ("account", "2100", D("25.00"))
    assert (shirt.type, shirt.number, shirt.unit_price, shirt.tax) == ("item", "SHIRT", D("60.00"), D("10.00"))


def test_an_unmapped_item_leaves_the_order_unprocessed_with_its_reason_and_the_next_order_goes_on(
        merchant, make_order, run_report):
    unknown = make_order(**vat_order(name="#2004", lines=[vat_line("60.00", 2, "18.00", sku="NOPE", title="Cap",
                                                                  discounts=[(0, "12.00")])]))
    known = make_order(**vat_order(name="#2005"))
    run_report(30104)

    run = run_report(30103)

    assert (run.created, run.failed) == (1, 1)
    order = ShopifyOrder.objects.get(shopify_gid=unknown)
    assert (order.processed, order.has_error) == (False, True)
    assert order.error_message.startswith("not everything can be mapped: line 'Cap': no item")
    assert the_document(merchant, known).type == "order"


def test_once_its_item_exists_a_failed_order_is_processed_by_the_next_run(merchant, make_order, run_report):
    gid = make_order(**vat_order(lines=[vat_line("60.00", 2, "18.00", sku="CAP", title="Cap",
                                                 discounts=[(0, "12.00")])]))
    run_report(30104)
    run_report(30103)
    Item.objects.create(merchant=merchant, number="CAP", description="Cap")

    run = run_report(30103)

    assert (run.read, run.created, run.failed) == (1, 1, 0)
    assert the_document(merchant, gid).lines[0].number == "CAP"
    assert ShopifyOrder.objects.get(shopify_gid=gid).has_error is False


def test_a_missing_mapping_fails_the_order_with_what_to_map(merchant, make_order, run_report):
    AccountMapping.objects.filter(merchant=merchant, kind="tips").delete()
    gid = make_order(**vat_order())
    run_report(30104)

    run = run_report(30103)

    assert run.failed == 1
    assert "no account is mapped for tips" in ShopifyOrder.objects.get(shopify_gid=gid).error_message
    assert documents_of(merchant, gid) == []
    assert "account mappings" in [link.text for link in fix_links(run.errors.get().reason, merchant.pk)]


def test_an_unmapped_item_is_not_sent_to_the_account_mappings_to_be_fixed(merchant, make_order, run_report):
    make_order(**vat_order(lines=[vat_line("60.00", 2, "18.00", sku="CAP", title="Cap", discounts=[(0, "12.00")])]))
    run_report(30104)

    run = run_report(30103)

    assert fix_links(run.errors.get().reason, merchant.pk) == []


def test_an_unmappable_bill_to_bills_the_sell_to_customer(merchant, make_order, run_report):
    # Business Central bug 642033: a sell-to set and a bill-to that maps to no customer must not
    # stop the order; the bill-to is the sell-to.
    nobody = make_order(**vat_order(name="#2006", billing_address={
        "name": "Nobody Known", "address1": "9 Nowhere Lane", "city": "Lyon", "zip": "69001", "countryCode": "FR"}))
    acme = make_order(**vat_order(name="#2007", billing_address={
        "name": "ACME LTD", "address1": "1 main street", "city": "Paris", "zip": "75001", "countryCode": "FR"}))
    run_report(30104)

    run_report(30103)

    assert (the_document(merchant, nobody).customer, the_document(merchant, nobody).bill_to) == ("WEB", "WEB")
    assert (the_document(merchant, acme).customer, the_document(merchant, acme).bill_to) == ("WEB", "ACME")


def test_the_ship_to_is_the_orders_shipping_address(merchant, make_order, run_report):
    gid = make_order(**vat_order(shipping_address={
        "name": "Jeanne Martin", "address1": "3 rue des Fleurs", "address2": "Bât. B", "city": "Nantes",
        "zip": "44000", "provinceCode": "", "countryCode": "FR"}))
    run_report(30104)

    run_report(30103)

    ship_to = the_document(merchant, gid).ship_to
    assert (ship_to.name, ship_to.address, ship_to.address_2, ship_to.city, ship_to.post_code, ship_to.country) == (
        "Jeanne Martin", "3 rue des Fleurs", "Bât. B", "Nantes", "44000", "FR")


def test_test_orders_are_processed_without_a_document(merchant, run_report):
    # The simulator's shops make no test orders: this one is imported as 30104 would import it.
    payload = order(local("Europe/Paris", 2025, 3, 11, 10), total="60.00", test=True,
                    lines=[line("60.00", 1, [("VAT", "0.2", "10.00")])])
    imported(merchant, payload)
    gid = payload["id"]

    run = run_report(30103)

    assert (run.read, run.created, run.skipped) == (1, 0, 1)
    assert ShopifyOrder.objects.get(shopify_gid=gid).processed is True
    assert documents_of(merchant, gid) == []


def test_the_request_page_filters_by_financial_and_fulfillment_status(merchant, make_order, run_report):
    paid = make_order(**vat_order(name="#2008", paid=True))
    pending = make_order(**vat_order(name="#2009", paid=False))
    run_report(30104)

    run = run_report(30103, financial_status="PAID")

    assert run.read == 1
    assert documents_of(merchant, pending) == [] and documents_of(merchant, paid)


def test_running_twice_makes_each_document_once(merchant, make_order, run_report):
    gid = make_order(**vat_order())
    run_report(30104)
    run_report(30103)

    again = run_report(30103)

    assert (again.read, again.created) == (0, 0)
    assert len(documents_of(merchant, gid)) == 1
