"""Exact money for the generated store: Decimal amounts in cents, in shop and presentment currency.

Every leaf amount (a unit price, a discount allocation, a tax line, a shipping price, a tip, a gift
card payment) is converted once to the presentment currency at the order's rate and rounded to
cents; every total is a sum of leaves in each currency, so sums hold exactly in both.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable

CENT = Decimal("0.01")
ZERO_AMOUNT = Decimal("0.00")


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


class Money:
    """An amount in the shop currency and the same amount in the order's presentment currency."""

    __slots__ = ("shop", "presentment")

    def __init__(self, shop: Decimal, presentment: Decimal) -> None:
        self.shop = shop
        self.presentment = presentment

    def __add__(self, other: "Money") -> "Money":
        return Money(self.shop + other.shop, self.presentment + other.presentment)

    def __sub__(self, other: "Money") -> "Money":
        return Money(self.shop - other.shop, self.presentment - other.presentment)

    def __neg__(self) -> "Money":
        return Money(-self.shop, -self.presentment)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Money) and self.shop == other.shop and self.presentment == other.presentment

    def __hash__(self) -> int:
        return hash((self.shop, self.presentment))

    def __repr__(self) -> str:
        return f"Money({self.shop}, {self.presentment})"

    def times(self, quantity: int) -> "Money":
        return Money(self.shop * quantity, self.presentment * quantity)

    def share(self, part: int, whole: int) -> "Money":
        """part/whole of this amount, rounded to cents in each currency."""
        return Money(cents(self.shop * part / whole), cents(self.presentment * part / whole))

    @property
    def is_zero(self) -> bool:
        return not self.shop and not self.presentment


ZERO = Money(ZERO_AMOUNT, ZERO_AMOUNT)


def total(amounts: Iterable[Money]) -> Money:
    shop = presentment = ZERO_AMOUNT
    for amount in amounts:
        shop += amount.shop
        presentment += amount.presentment
    return Money(shop, presentment)


class Converter:
    """Turns shop amounts into Money at one order's fixed presentment rate."""

    __slots__ = ("rate",)

    def __init__(self, rate: Decimal | None) -> None:
        self.rate = rate      # None: presented in the shop currency

    def __call__(self, shop: Decimal) -> Money:
        shop = cents(shop)
        if self.rate is None:
            return Money(shop, shop)
        return Money(shop, cents(shop * self.rate))


def split_proportionally(amount: Money, weights: list[Decimal]) -> list[Money]:
    """`amount` split over `weights` in proportion, in cents, the last part taking the remainder."""
    whole = sum(weights)
    parts = []
    left = amount
    for position, weight in enumerate(weights):
        if position == len(weights) - 1:
            parts.append(left)
            break
        part = Money(cents(amount.shop * weight / whole), cents(amount.presentment * weight / whole)) \
            if whole else ZERO
        parts.append(part)
        left = left - part
    return parts


def decimal_string(amount: Decimal) -> str:
    """"119.00"; zero is "0.00", never "-0.00"."""
    return f"{amount:.2f}" if amount else "0.00"


def money_bag(amount: Money, shop_currency: str, presentment_currency: str) -> dict:
    """A GraphQL MoneyBag (one shared dict for both when the order is in the shop currency)."""
    shop_money = {"amount": decimal_string(amount.shop), "currencyCode": shop_currency}
    if presentment_currency == shop_currency:
        return {"shopMoney": shop_money, "presentmentMoney": shop_money}
    return {
        "shopMoney": shop_money,
        "presentmentMoney": {"amount": decimal_string(amount.presentment), "currencyCode": presentment_currency},
    }


def money_v2(amount: Decimal, currency: str) -> dict:
    """A GraphQL MoneyV2."""
    return {"amount": decimal_string(amount), "currencyCode": currency}
