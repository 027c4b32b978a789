"""Reports 296 and 297 over HTTP against the simulator: the documents 30103 made from orders made to
measure, posted, with their G/L entries worked out by hand."""
from __future__ import annotations

from decimal import Decimal

import pytest

from connectors.ledger.models import (
    AccountMapping,
    CustomerLedgerEntry,
    ItemLedgerEntry,
    PostedSalesInvoice,
    PostedSalesShipment,
    SalesDocument,
)
from core.tiles import TILES
from merchants.models import Merchant
from syncjobs.queue.models import RunStatus
from tests.factories.ledger import AccountFactory
from tests.syncjobs.documents.helpers import documents_of, gl_entries, the_document, vat_line, vat_order

D = Decimal
# The order of vat_order posted: what the customer owes, the discount without VAT (12.00 / 1.2),
# sales without VAT (120.00 / 1.2), shipping without VAT, the tip, and the VAT of goods and shipping.
GL_OF_VAT_ORDER = [("1100", D("119.00"), 0), ("2200", 0, D("19.00")), ("4000", 0, D("100.00")),
                   ("4100", 0, D("5.00")), ("4200", D("10.00"), 0), ("4300", 0, D("5.00"))]


def posted_kinds(merchant, gid: str) -> dict[str, str]:
    return {ref.kind: ref.number for ref in documents_of(merchant, gid)}


def test_a_fulfilled_orders_invoice_posts_by_297_with_its_gl_entries(merchant, make_order, run_report):
    gid = make_order(**vat_order(fulfilled=True))
    run_report(30104)
    run_report(30103)

    run = run_report(297)

    assert (run.status, run.read, run.created, run.failed) == (RunStatus.SUCCESS, 1, 1, 0)
    assert posted_kinds(merchant, gid) == {"posted_invoice": "PSI00001"}
    assert gl_entries(merchant) == GL_OF_VAT_ORDER
    invoice = PostedSalesInvoice.objects.get(number="PSI00001")
    assert (invoice.shopify_order_no, invoice.amount_including_tax) == ("#2001", D("119.00"))
    entry = CustomerLedgerEntry.objects.get(merchant=merchant)
    assert (entry.customer.number, entry.amount, entry.document_no) == ("WEB", D("119.00"), "PSI00001")
    assert list(ItemLedgerEntry.objects.values_list("item__number", "location__code", "quantity")) == [
        ("SHIRT", "MAIN", D("-2"))]


def test_a_sales_order_ships_and_invoices_by_296_and_its_shipment_carries_the_shopify_order_no(
        merchant, make_order, run_report):
    gid = make_order(**vat_order())
    run_report(30104)
    run_report(30103)

    run = run_report(296)

    assert (run.status, run.created) == (RunStatus.SUCCESS, 1)
    assert posted_kinds(merchant, gid) == {"posted_shipment": "PSS00001", "posted_invoice": "PSI00001"}
    assert PostedSalesShipment.objects.get(number="PSS00001").shopify_order_no == "#2001"
    assert gl_entries(merchant) == GL_OF_VAT_ORDER


def test_296_ships_first_and_invoices_later_when_asked(merchant, make_order, run_report):
    gid = make_order(**vat_order())
    run_report(30104)
    run_report(30103)

    shipped = run_report(296, post="ship")
    assert (shipped.created, shipped.updated) == (0, 1)
    assert set(posted_kinds(merchant, gid)) == {"order", "posted_shipment"}
    assert gl_entries(merchant) == []

    invoiced = run_report(296, post="invoice")
    assert invoiced.created == 1
    assert set(posted_kinds(merchant, gid)) == {"posted_shipment", "posted_invoice"}
    assert gl_entries(merchant) == GL_OF_VAT_ORDER


def test_invoicing_an_order_not_shipped_is_refused_and_posts_nothing(merchant, make_order, run_report):
    make_order(**vat_order())
    run_report(30104)
    run_report(30103)

    run = run_report(296, post="invoice")

    assert (run.created, run.failed) == (0, 1)
    assert "not shipped yet" in run.errors.get().reason
    assert gl_entries(merchant) == []


def test_a_us_order_with_two_sales_taxes_posts_each_to_its_rate(merchant, make_order, run_report):
    state = AccountFactory(merchant=merchant, code="2210", name="NY State Tax", type="liability")
    AccountMapping.objects.create(merchant=merchant, kind="tax", key="NY State Tax 4%", account=state)
    # 3 shirts at 20.00, 5.00 off the line; tax on 55.00: state 4 % = 2.20, county 4.5 % = 2.48;
    # shipping 10.00 untaxed. The customer owes 55.00 + 4.68 + 10.00 = 69.68.
    gid = make_order(name="#3001", taxes_included=False, fulfilled=True, discount_applications=[
        {"index": 0, "type": "ManualDiscountApplication", "code_or_title": "Loyal", "allocation_method": "ONE",
         "target_type": "LINE_ITEM", "value_type": "FIXED_AMOUNT", "value": "5.00"}],
        lines=[{"title": "Shirt", "sku": "SHIRT", "quantity": 3, "price": "20.00",
                "taxes": [["NY State Tax", "0.04", "2.20"], ["NY County Tax", "0.045", "2.48"]],
                "discounts": [[0, "5.00"]]}],
        shipping_lines=[{"title": "Ground", "price": "10.00", "taxes": []}])
    run_report(30104)
    run_report(30103)
    shirt = next(line for line in the_document(merchant, gid).lines if line.type == "item")
    assert (shirt.line_discount, shirt.invoice_discount) == (D("5.00"), 0)

    run_report(297)

    assert gl_entries(merchant) == [("1100", D("69.68"), 0), ("2200", 0, D("2.48")), ("2210", 0, D("2.20")),
                                    ("4000", 0, D("60.00")), ("4100", 0, D("10.00")), ("4200", D("5.00"), 0)]


@pytest.mark.parametrize("report", [30103, 296, 297])
def test_a_daily_summary_shop_has_nothing_to_do_and_says_why(merchant, run_report, report):
    merchant.posting_mode = "daily_summary"
    merchant.save()

    run = run_report(report)

    assert (run.status, run.read, run.failed) == (RunStatus.SUCCESS, 0, 0)
    assert "posts a daily summary journal" in run.log and run.message.startswith("nothing to do: ")
    assert not TILES["sync_errors"].rows(Merchant.objects.all()).exists()


def test_unprocessed_orders_counts_the_documents_shops_orders_until_they_are_processed(
        merchant, make_order, run_report):
    make_order(**vat_order(name="#2001"))
    make_order(**vat_order(name="#2002", lines=[vat_line("60.00", 2, "18.00", sku="NOPE", discounts=[(0, "12.00")])]))
    run_report(30104)
    tile = TILES["unprocessed_orders"]
    assert set(tile.rows(Merchant.objects.all()).values_list("name", flat=True)) == {"#2001", "#2002"}

    run_report(30103)

    assert list(tile.rows(Merchant.objects.all()).values_list("name", flat=True)) == ["#2002"]


def test_open_documents_are_left_out_of_batch_posting_and_the_run_says_so(merchant, make_order, run_report):
    make_order(**vat_order())
    run_report(30104)
    run_report(30103)
    SalesDocument.objects.update(status="open")

    run = run_report(296)

    assert (run.read, run.created) == (0, 0)
    assert "1 open sales orders left out: release them first" in run.log
