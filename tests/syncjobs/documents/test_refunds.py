"""Refunds become credit memos (or return orders) once their order's document is made (issue 26,
Business Central's "auto-create credit memo"): imported as report 30104 imports them, credited by
report 30103, each refund once."""
from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from connectors.ledger.target import target_for
from connectors.shopify.models import ShopifyOrderLine, ShopifyRefundLine, ShopifyTransaction
from syncjobs.documents.models import OrderDocument
from tests.factories.order_payloads import imported, line, local, order, refund, shipping, transaction

D = Decimal
AT = local("Europe/Paris", 2025, 3, 11, 10)
LATER = local("Europe/Paris", 2025, 3, 14, 9)


@pytest.fixture
def sold(merchant, run_report):
    """One shirt (60.00 with VAT 10.00) and shipping 6.00 (VAT 1.00), made a sales order."""
    merchant.refund_process = "auto_credit_memo"
    merchant.save()
    payload = order(AT, total="66.00", name="#5001", lines=[line("60.00", 1, [("VAT", "0.2", "10.00")])],
                    shipping_lines=[shipping("6.00", [("VAT", "0.2", "1.00")])])
    imported(merchant, payload)
    ShopifyOrderLine.objects.filter(merchant=merchant).update(sku="SHIRT")
    assert run_report(30103).created == 1
    return payload


def refunded(merchant, payload, *, status="SUCCESS", amount="66.00", shipping_too=True):
    again = copy.deepcopy(payload)
    goods, ship = again["lineItems"]["nodes"][0], again["shippingLines"]["nodes"][0]
    again["updatedAt"] = LATER
    again["refunds"] = [refund(LATER, lines=[(goods, 1, "60.00", "10.00")],
                               shipping_lines=[(ship, "6.00", "1.00")] if shipping_too else [],
                               transactions=[transaction("REFUND", amount, LATER, status=status)])]
    again["transactions"] = list(again["refunds"][0]["transactions"]["nodes"])
    imported(merchant, again)
    ShopifyOrderLine.objects.filter(merchant=merchant).update(sku="SHIRT")
    return again


def credit_memos(merchant, kind="credit_memo"):
    numbers = list(OrderDocument.objects.filter(merchant=merchant, kind=kind).values_list("document_no", flat=True))
    return list(target_for(merchant).get_sales_documents(merchant, kind, numbers).values())


def test_a_refund_of_restocked_goods_and_shipping_becomes_one_credit_memo(merchant, sold, run_report):
    refunded(merchant, sold)

    run = run_report(30103)

    assert run.created == 1
    (memo,) = credit_memos(merchant)
    goods, ship = memo.lines
    assert (goods.type, goods.number, goods.quantity, goods.unit_price, goods.tax) == ("item", "SHIRT", 1, D("60.00"),
                                                                                       D("10.00"))
    assert (ship.type, ship.number, ship.unit_price, ship.tax) == ("account", "4400", D("6.00"), D("1.00"))
    assert memo.totals().amount_including_tax == D("66.00")
    assert (memo.customer, memo.shopify_order_no, str(memo.document_date)) == ("WEB", "#5001", "2025-03-14")


def test_goods_not_restocked_go_to_the_non_restock_account_and_what_the_refund_paid_beyond_to_refunds(
        merchant, sold, run_report):
    refunded(merchant, sold, amount="70.00")
    ShopifyRefundLine.objects.update(restock_type="NO_RESTOCK")

    run_report(30103)

    (memo,) = credit_memos(merchant)
    goods, ship, rest = memo.lines
    assert (goods.type, goods.number, goods.money_kind) == ("account", "4450", "non_restock")
    assert (rest.description, rest.number, rest.unit_price, rest.tax) == ("Refund adjustment", "4400", D("4.00"), 0)
    assert memo.totals().amount_including_tax == D("70.00")


def test_a_refund_whose_payment_back_is_pending_waits_until_it_settles(merchant, sold, run_report):
    refunded(merchant, sold, status="PENDING")

    waiting = run_report(30103)
    assert credit_memos(merchant) == [] and "1 waiting for a pending payment back" in waiting.log
    ShopifyTransaction.objects.filter(kind="REFUND").update(status="SUCCESS")

    run_report(30103)

    assert len(credit_memos(merchant)) == 1


def test_each_refund_becomes_one_document_however_often_it_runs(merchant, sold, run_report):
    refunded(merchant, sold)

    run_report(30103)
    again = run_report(30103)

    assert again.created == 0 and len(credit_memos(merchant)) == 1


def test_with_return_orders_set_a_refund_becomes_a_return_order_and_import_only_makes_none(
        merchant, sold, run_report):
    merchant.refund_process = "import_only"
    merchant.save()
    refunded(merchant, sold)
    run_report(30103)
    assert credit_memos(merchant) == []

    merchant.refund_process = "auto_return_order"
    merchant.save()
    run_report(30103)

    assert len(credit_memos(merchant, "return_order")) == 1


def test_298_posts_the_credit_memo_with_its_gl_entries_worked_out_by_hand(merchant, sold, run_report):
    from tests.syncjobs.documents.test_batch_posting import gl_entries
    refunded(merchant, sold)
    run_report(30103)

    run = run_report(298)

    assert (run.read, run.created, run.failed) == (1, 1, 0)
    # What the customer is owed back (66.00), the goods and shipping without VAT (50.00 + 5.00) to
    # refunds, the VAT given back (10.00 + 1.00).
    assert gl_entries(merchant, kind="sales_credit_memo") == [("1100", 0, D("66.00")), ("2200", D("11.00"), 0),
                                                              ("4400", D("55.00"), 0)]


def test_an_even_exchange_is_one_credit_memo_with_the_goods_out_as_a_negative_line_and_no_conflict(
        merchant, sold, run_report):
    from tests.syncjobs.documents.test_batch_posting import gl_entries
    again = copy.deepcopy(sold)
    goods = again["lineItems"]["nodes"][0]
    again["updatedAt"] = LATER
    # The shirt came back and another went out in its place: the refund has the return and no money;
    # the order has the new line.
    again["refunds"] = [refund(LATER, lines=[(goods, 1, "60.00", "10.00")])]
    again["lineItems"]["nodes"].append(line("60.00", 1, [("VAT", "0.2", "10.00")]))
    imported(merchant, again)
    ShopifyOrderLine.objects.filter(merchant=merchant).update(sku="SHIRT")
    assert OrderDocument.objects.get(kind="order").conflict == ""

    run_report(30103)

    (memo,) = credit_memos(merchant)
    assert [(line.number, line.quantity, line.unit_price, line.tax) for line in memo.lines] == [
        ("SHIRT", 1, D("60.00"), D("10.00")), ("SHIRT", -1, D("60.00"), D("-10.00"))]
    assert memo.totals().amount_including_tax == 0
    run_report(298)
    # No money moved, so no receivable: the goods back to refunds, the goods out to sales.
    assert gl_entries(merchant, kind="sales_credit_memo") == [("4000", 0, D("50.00")), ("4400", D("50.00"), 0)]
    assert run_report(30103).created == 0 and OrderDocument.objects.get(kind="order").conflict == ""


def test_an_item_only_refund_credits_the_goods(merchant, sold, run_report):
    refunded(merchant, sold, amount="60.00", shipping_too=False)

    run_report(30103)

    (memo,) = credit_memos(merchant)
    assert [(line.type, line.number, line.unit_price) for line in memo.lines] == [("item", "SHIRT", D("60.00"))]
    assert memo.totals().amount_including_tax == D("60.00")


def test_a_shipping_only_refund_credits_the_refund_account(merchant, sold, run_report):
    again = copy.deepcopy(sold)
    ship = again["shippingLines"]["nodes"][0]
    again["updatedAt"] = LATER
    again["refunds"] = [refund(LATER, shipping_lines=[(ship, "6.00", "1.00")],
                               transactions=[transaction("REFUND", "6.00", LATER)])]
    imported(merchant, again)
    ShopifyOrderLine.objects.filter(merchant=merchant).update(sku="SHIRT")

    run_report(30103)

    (memo,) = credit_memos(merchant)
    assert [(line.description, line.number, line.unit_price, line.tax) for line in memo.lines] == [
        ("Shipping refunded", "4400", D("6.00"), D("1.00"))]
