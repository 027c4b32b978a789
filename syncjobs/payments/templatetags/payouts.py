"""Amounts and links on the payout page as a bookkeeper reads them (core.money)."""
from decimal import Decimal
from urllib.parse import urlencode

from django import template

from core import money as amounts
from syncjobs.daily.balance_moves import TREATMENTS

register = template.Library()

DISPUTE_TYPES = frozenset((*TREATMENTS["disputes"], *TREATMENTS["dispute_fees"]))


@register.filter
def money(amount, currency: str = "") -> str:
    return amounts.money(amount, currency)


@register.filter
def net_total(lines) -> Decimal:
    """What a group's lines add to the balance as Shopify nets them (a fee is in its payment's net)."""
    return sum((line.part.net for line in lines if not line.counted_with_its_payment), Decimal("0"))


@register.filter
def all_with_their_payment(lines) -> bool:
    return bool(lines) and all(line.counted_with_its_payment for line in lines)


@register.simple_tag
def dispute_url(line, disputes_url: str) -> str:
    """The disputes list narrowed to the dispute's order, for a dispute's or its fee's line."""
    if line.part.type not in DISPUTE_TYPES or not line.part.order_name:
        return ""
    return f"{disputes_url}?{urlencode({'q': line.part.order_name})}"
