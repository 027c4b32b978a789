"""Amounts on the payout page as a bookkeeper reads them (core.money)."""
from django import template

from core import money as amounts

register = template.Library()


@register.filter
def money(amount, currency: str = "") -> str:
    return amounts.money(amount, currency)
