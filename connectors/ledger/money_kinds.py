"""The kinds of money a merchant maps to ledger accounts (M2), declared in one place.

Each kind says which account types fit it, whether the daily sync needs it before it can run,
whether a mapping may be keyed (per tax rate, per payment gateway), and whether a missing account
may be created automatically (M3: only where the account's nature is unambiguous, never revenue).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from connectors.ledger.account_types import AccountType


@dataclass(frozen=True)
class MoneyKind:
    code: str
    label: str
    account_types: frozenset[AccountType]
    is_required: bool
    keyed_by: str = ""
    auto_create_type: AccountType | None = None

    @property
    def can_auto_create(self) -> bool:
        return self.auto_create_type is not None

    def fits(self, account_type: str) -> bool:
        return account_type in self.account_types

    def fitting_types_text(self) -> str:
        return " or ".join(AccountType(t).label.lower() for t in sorted(self.account_types))


def _kind(code, label, types, *, required, keyed_by="", auto_create_type=None) -> MoneyKind:
    return MoneyKind(code, label, frozenset(types), required, keyed_by, auto_create_type)


A = AccountType
MONEY_KINDS: dict[str, MoneyKind] = {k.code: k for k in (
    _kind("sales", "sales", {A.REVENUE}, required=True),
    _kind("refunds", "refunds", {A.REVENUE, A.EXPENSE}, required=True),
    _kind("discounts", "discounts", {A.REVENUE, A.EXPENSE}, required=True),
    _kind("shipping_income", "shipping income", {A.REVENUE}, required=True),
    _kind("tips", "tips", {A.REVENUE, A.LIABILITY}, required=False),
    _kind("gift_cards_sold", "sold gift cards", {A.LIABILITY}, required=False),
    _kind("gift_card_redemptions", "gift card redemptions", {A.LIABILITY}, required=False),
    _kind("tax", "tax", {A.LIABILITY}, required=True, keyed_by="tax rate",
          auto_create_type=A.LIABILITY),
    _kind("payment_clearing", "payment clearing", {A.ASSET}, required=True,
          keyed_by="payment gateway", auto_create_type=A.ASSET),
    _kind("payment_fees", "payment fees", {A.EXPENSE}, required=True),
    _kind("fee_refunds", "fee refunds", {A.EXPENSE, A.REVENUE}, required=False),
    _kind("payouts", "payouts (bank)", {A.ASSET}, required=True),
    _kind("receivables", "receivables", {A.ASSET}, required=True),
    _kind("rounding", "rounding", {A.EXPENSE, A.REVENUE}, required=True),
)}
del A

MoneyKindChoices = models.TextChoices(
    "MoneyKindChoices", [(k.code.upper(), (k.code, k.label.capitalize())) for k in MONEY_KINDS.values()]
)
