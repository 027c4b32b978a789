"""Refunds become credit memos (or return orders) once their order's document is made (issue 26,
Business Central's "auto-create credit memo"), over HTTP against the simulator: each refund made to
measure there, imported by report 30104, credited by report 30103, each refund once."""
from __future__ import annotations

from decimal import Decimal

import pytest

from connectors.ledger.target import target_for
from connectors.shopify.models import ShopifyOrderLine
from syncjobs.documents.models import OrderDocument
from tests.syncjobs.documents.helpers import gl_entries

D = Decimal
SHIRT_BACK = {"title": "Shirt", "sku": "SHIRT", "quantity": 1, "price": "60.00", "taxes": [["VAT", "0.2", "10.00"]]}


@pytest.fixture
def sold(merchant, make_order, run_report):
    """One shirt (60.00 with VAT 10.00) and shipping 6.00 (VAT 1.00), paid and shipped, invoiced."""
    merchant.refund_process = "auto_credit_memo"
    merchant.save()
    gid = make_order(name="#5001", taxes_included=True, paid=True, fulfilled=True,
                     lines=[{"title": "Shirt", "sku": "SHIRT", "quantity": 1, "price": "60.00",
                             "taxes": [["VAT", "0.2", "10.00"]]}],
                     shipping_lines=[{"title": "Standard", "price": "6.00", "taxes": [["VAT", "0.2", "1.00"]]}])
    run_report(30104)
    assert run_report(30103).created == 1
    return gid


@pytest.fixture
def refund(shopify, shop, run_report):
    """Refund `spec` of the order in the simulator and import it; the refund's GID."""
    def make(gid: str, **spec) -> str:
        answer = shopify.control("POST", "orders/custom/refund", shop=shop.domain, id=gid, refund=spec)
        run_report(30104)
        return answer["refund_id"]
    return make


def the_shirt(gid: str) -> str:
    return ShopifyOrderLine.objects.get(order__shopify_gid=gid, sku="SHIRT").shopify_gid


def credit_memos(merchant, kind="credit_memo"):
    numbers = list(OrderDocument.objects.filter(merchant=merchant, kind=kind).values_list("document_no", flat=True))
    return list(target_for(merchant).get_sales_documents(merchant, kind, numbers).values())


def test_a_refund_of_restocked_goods_and_shipping_becomes_one_credit_memo(merchant, sold, refund, run_report):
    refund(sold, lines=[{"id": the_shirt(sold), "quantity": 1, "restock_type": "RETURN"}], shipping={})

    run = run_report(30103)

    assert run.created == 1
    (memo,) = credit_memos(merchant)
    goods, ship = memo.lines
    assert (goods.type, goods.number, goods.quantity, goods.unit_price, goods.tax) == ("item", "SHIRT", 1, D("60.00"),
                                                                                       D("10.00"))
    assert (ship.description, ship.number, ship.unit_price, ship.tax) == ("Shipping refunded", "4400", D("6.00"),
                                                                          D("1.00"))
    assert memo.totals().amount_including_tax == D("66.00")
    assert (memo.customer, memo.shopify_order_no) == ("WEB", "#5001")


def test_an_item_only_refund_credits_the_goods(merchant, sold, refund, run_report):
    refund(sold, lines=[{"id": the_shirt(sold), "quantity": 1, "restock_type": "RETURN"}])

    run_report(30103)

    (memo,) = credit_memos(merchant)
    assert [(line.type, line.number, line.unit_price) for line in memo.lines] == [("item", "SHIRT", D("60.00"))]
    assert memo.totals().amount_including_tax == D("60.00")


def test_a_shipping_only_refund_credits_the_refund_account(merchant, sold, refund, run_report):
    refund(sold, shipping={"subtotal": "6.00", "tax": "1.00"})

    run_report(30103)

    (memo,) = credit_memos(merchant)
    assert [(line.description, line.number, line.unit_price, line.tax) for line in memo.lines] == [
        ("Shipping refunded", "4400", D("6.00"), D("1.00"))]


def test_goods_not_restocked_go_to_non_restock_and_what_was_paid_back_beyond_to_refunds(
        merchant, sold, refund, run_report):
    # 54.00 of the shirt given back (VAT 9.00), but 60.00 paid back: 6.00 beyond the lines.
    refund(sold, lines=[{"id": the_shirt(sold), "quantity": 1, "restock_type": "NO_RESTOCK", "subtotal": "54.00",
                         "tax": "9.00"}], amount="60.00")

    run_report(30103)

    (memo,) = credit_memos(merchant)
    goods, rest = memo.lines
    assert (goods.type, goods.number, goods.money_kind, goods.tax) == ("account", "4450", "non_restock", D("9.00"))
    assert (rest.description, rest.number, rest.unit_price, rest.tax) == ("Refund adjustment", "4400", D("6.00"), 0)
    assert memo.totals().amount_including_tax == D("60.00")


def test_a_refund_whose_payment_back_is_pending_waits_until_it_settles(
        merchant, sold, refund, run_report, shopify, shop):
    refund_id = refund(sold, lines=[{"id": the_shirt(sold), "quantity": 1, "restock_type": "RETURN"}], pending=True)

    waiting = run_report(30103)
    assert credit_memos(merchant) == [] and "1 waiting for a pending payment back" in waiting.log
    shopify.control("POST", "orders/custom/refund/settle", shop=shop.domain, id=sold, refund_id=refund_id)
    run_report(30104)

    run_report(30103)

    assert len(credit_memos(merchant)) == 1


def test_each_refund_becomes_one_document_however_often_it_runs(merchant, sold, refund, run_report):
    refund(sold, lines=[{"id": the_shirt(sold), "quantity": 1, "restock_type": "RETURN"}])

    run_report(30103)
    again = run_report(30103)

    assert again.created == 0 and len(credit_memos(merchant)) == 1


def test_with_return_orders_set_a_refund_becomes_a_return_order_and_import_only_makes_none(
        merchant, sold, refund, run_report):
    merchant.refund_process = "import_only"
    merchant.save()
    refund(sold, lines=[{"id": the_shirt(sold), "quantity": 1, "restock_type": "RETURN"}])
    run_report(30103)
    assert credit_memos(merchant) == []

    merchant.refund_process = "auto_return_order"
    merchant.save()
    run_report(30103)

    assert len(credit_memos(merchant, "return_order")) == 1


def test_an_even_exchange_is_one_credit_memo_with_the_goods_out_as_a_negative_line_and_no_conflict(
        merchant, sold, refund, run_report):
    # The shirt came back and another went out in its place: no money moved.
    refund(sold, lines=[{"id": the_shirt(sold), "quantity": 1, "restock_type": "RETURN"}], exchange=[SHIRT_BACK])
    assert OrderDocument.objects.get(kind="invoice").conflict == ""

    run_report(30103)

    (memo,) = credit_memos(merchant)
    assert [(line.number, line.quantity, line.unit_price, line.tax) for line in memo.lines] == [
        ("SHIRT", 1, D("60.00"), D("10.00")), ("SHIRT", -1, D("60.00"), D("-10.00"))]
    assert memo.totals().amount_including_tax == 0
    run_report(298)
    # No money moved, so no receivable: the goods back to refunds, the goods out to sales.
    assert gl_entries(merchant, kind="sales_credit_memo") == [("4000", 0, D("50.00")), ("4400", D("50.00"), 0)]
    assert run_report(30103).created == 0 and OrderDocument.objects.get(kind="invoice").conflict == ""


def test_298_posts_the_credit_memo_with_its_gl_entries_worked_out_by_hand(merchant, sold, refund, run_report):
    refund(sold, lines=[{"id": the_shirt(sold), "quantity": 1, "restock_type": "RETURN"}], shipping={})
    run_report(30103)

    run = run_report(298)

    assert (run.read, run.created, run.failed) == (1, 1, 0)
    # What the customer is owed back (66.00), the goods and shipping without VAT (50.00 + 5.00) to
    # refunds, the VAT given back (10.00 + 1.00).
    assert gl_entries(merchant, kind="sales_credit_memo") == [("1100", 0, D("66.00")), ("2200", D("11.00"), 0),
                                                              ("4400", D("55.00"), 0)]
