"""What one local day's Shopify records add up to, line by line of SPEC D2, unrounded.

Every figure is a SQL aggregate over the imported rows (a fixed handful of queries, however many
orders the day has). Amounts are signed: positive is a debit, negative a credit.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Case, Count, DecimalField, ExpressionWrapper, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from connectors.ledger.mappings import tax_key
from connectors.shopify.models import (
    ShopifyOrder,
    ShopifyOrderLine,
    ShopifyRefund,
    ShopifyRefundLine,
    ShopifyRefundShippingLine,
    ShopifyShippingLine,
    ShopifyTaxLine,
    ShopifyTransaction,
)
from syncjobs.daily.models import DailySyncDay, DayStatus

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
    late_payments: tuple[int, ...] = ()   # transactions of days already posted that this day posts


def rate_label(rate: Decimal) -> str:
    return tax_key("", rate)


def total_of(expression) -> Coalesce:
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
                .annotate(net=total_of("net_amount"), gross=total_of(gross))
                .order_by("is_gift_card", "tax_rate")):
        if row["is_gift_card"]:
            add("gift_cards_sold", "", -row["gross"], "Gift cards sold")
        else:
            add("sales", "", -row["net"], f"Sales {rate_label(row['tax_rate'])}")
    line_discounts = (ShopifyOrderLine.objects.filter(**of_orders, is_gift_card=False)
                      .aggregate(total=total_of("net_discount"))["total"])
    shipping = ShopifyShippingLine.objects.filter(**of_orders).aggregate(net=total_of("net_price"),
                                                                        discount=total_of("net_discount"))
    add("shipping_income", "", -shipping["net"], "Shipping income")
    add("discounts", "", line_discounts + shipping["discount"], "Discounts")
    order_totals = orders.aggregate(tips=total_of("total_tip"), due=total_of("total"), count=Count("pk"))
    add("tips", "", -order_totals["tips"], "Tips")
    for row in (ShopifyTaxLine.objects.filter(**of_orders, refund_line=None, refund_shipping_line=None)
                .values("title", "rate").annotate(amount=total_of("amount")).order_by("title", "rate")):
        key = tax_key(row["title"], row["rate"])
        add("tax", key, -row["amount"], f"Tax {key}")

    # Refunds created that day, whenever their order was placed.
    in_window = {"refund__created_at__gte": start, "refund__created_at__lt": end}
    refund_due = refund_amounts(add, merchant, in_window, suffix="")
    # Money that moved that day, per gateway, with its fees.
    paid = transaction_amounts(add, ShopifyTransaction.objects.filter(
        merchant=merchant, processed_at__gte=start, processed_at__lt=end), suffix="")
    # Payments and refunds of days already posted that were first read on this day (D2: posted on
    # the day they were seen); for a payment, first read as SUCCESS: a refund paid back PENDING when
    # its day was posted moves its money on the day the import reads it succeeded.
    late_payments, late_refunds = late_records(merchant, start, end)
    if late_refunds:
        refund_due += refund_amounts(add, merchant, {"refund_id__in": late_refunds}, suffix=", of days already posted")
    if late_payments:
        paid += transaction_amounts(add, ShopifyTransaction.objects.filter(pk__in=late_payments),
                                    suffix=", of days already posted")

    # Payouts: syncjobs.daily.payouts (they are posted once, whenever they leave).
    due = order_totals["due"] - refund_due
    add("receivables", "", due - paid, "Receivables: sales not yet paid" if due >= paid
        else "Receivables: payments of other days' sales")
    return DayTotals(amounts=amounts, orders=order_totals["count"], due=due, paid=paid,
                     late_payments=tuple(late_payments))


def payment_day_totals(*, merchant, start: datetime, end: datetime) -> DayTotals:
    """A documents-mode shop's day (D0: its invoices post the sales): the money its transactions
    moved, per gateway with their fees, against receivables, which the invoices opened."""
    amounts: list[Amount] = []

    def add(kind: str, key: str, amount: Decimal, description: str) -> None:
        if amount:
            amounts.append(Amount(kind, key, amount, description))

    paid = transaction_amounts(add, ShopifyTransaction.objects.filter(
        merchant=merchant, processed_at__gte=start, processed_at__lt=end), suffix="")
    late_payments, _ = late_records(merchant, start, end)
    if late_payments:
        paid += transaction_amounts(add, ShopifyTransaction.objects.filter(pk__in=late_payments),
                                    suffix=", of days already posted")
    add("receivables", "", -paid, "Receivables: payments received" if paid >= 0
        else "Receivables: payments paid back")
    return DayTotals(amounts=amounts, orders=0, due=ZERO, paid=paid, late_payments=tuple(late_payments))


def payments_by_order(merchant, start: datetime, end: datetime, late_ids) -> list[tuple[str, str, str, Decimal]]:
    """(order GID, order name, its customer's GID, what its transactions brought in less what they
    paid back) for the orders whose money the day [start, end) posts: one payment per order and day."""
    moved = ShopifyTransaction.objects.filter(
        Q(processed_at__gte=start, processed_at__lt=end) | Q(pk__in=list(late_ids)), merchant=merchant,
        status="SUCCESS", is_test=False, order__is_test=False, kind__in=MONEY_IN + MONEY_OUT)
    signed = Case(When(kind__in=MONEY_IN, then=F("amount")), default=-F("amount"), output_field=SPLIT)
    rows = (moved.values("order__shopify_gid", "order__name", "order__customer_gid").annotate(paid=total_of(signed))
            .order_by("order__shopify_gid"))
    return [(row["order__shopify_gid"], row["order__name"], row["order__customer_gid"], row["paid"])
            for row in rows if row["paid"]]


def refund_amounts(add, merchant, refunds: dict, *, suffix: str) -> Decimal:
    """Refund lines for the refunds `refunds` filters (lookups on `refund`); returns what they take
    off what the orders call for, with tax."""
    chosen = {**refunds, "order__merchant": merchant, "order__is_test": False}
    with_tax = Case(When(order__taxes_included=True, then=F("subtotal")),
                    default=F("subtotal") + F("total_tax"), output_field=SPLIT)
    refund_due = ZERO
    for row in (ShopifyRefundLine.objects.filter(**chosen).values("is_gift_card")
                .annotate(net=total_of("net_subtotal"), gross=total_of(with_tax)).order_by("is_gift_card")):
        refund_due += row["gross"]
        if row["is_gift_card"]:
            add("gift_cards_sold", "", row["gross"], f"Gift cards refunded{suffix}")
        else:
            add("refunds", "", row["net"], f"Refunds{suffix}")
    shipping_with_tax = Case(When(order__taxes_included=True, then=F("subtotal")),
                             default=F("subtotal") + F("tax"), output_field=SPLIT)
    shipping = ShopifyRefundShippingLine.objects.filter(**chosen).aggregate(
        net=total_of("net_subtotal"), gross=total_of(shipping_with_tax))
    refund_due += shipping["gross"]
    add("refunds", "", shipping["net"], f"Shipping refunds{suffix}")
    taxes: dict[tuple[str, Decimal], Decimal] = {}
    for parent in ("refund_line", "refund_shipping_line"):   # two plain joins: an OR of them defeats indexes
        shares = ShopifyTaxLine.objects.filter(**{f"{parent}__{name}": value for name, value in refunds.items()},
                                               merchant=merchant, order__is_test=False)
        for row in shares.values("title", "rate").annotate(amount=total_of("amount")).order_by():
            key = (row["title"], row["rate"])
            taxes[key] = taxes.get(key, ZERO) + row["amount"]
    for (title, rate), amount in sorted(taxes.items()):
        key = tax_key(title, rate)
        add("tax", key, amount, f"Tax refunded {key}{suffix}")
    return refund_due


def transaction_amounts(add, transactions, *, suffix: str) -> Decimal:
    """Clearing, gift card and fee lines for the successful money movements among `transactions`;
    returns what they brought in, less what they paid back."""
    moved = transactions.filter(status="SUCCESS", is_test=False, order__is_test=False, kind__in=MONEY_IN + MONEY_OUT)
    paid = ZERO
    for row in (moved.values("gateway")
                .annotate(money_in=total_of(Case(When(kind__in=MONEY_IN, then=F("amount")), default=Value(ZERO))),
                          money_out=total_of(Case(When(kind__in=MONEY_OUT, then=F("amount")), default=Value(ZERO))),
                          fees=total_of(Case(When(fee__gt=0, then=F("fee")), default=Value(ZERO))),
                          fee_refunds=total_of(Case(When(fee__lt=0, then=-F("fee")), default=Value(ZERO))))
                .order_by("gateway")):
        gateway = row["gateway"]
        paid += row["money_in"] - row["money_out"]
        if gateway == GIFT_CARD_GATEWAY:
            add("gift_card_redemptions", "", row["money_in"], f"Gift card redemptions{suffix}")
            add("gift_card_redemptions", "", -row["money_out"], f"Refunds to gift cards{suffix}")
            continue
        add("payment_clearing", gateway, row["money_in"], f"Payments received ({gateway}){suffix}")
        add("payment_clearing", gateway, -row["money_out"], f"Payments refunded ({gateway}){suffix}")
        add("payment_fees", "", row["fees"], f"Payment fees ({gateway}){suffix}")
        add("payment_clearing", gateway, -row["fees"], f"Payment fees ({gateway}){suffix}")
        add("fee_refunds", "", -row["fee_refunds"], f"Fee refunds ({gateway}){suffix}")
        add("payment_clearing", gateway, row["fee_refunds"], f"Fee refunds ({gateway}){suffix}")
    return paid


def late_records(merchant, start: datetime, end: datetime) -> tuple[list[int], list[int]]:
    """Payments first read as SUCCESS, and refunds first read, in [start, end) although dated on an
    earlier day that had already been posted when they were read so: they belong in this day's
    journal. (A payment read PENDING when its day was posted moved no money there; one read SUCCESS
    before its day was posted is that day's.)"""
    payments = list(ShopifyTransaction.objects.filter(
        merchant=merchant, success_seen_at__gte=start, success_seen_at__lt=end, processed_at__lt=start,
        status="SUCCESS").values_list("pk", "processed_at", "success_seen_at"))
    refunds = list(ShopifyRefund.objects.filter(
        merchant=merchant, first_seen_at__gte=start, first_seen_at__lt=end, created_at__lt=start,
    ).values_list("pk", "created_at", "first_seen_at"))
    if not payments and not refunds:
        return [], []
    zone = ZoneInfo(merchant.time_zone)
    posted = dict(DailySyncDay.objects.filter(merchant=merchant, status=DayStatus.SYNCED, day__lt=start.astimezone(
        zone).date() + timedelta(days=1)).values_list("day", "updated_at"))

    def late(records):
        """Those whose day was posted before they were first read."""
        return [pk for pk, dated, seen in records
                if dated and (posted_at := posted.get(dated.astimezone(zone).date())) and posted_at <= seen]

    return late(payments), late(refunds)
