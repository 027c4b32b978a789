"""Amounts without tax, split at import and kept unrounded for the daily journal (D2)."""
from decimal import Decimal

from connectors.shopify.importers.orders import parse_order


def money(amount: str) -> dict:
    return {"shopMoney": {"amount": amount, "currencyCode": "EUR"}, "presentmentMoney": {"amount": amount}}


def order(*, included: bool, lines: list, shipping: list = (), refunds: list = ()) -> dict:
    return {
        "id": "gid://shopify/Order/1", "legacyResourceId": "1", "name": "#1001", "createdAt": "2025-03-11T10:00:00Z",
        "updatedAt": "2025-03-11T10:00:00Z", "currencyCode": "EUR", "taxesIncluded": included,
        "lineItems": {"nodes": list(lines)}, "shippingLines": {"nodes": list(shipping)},
        "refunds": list(refunds), "transactions": [],
    }


def line(gid, price, quantity, taxes, discount="0", gift_card=False):
    return {"id": gid, "name": "Shirt", "quantity": quantity, "originalUnitPriceSet": money(price),
            "isGiftCard": gift_card, "taxLines": [{"title": t, "rate": r, "priceSet": money(a)} for t, r, a in taxes],
            "discountAllocations": [{"allocatedAmountSet": money(discount), "discountApplication": {"index": 0}}]}


def test_prices_that_include_tax_lose_shopifys_tax_and_the_discounts_share():
    parsed = parse_order(order(included=True, lines=[line("L1", "60.00", 2, [("VAT", 0.2, "18.00")], "12.00")],
                               shipping=[{"id": "S1", "title": "Post", "originalPriceSet": money("6.00"),
                                          "taxLines": [{"title": "VAT", "rate": 0.2, "priceSet": money("1.00")}],
                                          "discountAllocations": []}]))

    (goods,), (shipping,) = parsed.lines, parsed.shipping_lines
    assert (goods["tax_rate"], goods["net_amount"], goods["net_discount"]) == (
        Decimal("0.2"), Decimal("100.0000000000"), Decimal("10.0000000000"))
    assert shipping["net_price"] == Decimal("5.0000000000")


def test_an_uneven_split_is_kept_unrounded():
    # 9.99 less 1.00 of discount: VAT on 8.99 is 1.50 (1.498 rounded by Shopify); the discount's
    # share without tax is 1.00 / 1.2 = 0.8333333333.
    parsed = parse_order(order(included=True, lines=[line("L1", "9.99", 1, [("VAT", 0.2, "1.50")], "1.00")]))

    assert parsed.lines[0]["net_discount"] == Decimal("0.8333333333")
    assert parsed.lines[0]["net_amount"] == Decimal("8.3233333333")   # 9.99 − 1.00 − 1.50 + 0.8333333333


def test_tax_rounded_by_shopify_on_each_line_leaves_no_residue():
    parsed = parse_order(order(included=True, lines=[line("L1", "9.99", 1, [("VAT", 0.2, "1.67")])]))

    assert parsed.lines[0]["net_amount"] == Decimal("8.32")           # 9.99 − 1.67


def test_prices_without_tax_are_their_own_net():
    parsed = parse_order(order(included=False, lines=[line("L1", "100.00", 1, [("State", 0.04, "4.00"),
                                                                              ("City", 0.045, "4.50")])]))

    assert (parsed.lines[0]["tax_rate"], parsed.lines[0]["net_amount"]) == (Decimal("0.085"), Decimal("100.0000000000"))


def test_a_refunds_tax_is_split_over_the_lines_tax_lines_in_proportion():
    refund = {"id": "R1", "createdAt": "2025-03-13T09:00:00Z", "totalRefundedSet": money("54.25"),
              "refundLineItems": {"nodes": [{"lineItem": {"id": "L1"}, "quantity": 1, "subtotalSet": money("50.00"),
                                             "totalTaxSet": money("4.25")}]},
              "transactions": {"nodes": []}}
    parsed = parse_order(order(included=False, refunds=[refund], lines=[
        line("L1", "50.00", 2, [("State", 0.04, "4.00"), ("City", 0.045, "4.50")])]))

    (refund_line,) = parsed.refunds[0]["_lines"]
    assert refund_line["net_subtotal"] == Decimal("50.00")
    assert [(t["title"], t["amount"]) for t in refund_line["_taxes"]] == [
        ("State", Decimal("2.0000000000")), ("City", Decimal("2.2500000000"))]


def test_a_refund_in_a_shop_whose_prices_include_tax_takes_the_tax_out_and_knows_gift_cards():
    refund = {"id": "R1", "createdAt": "2025-03-13T09:00:00Z", "totalRefundedSet": money("74.00"),
              "refundLineItems": {"nodes": [
                  {"lineItem": {"id": "L1"}, "quantity": 1, "subtotalSet": money("54.00"),
                   "totalTaxSet": money("9.00")},
                  {"lineItem": {"id": "G1"}, "quantity": 1, "subtotalSet": money("20.00"), "totalTaxSet": money("0")}]},
              "transactions": {"nodes": []}}
    parsed = parse_order(order(included=True, refunds=[refund], lines=[
        line("L1", "60.00", 2, [("VAT", 0.2, "18.00")], "12.00"), line("G1", "20.00", 1, [], gift_card=True)]))

    goods, gift_card = parsed.refunds[0]["_lines"]
    assert (goods["net_subtotal"], goods["is_gift_card"], goods["_taxes"][0]["amount"]) == (
        Decimal("45.00"), False, Decimal("9.0000000000"))
    assert (gift_card["is_gift_card"], gift_card["_taxes"]) == (True, [])
