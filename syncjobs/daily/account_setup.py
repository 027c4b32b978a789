"""The shop card's "Set up accounts" (M2): a standard chart for the shop, proposed from its imported
orders, with one clearing account per payment gateway and one tax account per tax rate they hold.

When nothing is imported yet, the recent orders are imported first (as a logged Sync orders run), so
the gateways and rates are known. Pressing it again later adds accounts for new gateways and rates
only: connectors.ledger.account_setup never changes an existing mapping.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.utils import timezone

from connectors.ledger.account_setup import SetupPlan, SetupResult, apply_setup, plan_setup
from connectors.ledger.chart_templates import CHART_TEMPLATES, US_SALES_TAX, VAT_INCLUSIVE, ChartTemplate
from connectors.ledger.mappings import tax_key
from connectors.shopify.models import ShopifyOrder, ShopifyPayout, ShopifyTaxLine, ShopifyTransaction
from syncjobs.daily.amounts import GIFT_CARD_GATEWAY, MONEY_IN, MONEY_OUT, SHOPIFY_PAYMENTS
from syncjobs.queue.claims import CategoryBusy
from syncjobs.queue.entries import start_in_background
from syncjobs.queue.errors import QueueError
from syncjobs.queue.execution import run_now
from syncjobs.queue.models import RunStatus, RunTrigger

SYNC_ORDERS_REPORT = 30104
# How far back the import before a first setup reads: enough to meet the shop's gateways and tax
# rates, short enough to wait for. Rarer ones get their accounts from a later setup (the failed
# day's message says so) once the daily sync has imported everything.
FIRST_IMPORT_DAYS = 7
# Shops in these currencies usually add sales tax on top of prices.
SALES_TAX_CURRENCIES = frozenset({"USD", "CAD"})


@dataclass(frozen=True)
class SeenKeys:
    tax_keys: list[str]
    gateways: list[str]


@dataclass
class SetupPreview:
    proposed: ChartTemplate
    plans: dict[str, SetupPlan]
    seen: SeenKeys
    notes: list[str] = field(default_factory=list)   # what the page should say first (the import)


def seen_keys(merchant) -> SeenKeys:
    """The tax rates and payment gateways of the shop's imported data, as its journals key them."""
    rates = (ShopifyTaxLine.objects.filter(order__merchant=merchant, order__is_test=False)
             .values_list("title", "rate").distinct().order_by())
    gateways = set(ShopifyTransaction.objects.filter(
        merchant=merchant, status="SUCCESS", is_test=False, kind__in=MONEY_IN + MONEY_OUT,
    ).exclude(gateway=GIFT_CARD_GATEWAY).values_list("gateway", flat=True).distinct().order_by())
    if ShopifyPayout.objects.filter(merchant=merchant).exists():
        gateways.add(SHOPIFY_PAYMENTS)   # payouts empty the Shopify Payments clearing account
    return SeenKeys(tax_keys=sorted({tax_key(title, rate) for title, rate in rates}), gateways=sorted(gateways))


def proposed_template(merchant) -> ChartTemplate:
    """VAT when most imported orders' prices include tax (Shopify's taxesIncluded), US sales tax when
    most do not; with no orders, what the shop currency suggests."""
    orders = ShopifyOrder.objects.filter(merchant=merchant, is_test=False).aggregate(
        total=Count("pk"), inclusive=Count("pk", filter=Q(taxes_included=True)))
    if orders["total"]:
        return VAT_INCLUSIVE if orders["inclusive"] * 2 >= orders["total"] else US_SALES_TAX
    return US_SALES_TAX if merchant.shop_currency in SALES_TAX_CURRENCIES else VAT_INCLUSIVE


def preview_setup(*, merchant, user) -> SetupPreview:
    """What each template would create; imports the recent orders first when none are imported."""
    notes = _import_first(merchant, user) if not ShopifyOrder.objects.filter(merchant=merchant).exists() else []
    seen = seen_keys(merchant)
    plans = {slug: plan_setup(merchant=merchant, template=template, tax_keys=seen.tax_keys, gateways=seen.gateways)
             for slug, template in CHART_TEMPLATES.items()}
    return SetupPreview(proposed=proposed_template(merchant), plans=plans, seen=seen, notes=notes)


def set_up_accounts(*, merchant, template_slug: str) -> SetupResult:
    seen = seen_keys(merchant)
    return apply_setup(merchant=merchant, template=CHART_TEMPLATES[template_slug], tax_keys=seen.tax_keys,
                       gateways=seen.gateways)


def _import_first(merchant, user) -> list[str]:
    """Import the shop's recent orders so their gateways and tax rates get accounts, as any sync
    started by hand runs: in the background when the shop allows it, else here; say how it went."""
    if not merchant.is_enabled or not merchant.access_token:
        return ["No orders are imported yet and the shop cannot be read now (it is disabled or has no access "
                "token), so no account is made per payment gateway or tax rate yet; general accounts take "
                "them until you set up accounts again after the first import."]
    today = timezone.now().astimezone(ZoneInfo(merchant.time_zone)).date()
    since = today - timedelta(days=FIRST_IMPORT_DAYS)
    if merchant.allow_background_syncs:
        try:
            start_in_background(merchant=merchant, report_number=SYNC_ORDERS_REPORT, user=user,
                                raw_parameters={"created_from": since.isoformat()})
        except QueueError as exc:
            return [f"No orders are imported yet, and importing them could not start: {exc}."]
        return [f"No orders are imported yet: the orders since {since} are being imported in the background "
                "(see Sync runs). Set up accounts again once that has finished to get an account per payment "
                "gateway and tax rate; confirming now sets up general accounts for them."]
    try:
        run = run_now(merchant=merchant, report_number=SYNC_ORDERS_REPORT, user=user, trigger=RunTrigger.FOREGROUND,
                      raw_parameters={"created_from": since.isoformat()},
                      description="Sync orders before setting up accounts")
    except CategoryBusy:
        return ["No orders are imported yet, and an order import is running now: set up accounts again when it "
                "has finished to get an account per payment gateway and tax rate."]
    except QueueError as exc:
        return [f"No orders are imported yet, and importing them failed: {exc}."]
    if run.status == RunStatus.ERROR:
        return [f"No orders are imported yet, and importing the orders since {since} failed: {run.message}. "
                "Accounts per payment gateway and tax rate come with the next setup."]
    return [f"No orders were imported yet, so syncsite imported those since {since} first: "
            f"{run.counts_in_words()}."]
