"""The kinds of money a merchant maps to ledger accounts (M2), declared in one place.

Each kind says which account types fit it, in which posting modes a shop must map it before it can
post (D0: a daily-summary shop posts payments and payouts, a documents shop posts sales documents
and their returns), whether a mapping may be keyed (per tax rate, per payment gateway), and whether
a missing account may be created automatically (M3: only where the account's nature is unambiguous,
never revenue).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from connectors.ledger.account_types import AccountType
from merchants.models import PostingMode


@dataclass(frozen=True)
class MoneyKind:
    code: str
    label: str
    account_types: frozenset[AccountType]
    required_in: frozenset[str]            # the posting modes (merchant.posting_mode) that need it mapped
    keyed_by: str = ""
    auto_create_type: AccountType | None = None

    @property
    def can_auto_create(self) -> bool:
        return self.auto_create_type is not None

    def is_required_in(self, posting_mode: str) -> bool:
        return posting_mode in self.required_in

    def fits(self, account_type: str) -> bool:
        return account_type in self.account_types

    def fitting_types_text(self) -> str:
        return " or ".join(AccountType(t).label.lower() for t in sorted(self.account_types))


BOTH = frozenset({PostingMode.DOCUMENTS, PostingMode.DAILY_SUMMARY})
DAILY = frozenset({PostingMode.DAILY_SUMMARY})
DOCUMENTS = frozenset({PostingMode.DOCUMENTS})
OPTIONAL: frozenset[str] = frozenset()


def _kind(code, label, types, *, required_in, keyed_by="", auto_create_type=None) -> MoneyKind:
    return MoneyKind(code, label, frozenset(types), required_in, keyed_by, auto_create_type)


A = AccountType
MONEY_KINDS: dict[str, MoneyKind] = {k.code: k for k in (
    _kind("sales", "sales", {A.REVENUE}, required_in=BOTH),
    _kind("refunds", "refunds", {A.REVENUE, A.EXPENSE}, required_in=BOTH),
    _kind("discounts", "discounts", {A.REVENUE, A.EXPENSE}, required_in=BOTH),
    _kind("shipping_income", "shipping income", {A.REVENUE}, required_in=BOTH),
    _kind("tips", "tips", {A.REVENUE, A.LIABILITY}, required_in=OPTIONAL),
    _kind("gift_cards_sold", "sold gift cards", {A.LIABILITY}, required_in=OPTIONAL),
    _kind("gift_card_redemptions", "gift card redemptions", {A.LIABILITY}, required_in=OPTIONAL),
    _kind("tax", "tax", {A.LIABILITY}, required_in=BOTH, keyed_by="tax rate",
          auto_create_type=A.LIABILITY),
    _kind("payment_clearing", "payment clearing", {A.ASSET}, required_in=DAILY,
          keyed_by="payment gateway", auto_create_type=A.ASSET),
    _kind("payment_fees", "payment fees", {A.EXPENSE}, required_in=DAILY),
    _kind("fee_refunds", "fee refunds", {A.EXPENSE, A.REVENUE}, required_in=OPTIONAL),
    _kind("payouts", "payouts (bank)", {A.ASSET}, required_in=DAILY),
    _kind("receivables", "receivables", {A.ASSET}, required_in=BOTH),
    _kind("rounding", "rounding", {A.EXPENSE, A.REVENUE}, required_in=DAILY),
    # Goods a customer returns that go back to no shelf (credit memos, issue 26).
    _kind("non_restock", "non-restocked returns", {A.EXPENSE, A.REVENUE}, required_in=DOCUMENTS),
    # Shopify Payments' own movements (issue 28): needed only by a shop that has them, so the day
    # that first holds one fails naming the kind until it is mapped, or (M3) creates its account
    # where the shop allows: none of them is revenue.
    _kind("disputes", "disputes and chargebacks", {A.ASSET, A.EXPENSE, A.REVENUE}, required_in=OPTIONAL,
          auto_create_type=A.EXPENSE),
    _kind("dispute_fees", "chargeback fees", {A.EXPENSE}, required_in=OPTIONAL, auto_create_type=A.EXPENSE),
    _kind("reserves", "Shopify Payments reserve", {A.ASSET}, required_in=OPTIONAL, auto_create_type=A.ASSET),
    _kind("shopify_adjustments", "Shopify Payments adjustments", {A.EXPENSE, A.REVENUE}, required_in=OPTIONAL,
          auto_create_type=A.EXPENSE),
    _kind("other_adjustments", "Shopify other adjustments", {A.EXPENSE, A.REVENUE, A.ASSET, A.LIABILITY},
          required_in=OPTIONAL, keyed_by="balance transaction type", auto_create_type=A.EXPENSE),
)}
del A

MoneyKindChoices = models.TextChoices(
    "MoneyKindChoices", [(k.code.upper(), (k.code, k.label.capitalize())) for k in MONEY_KINDS.values()]
)
