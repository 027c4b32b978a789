"""The generated orders' money, exact to the cent in both currencies: lines, discounts, taxes per rate,
shipping, tips, payments and their fees, refunds and exchanges (store.after_sales), SPEC D2's worked
example, and US taxes on top of prices."""
from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from shopify_simulator.store.orders import WORKED_EXAMPLE_NUMBER
from shopify_simulator.store.profiles import SHOP_PROFILES
from tests.shopify_simulator.test_store_orders import (
    LATER,
    cents,
    generator,
    presented,
    shop,
    views,
)


@pytest.mark.parametrize("profile", SHOP_PROFILES, ids=lambda p: p.handle)
def test_money_adds_up_to_the_cent(profile):
    """Lines, taxes per rate, shipping, totals, payments and refunds are consistent in both currencies."""
    included = profile.taxes_included
    for view in views(profile.handle)[:300]:
        line_tax = Decimal(0)
        # An exchange's new line is sold like any other ("before returns"): its return's refund takes the
        # returned units back (store.order_view).
        for line in view["lineItems"]:
            for read in (shop, presented):
                assert read(line["originalUnitPriceSet"]) * line["quantity"] == read(line["originalTotalSet"])
                allocated = sum((read(a["allocatedAmountSet"]) for a in line["discountAllocations"]), Decimal(0))
                assert read(line["discountedTotalSet"]) == read(line["originalTotalSet"]) - allocated
            discounted = shop(line["discountedTotalSet"])
            combined = sum((Decimal(str(t["rate"])) for t in line["taxLines"]), Decimal(0))
            for tax in line["taxLines"]:
                rate = Decimal(str(tax["rate"]))
                expected = cents(discounted * rate / (1 + combined)) if included else cents(discounted * rate)
                assert shop(tax["priceSet"]) == expected
            if line["isGiftCard"]:
                assert not line["taxLines"] and not line["taxable"] and not line["requiresShipping"]
                assert not line["discountAllocations"]
            else:
                rates = {Decimal(str(t["rate"])) for t in line["taxLines"]}
                assert rates and rates <= {t.rate for t in profile.standard_taxes + profile.reduced_taxes}
            line_tax += sum((shop(t["priceSet"]) for t in line["taxLines"]), Decimal(0))
        shipping_after = shipping_tax = Decimal(0)
        for shipping in view["shippingLines"]:
            allocated = sum((shop(a["allocatedAmountSet"]) for a in shipping["discountAllocations"]), Decimal(0))
            shipping_after += shop(shipping["discountedPriceSet"])
            assert shop(shipping["discountedPriceSet"]) == shop(shipping["originalPriceSet"]) - allocated
            shipping_tax += sum((shop(t["priceSet"]) for t in shipping["taxLines"]), Decimal(0))
            assert bool(shipping["taxLines"]) == (profile.shipping_taxed and shipping_after > 0)
        subtotal = sum((shop(line["discountedTotalSet"]) for line in view["lineItems"]), Decimal(0))
        assert shop(view["subtotalPriceSet"]) == subtotal
        assert shop(view["totalTaxSet"]) == line_tax + shipping_tax
        assert shop(view["totalTaxSet"]) == sum((shop(t["priceSet"]) for t in view["taxLines"]), Decimal(0))
        discounts = sum((shop(a["allocatedAmountSet"]) for item in view["lineItems"] + view["shippingLines"]
                         for a in item["discountAllocations"]), Decimal(0))
        assert shop(view["totalDiscountsSet"]) == discounts
        tip = shop(view["totalTipReceivedSet"])
        expected_total = subtotal + shipping_after + tip + (Decimal(0) if included else line_tax + shipping_tax)
        assert shop(view["totalPriceSet"]) == expected_total
        _assert_payments_add_up(view, included)


def _assert_payments_add_up(view: dict, included: bool) -> None:
    transactions = view["transactions"]
    received = sum((shop(t["amountSet"]) for t in transactions
                    if t["status"] == "SUCCESS" and t["kind"] in ("SALE", "CAPTURE")), Decimal(0))
    refunded = sum((shop(t["amountSet"]) for t in transactions
                    if t["status"] == "SUCCESS" and t["kind"] == "REFUND"), Decimal(0))
    assert shop(view["totalReceivedSet"]) == received
    assert shop(view["totalRefundedSet"]) == refunded
    assert shop(view["netPaymentSet"]) == received - refunded
    assert shop(view["totalOutstandingSet"]) == shop(view["currentTotalPriceSet"]) - (received - refunded)
    # What the customer got back in goods, not money: an exchange's new lines, paid by its return's refund.
    exchanged = {item["lineItem"]["id"] for returned in view["returns"] for item in returned["exchangeLineItems"]}
    in_goods = [shop(line["discountedTotalSet"]) + (0 if included else sum(
        (shop(t["priceSet"]) for t in line["taxLines"]), Decimal(0))) for line in view["lineItems"]
        if line["id"] in exchanged]
    if view["displayFinancialStatus"] in ("PAID", "PARTIALLY_REFUNDED", "REFUNDED"):
        assert received == shop(view["totalPriceSet"]) - sum(in_goods, Decimal(0))
        if not exchanged:
            assert presented(view["totalReceivedSet"]) == presented(view["totalPriceSet"])
    assert refunded <= received
    for transaction in transactions:
        assert transaction["test"] == view["test"]
        assert (transaction["gateway"] == "bogus") == view["test"]
        fees = transaction["fees"]
        if transaction["gateway"] == "shopify_payments" and transaction["status"] == "SUCCESS" \
                and transaction["kind"] in ("SALE", "CAPTURE"):
            (fee,) = fees
            amount = shop(transaction["amountSet"])
            rate, flat = Decimal(fee["rate"]), Decimal(fee["flatFee"]["amount"])
            assert Decimal(fee["amount"]["amount"]) == cents(amount * rate + flat) > 0
        elif transaction["kind"] == "REFUND" and fees:
            assert transaction["gateway"] == "shopify_payments"
            assert all(Decimal(fee["amount"]["amount"]) < 0 for fee in fees)
        else:
            assert fees == []
        if transaction["kind"] in ("CAPTURE", "VOID", "REFUND"):
            assert transaction["parentTransaction"]["id"].startswith("gid://shopify/OrderTransaction/")
    refunded_quantity = Counter()
    for refund in view["refunds"]:
        paid_back = sum((shop(t["amountSet"]) for t in refund["transactions"]), Decimal(0))
        assert shop(refund["totalRefundedSet"]) == paid_back
        due = sum((shop(r["subtotalSet"]) + (0 if included else shop(r["totalTaxSet"]))
                   for r in refund["refundLineItems"]), Decimal(0))
        due += sum((shop(r["subtotalAmountSet"]) + (0 if included else shop(r["taxAmountSet"]))
                    for r in refund["refundShippingLines"]), Decimal(0))
        if refund["transactions"]:
            assert paid_back == due
        elif refund["return"] is not None:                   # an even exchange: the new lines take its value
            assert due == sum(in_goods, Decimal(0)) > 0 and not view["cancelledAt"]
        else:
            assert view["cancelledAt"] and received == 0      # an unpaid order's cancellation
        for record in refund["refundLineItems"]:
            refunded_quantity[record["lineItem"]["id"]] += record["quantity"]
    for line in view["lineItems"]:
        assert refunded_quantity[line["id"]] <= line["quantity"]
        assert line["currentQuantity"] == line["quantity"] - refunded_quantity[line["id"]]


def test_the_worked_example_of_the_daily_summary():
    """Order WORKED_EXAMPLE_NUMBER of demo-eu is SPEC D2's example: 2 × 60.00 less 12.00, shipping 6.00,
    tip 5.00, 119.00 paid by card with a 2.00 fee, 20 % VAT included (18.00 on goods, 1.00 on shipping)."""
    # when
    view = generator("demo-eu").order(WORKED_EXAMPLE_NUMBER).view(LATER)
    # then
    (line,) = view["lineItems"]
    (shipping,) = view["shippingLines"]
    assert (view["currencyCode"], view["presentmentCurrencyCode"], view["taxesIncluded"]) == ("EUR", "EUR", True)
    assert (line["quantity"], shop(line["originalUnitPriceSet"])) == (2, Decimal("60.00"))
    assert [shop(a["allocatedAmountSet"]) for a in line["discountAllocations"]] == [Decimal("12.00")]
    assert [(t["rate"], shop(t["priceSet"])) for t in line["taxLines"]] == [(0.2, Decimal("18.00"))]
    assert shop(shipping["originalPriceSet"]) == shop(shipping["discountedPriceSet"]) == Decimal("6.00")
    assert [shop(t["priceSet"]) for t in shipping["taxLines"]] == [Decimal("1.00")]
    assert shop(view["totalTipReceivedSet"]) == Decimal("5.00")
    assert shop(view["subtotalPriceSet"]) == Decimal("108.00")
    assert shop(view["totalDiscountsSet"]) == Decimal("12.00")
    assert shop(view["totalTaxSet"]) == Decimal("19.00")
    assert shop(view["totalPriceSet"]) == Decimal("119.00")
    (payment,) = view["transactions"]
    assert (payment["kind"], payment["status"], payment["gateway"]) == ("SALE", "SUCCESS", "shopify_payments")
    assert shop(payment["amountSet"]) == Decimal("119.00")
    assert [fee["amount"]["amount"] for fee in payment["fees"]] == ["2.00"]
    assert view["refunds"] == [] and view["cancelledAt"] is None and view["test"] is False
    assert view["displayFinancialStatus"] == "PAID"




def test_the_us_store_adds_two_tax_lines_on_top_of_prices():
    """demo-us charges NY state and city tax on top of prices, not on shipping."""
    for view in views("demo-us")[:100]:
        assert view["taxesIncluded"] is False
        for line in view["lineItems"]:
            if not line["isGiftCard"]:
                assert [t["title"] for t in line["taxLines"]] == ["NY State Tax", "New York City Tax"]
                assert [t["ratePercentage"] for t in line["taxLines"]] == [4.0, 4.5]
        assert all(not s["taxLines"] for s in view["shippingLines"])
