"""What one local day's Shopify records add up to, line by line of SPEC D2, unrounded.

Every figure is a SQL aggregate over the imported rows (a fixed handful of queries, however many
orders the day has). Amounts are signed: positive is a debit, negative a credit.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, ExpressionWrapper, F, Sum, Value, When
from django.db.models.functions import Coalesce

from connectors.shopify.models import (
    ShopifyOrder,
    ShopifyOrderLine,
    ShopifyRefundLine,
    ShopifyRefundShippingLine,
    ShopifyShippingLine,
    ShopifyTaxLine,
    ShopifyTransaction,
)

ZERO = Decimal("0")
SHOPIFY_PAYMENTS = "shopify_payments"   # the gateway whose clearing account payouts empty
GIFT_CARD_GATEWAY = "gift_card"
MONEY_IN = ("SALE", "CAPTURE")
MONEY_OUT = ("REFUND", "CHANGE")
SPLIT = DecimalField(max_digits=28, decimal_places=10)


@dataclass(frozen=True)
class Amount:
    """One line of the day before rounding: its money kind, mapping key and signed amount."""

    kind: str
    key: str
    amount: Decimal        # > 0 debit, < 0 credit
    description: str


@dataclass(frozen=True)
class DayTotals:
    amounts: list[Amount]
    orders: int             # orders processed that day (test orders left out)
    due: Decimal            # what those orders and the day's refunds call for, with tax
    paid: Decimal           # what the day's transactions brought in, less what they paid back


def tax_key(title: str, rate: Decimal) -> str:
    """The mapping key of a tax line, e.g. "VAT 20%" or "NY State Tax 4%"."""
    return f"{title} {(Decimal(rate) * 100).normalize():f}%".strip()


def rate_label(rate: Decimal) -> str:
    return tax_key("", rate)


def _sum(expression) -> Coalesce:
    return Coalesce(Sum(expression, output_field=SPLIT), Value(ZERO, output_field=SPLIT), output_field=SPLIT)


def day_totals(*, merchant, start: datetime, end: datetime) -> DayTotals:
    """The D2 amounts of [start, end) for `merchant` (a local day, in UTC)."""
    # Shopify always gives processedAt (the creation time unless the order was imported from elsewhere).
    orders = ShopifyOrder.objects.filter(merchant=merchant, is_test=False, processed_at__gte=start,
                                         processed_at__lt=end)
    of_orders = {"order__in": orders.values("pk")}
    amounts: list[Amount] = []

    def add(kind: str, key: str, amount: Decimal, description: str) -> None:
        if amount:
            amounts.append(Amount(kind, key, amount, description))

    # Sales per tax rate, and gift cards sold (a liability, not a sale).
    gross = ExpressionWrapper(F("unit_price") * F("quantity"), output_field=SPLIT)
    for row in (ShopifyOrderLine.objects.filter(**of_orders).values("is_gift_card", "tax_rate")
                .annotate(net=_sum("net_amount"), gross=_sum(gross))
                .order_by("is_gift_card", "tax_rate")):
        if row["is_gift_card"]:
            add("gift_cards_sold", "", -row["gross"], "Gift cards sold")
        else:
            add("sales", "", -row["net"], f"Sales {rate_label(row['tax_rate'])}")
    line_discounts = (ShopifyOrderLine.objects.filter(**of_orders, is_gift_card=False)
                      .aggregate(total=_sum("net_discount"))["total"])
    shipping = ShopifyShippingLine.objects.filter(**of_orders).aggregate(net=_sum("net_price"),
                                                                        discount=_sum("net_discount"))
    add("shipping_income", "", -shipping["net"], "Shipping income")
    add("discounts", "", line_discounts + shipping["discount"], "Discounts")
    order_totals = orders.aggregate(tips=_sum("total_tip"), due=_sum("total"), count=Count("pk"))
    add("tips", "", -order_totals["tips"], "Tips")
    for row in (ShopifyTaxLine.objects.filter(**of_orders, refund_line=None, refund_shipping_line=None)
                .values("title", "rate").annotate(amount=_sum("amount")).order_by("title", "rate")):
        key = tax_key(row["title"], row["rate"])
        add("tax", key, -row["amount"], f"Tax {key}")

    # Refunds created that day, whenever their order was placed.
    refunded = {"refund__created_at__gte": start, "refund__created_at__lt": end, "order__merchant": merchant,
                "order__is_test": False}
    with_tax = Case(When(order__taxes_included=True, then=F("subtotal")),
                    default=F("subtotal") + F("total_tax"), output_field=SPLIT)
    refund_due = ZERO
    for row in (ShopifyRefundLine.objects.filter(**refunded).values("is_gift_card")
                .annotate(net=_sum("net_subtotal"), gross=_sum(with_tax)).order_by("is_gift_card")):
        refund_due += row["gross"]
        if row["is_gift_card"]:
            add("gift_cards_sold", "", row["gross"], "Gift cards refunded")
        else:
            add("refunds", "", row["net"], "Refunds")
    shipping_with_tax = Case(When(order__taxes_included=True, then=F("subtotal")),
                             default=F("subtotal") + F("tax"), output_field=SPLIT)
    refunded_shipping = ShopifyRefundShippingLine.objects.filter(**refunded).aggregate(
        net=_sum("net_subtotal"), gross=_sum(shipping_with_tax))
    refund_due += refunded_shipping["gross"]
    add("refunds", "", refunded_shipping["net"], "Shipping refunds")
    refund_taxes: dict[tuple[str, Decimal], Decimal] = {}
    for parent in ("refund_line", "refund_shipping_line"):   # two plain joins: an OR of them defeats indexes
        shares = ShopifyTaxLine.objects.filter(**{f"{parent}__refund__created_at__gte": start,
                                                  f"{parent}__refund__created_at__lt": end},
                                               merchant=merchant, order__is_test=False)
        for row in shares.values("title", "rate").annotate(amount=_sum("amount")).order_by():
            key = (row["title"], row["rate"])
            refund_taxes[key] = refund_taxes.get(key, ZERO) + row["amount"]
    for (title, rate), amount in sorted(refund_taxes.items()):
        key = tax_key(title, rate)
        add("tax", key, amount, f"Tax refunded {key}")

    # Money that moved that day, per gateway, with its fees.
    transactions = ShopifyTransaction.objects.filter(
        merchant=merchant, status="SUCCESS", processed_at__gte=start, processed_at__lt=end, is_test=False,
        order__is_test=False, kind__in=MONEY_IN + MONEY_OUT,
    )
    paid = ZERO
    for row in (transactions.values("gateway")
                .annotate(money_in=_sum(Case(When(kind__in=MONEY_IN, then=F("amount")), default=Value(ZERO))),
                          money_out=_sum(Case(When(kind__in=MONEY_OUT, then=F("amount")), default=Value(ZERO))),
                          fees=_sum(Case(When(fee__gt=0, then=F("fee")), default=Value(ZERO))),
                          fee_refunds=_sum(Case(When(fee__lt=0, then=-F("fee")), default=Value(ZERO))))
                .order_by("gateway")):
        gateway = row["gateway"]
        paid += row["money_in"] - row["money_out"]
        if gateway == GIFT_CARD_GATEWAY:
            add("gift_card_redemptions", "", row["money_in"], "Gift card redemptions")
            add("gift_card_redemptions", "", -row["money_out"], "Refunds to gift cards")
            continue
        add("payment_clearing", gateway, row["money_in"], f"Payments received ({gateway})")
        add("payment_clearing", gateway, -row["money_out"], f"Payments refunded ({gateway})")
        add("payment_fees", "", row["fees"], f"Payment fees ({gateway})")
        add("payment_clearing", gateway, -row["fees"], f"Payment fees ({gateway})")
        add("fee_refunds", "", -row["fee_refunds"], f"Fee refunds ({gateway})")
        add("payment_clearing", gateway, row["fee_refunds"], f"Fee refunds ({gateway})")

    # Payouts: syncjobs.daily.payouts (they are posted once, whenever they leave).
    due = order_totals["due"] - refund_due
    add("receivables", "", due - paid, "Receivables: sales not yet paid" if due >= paid
        else "Receivables: payments of other days' sales")
    return DayTotals(amounts=amounts, orders=order_totals["count"], due=due, paid=paid)
