"""Amounts as a bookkeeper reads them: two decimals, thousands grouped, with the currency."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats

CENT = Decimal("0.01")


def money(amount, currency: str = "") -> str:
    """"1,234.50 EUR"; an empty string for no amount."""
    if amount is None or amount == "":
        return ""
    text = formats.number_format(Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP), 2, force_grouping=True)
    return f"{text} {currency}".strip()


def money_column(field_name: str, label: str, *, currency: str | None = "currency"):
    """An admin column (or read-only field) showing `field_name` as money in the row's `currency`
    (None: no currency, where the page names it once, e.g. an order's lines)."""

    def column(obj):
        return money(getattr(obj, field_name), getattr(obj, currency) if currency else "")

    column.short_description = label
    column.admin_order_field = field_name
    column.__name__ = f"{field_name}_money"
    return column
