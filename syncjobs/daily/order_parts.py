"""The order-day amounts of given orders, one order at a time (for D2 adjustments).

The same lines as the daily journal's own (sales per rate, gift cards sold, shipping, discounts,
tips, tax per rate, and what the order calls for), keyed "kind|key", signed (debit positive).
Used only for the few orders that changed after their day was posted: a handful of grouped
queries, whatever their number.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import ExpressionWrapper, F

from connectors.ledger.mappings import tax_key
from connectors.shopify.models import ShopifyOrder, ShopifyOrderLine, ShopifyShippingLine, ShopifyTaxLine
from syncjobs.daily.amounts import SPLIT, rate_label, total_of

ZERO = Decimal("0")
DUE = "due|"


def order_parts(order_ids) -> dict[int, dict[str, Decimal]]:
    parts: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    ids = list(order_ids)
    if not ids:
        return {}
    gross = ExpressionWrapper(F("unit_price") * F("quantity"), output_field=SPLIT)
    for row in (ShopifyOrderLine.objects.filter(order_id__in=ids).values("order_id", "is_gift_card", "tax_rate")
                .annotate(net=total_of("net_amount"), gross=total_of(gross), discount=total_of("net_discount"))
                .order_by()):
        order = parts[row["order_id"]]
        if row["is_gift_card"]:
            order["gift_cards_sold|"] -= row["gross"]
        else:
            order[f"sales|{rate_label(row['tax_rate'])}"] -= row["net"]
            order["discounts|"] += row["discount"]
    for row in (ShopifyShippingLine.objects.filter(order_id__in=ids).values("order_id")
                .annotate(net=total_of("net_price"), discount=total_of("net_discount")).order_by()):
        parts[row["order_id"]]["shipping_income|"] -= row["net"]
        parts[row["order_id"]]["discounts|"] += row["discount"]
    for row in (ShopifyTaxLine.objects.filter(order_id__in=ids, refund_line=None, refund_shipping_line=None)
                .values("order_id", "title", "rate").annotate(amount=total_of("amount")).order_by()):
        parts[row["order_id"]][f"tax|{tax_key(row['title'], row['rate'])}"] -= row["amount"]
    for order_id, tip, total, is_test in ShopifyOrder.objects.filter(pk__in=ids).values_list(
            "pk", "total_tip", "total", "is_test"):
        if is_test:
            parts.pop(order_id, None)
            continue
        parts[order_id]["tips|"] -= tip
        parts[order_id][DUE] += total
    return {order_id: {k: v for k, v in amounts.items() if v} for order_id, amounts in parts.items()}
