"""Standard charts of accounts a new shop can start from ("Set up accounts"), one per way of taxing.

Each template maps every kind of money (connectors.ledger.money_kinds): unkeyed kinds to fixed
accounts, and the keyed kinds (tax per rate, payment clearing per gateway) to a numbered series with
one account per key, plus a general account for a shop that has no key of that kind yet.
"""
from __future__ import annotations

from dataclasses import dataclass

from connectors.ledger.account_types import AccountType

A = AccountType


@dataclass(frozen=True)
class TemplateAccount:
    code: str
    name: str
    type: AccountType
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class KeyedSeries:
    """Accounts of one keyed kind: "{key}" in `name` is the tax rate or gateway; the general account
    (for everything without an account of its own) takes the series' last code."""

    kind: str
    first_code: str
    last_code: str
    type: AccountType
    name: str
    general_name: str


@dataclass(frozen=True)
class ChartTemplate:
    slug: str
    label: str
    description: str
    accounts: tuple[TemplateAccount, ...]
    series: tuple[KeyedSeries, ...]


VAT_INCLUSIVE = ChartTemplate(
    slug="vat",
    label="VAT, prices include tax",
    description="For shops whose prices include VAT or GST (most of Europe, the UK, Australia): "
                "tax payable per rate.",
    accounts=(
        TemplateAccount("1010", "Bank (payouts)", A.ASSET, ("payouts",)),
        TemplateAccount("1100", "Receivables from customers", A.ASSET, ("receivables",)),
        TemplateAccount("2300", "Gift cards outstanding", A.LIABILITY, ("gift_cards_sold", "gift_card_redemptions")),
        TemplateAccount("4000", "Sales (net of VAT)", A.REVENUE, ("sales",)),
        TemplateAccount("4010", "Shipping income", A.REVENUE, ("shipping_income",)),
        TemplateAccount("4020", "Sales returns", A.REVENUE, ("refunds",)),
        TemplateAccount("4030", "Discounts given", A.REVENUE, ("discounts",)),
        TemplateAccount("4040", "Tips received", A.REVENUE, ("tips",)),
        TemplateAccount("4050", "Returns not restocked", A.EXPENSE, ("non_restock",)),
        TemplateAccount("6800", "Payment processing fees", A.EXPENSE, ("payment_fees", "fee_refunds")),
        TemplateAccount("1400", "Shopify Payments reserve", A.ASSET, ("reserves",)),
        TemplateAccount("6810", "Chargebacks and disputes", A.EXPENSE, ("disputes",)),
        TemplateAccount("6820", "Chargeback fees", A.EXPENSE, ("dispute_fees",)),
        TemplateAccount("6830", "Payment provider adjustments", A.EXPENSE,
                        ("shopify_adjustments", "other_adjustments")),
        TemplateAccount("6990", "Rounding differences", A.EXPENSE, ("rounding",)),
    ),
    series=(
        KeyedSeries("payment_clearing", "1150", "1199", A.ASSET, "{key} clearing", "Other payments clearing"),
        KeyedSeries("tax", "2400", "2499", A.LIABILITY, "{key} payable", "Tax payable, other rates"),
    ),
)

US_SALES_TAX = ChartTemplate(
    slug="us_sales_tax",
    label="US sales tax, prices exclude tax",
    description="For shops that add sales tax on top of their prices (the United States, Canada): "
                "sales tax payable per jurisdiction and rate.",
    accounts=(
        TemplateAccount("1000", "Checking account (payouts)", A.ASSET, ("payouts",)),
        TemplateAccount("1200", "Accounts receivable", A.ASSET, ("receivables",)),
        TemplateAccount("2100", "Gift card liability", A.LIABILITY, ("gift_cards_sold", "gift_card_redemptions")),
        TemplateAccount("4000", "Sales", A.REVENUE, ("sales",)),
        TemplateAccount("4100", "Shipping and delivery income", A.REVENUE, ("shipping_income",)),
        TemplateAccount("4200", "Sales returns and allowances", A.REVENUE, ("refunds",)),
        TemplateAccount("4250", "Returns not restocked", A.EXPENSE, ("non_restock",)),
        TemplateAccount("4300", "Sales discounts", A.REVENUE, ("discounts",)),
        TemplateAccount("4400", "Tips received", A.REVENUE, ("tips",)),
        TemplateAccount("6100", "Merchant processing fees", A.EXPENSE, ("payment_fees", "fee_refunds")),
        TemplateAccount("1400", "Shopify Payments reserve", A.ASSET, ("reserves",)),
        TemplateAccount("6110", "Chargebacks and disputes", A.EXPENSE, ("disputes",)),
        TemplateAccount("6120", "Chargeback fees", A.EXPENSE, ("dispute_fees",)),
        TemplateAccount("6130", "Payment provider adjustments", A.EXPENSE,
                        ("shopify_adjustments", "other_adjustments")),
        TemplateAccount("6900", "Cash over and short", A.EXPENSE, ("rounding",)),
    ),
    series=(
        KeyedSeries("payment_clearing", "1250", "1299", A.ASSET, "{key} clearing", "Other payments clearing"),
        KeyedSeries("tax", "2200", "2299", A.LIABILITY, "{key} payable", "Sales tax payable, other rates"),
    ),
)

CHART_TEMPLATES: dict[str, ChartTemplate] = {t.slug: t for t in (VAT_INCLUSIVE, US_SALES_TAX)}


def gateway_name(gateway: str) -> str:
    """A gateway's handle as a person writes it: "shopify_payments" → "Shopify Payments"."""
    if gateway.islower() or "_" in gateway:
        return " ".join(word.capitalize() for word in gateway.replace("_", " ").split())
    return gateway
