"""Demo data: two merchants with a chart of accounts and mappings, a staff user and merchant users.

Loading is idempotent and keeps what a user changed since: rows are created when missing, never
overwritten.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import requests
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from connectors.ledger.models import Account, AccountMapping, AccountType, Location, PriceList, ShippingAgent
from connectors.shopify.client import ShopifyClient
from connectors.shopify.webhooks.switch import apply_auto_sync_orders
from core.scoping import STAFF_GROUP
from core.secrets import Secret
from merchants.models import (
    CompanyMapping,
    CustomerImport,
    Membership,
    Merchant,
    PostingMode,
    RefundProcess,
    SyncImages,
    SyncItemDirection,
)
from syncjobs.inventory.locations import refresh_shop_locations
from syncjobs.inventory.models import ShopLocation, StockCalculation
from syncjobs.queue.entries import create_recurring_syncs

A = AccountType
DEMO_CATCH_UP_DAYS = 7


@dataclass(frozen=True)
class DemoMerchant:
    code: str
    name: str
    shop_domain: str
    time_zone: str
    currency: str
    user: str
    tax_name: str
    posting_mode: str = PostingMode.DAILY_SUMMARY
    auto_create_customers: bool = True
    item_direction: str = SyncItemDirection.FROM_SHOPIFY
    auto_create_items: bool = True
    item_images: str = SyncImages.NONE
    refund_process: str = RefundProcess.IMPORT_ONLY
    # The ledger location whose stock the shop's primary Shopify location shows ("": stock not synced).
    stock_location: str = ""
    # B2B: how Sync companies maps the shop's companies (None: it imports none), whether it creates the
    # customers it finds no match for, and the ledger price list its catalogs are priced from.
    company_mapping: str | None = None
    auto_create_companies: bool = False
    catalog_price_list: str = ""


DEMO_MERCHANTS = (
    # Sync products fills the ledger's items from Shopify's products, with their pictures.
    DemoMerchant("DEMO-EU", "Demo Boutique (EU)", "demo-eu.myshopify.com", "Europe/Paris", "EUR", "alice", "VAT",
                 item_images=SyncImages.FROM_SHOPIFY),
    # Items made from Shopify's products the first time, then the ledger's prices go to Shopify
    # ("Only sync prices" on Sync products' request page).
    # It sells to companies too: Sync companies makes a ledger customer of each company location, and the
    # catalogs marked "sync prices" take the WHOLESALE price list's prices (the items' where it has none).
    DemoMerchant("DEMO-US", "Demo Outfitters (US)", "demo-us.myshopify.com", "America/New_York", "USD", "bob",
                 "Sales tax", item_direction=SyncItemDirection.TO_SHOPIFY,
                 company_mapping=CompanyMapping.BY_EMAIL_PHONE, auto_create_companies=True,
                 catalog_price_list="WHOLESALE"),
    # A shop whose orders will become sales documents: its customers and products must map to ledger
    # customers and items, and without auto-create the Unmapped tiles show what is left, and why.
    DemoMerchant("DEMO-UK", "Demo Tea Rooms (UK)", "demo-uk.myshopify.com", "Europe/London", "GBP", "carol", "VAT",
                 posting_mode=PostingMode.DOCUMENTS, auto_create_customers=False, auto_create_items=False,
                 refund_process=RefundProcess.AUTO_CREDIT_MEMO, stock_location="MAIN",
                 company_mapping=CompanyMapping.BY_TAX_ID),
)

# The documents shop's parcels go by Royal Mail: a sales order's package tracking no. reaches Shopify
# with the carrier's name and tracking page.
ROYAL_MAIL = {"code": "RM", "name": "Royal Mail", "tracking_company": "Royal Mail",
              "internet_address": "https://www.royalmail.com/track-your-item#/tracking-results/%1"}

# code, name, type, [(kind, key), ...] mapped to it
CHART_OF_ACCOUNTS = (
    ("1010", "Bank", A.ASSET, [("payouts", "")]),
    ("1100", "Accounts receivable", A.ASSET, [("receivables", "")]),
    ("1200", "Shopify Payments clearing", A.ASSET, [("payment_clearing", "shopify_payments")]),
    ("1210", "PayPal clearing", A.ASSET, [("payment_clearing", "paypal")]),
    ("1290", "Other payments clearing", A.ASSET, [("payment_clearing", "")]),
    ("2100", "Gift cards outstanding", A.LIABILITY, [("gift_cards_sold", ""), ("gift_card_redemptions", "")]),
    ("2200", "{tax} payable", A.LIABILITY, [("tax", "")]),
    ("4000", "Sales", A.REVENUE, [("sales", "")]),
    ("4100", "Shipping income", A.REVENUE, [("shipping_income", "")]),
    ("4200", "Sales discounts", A.REVENUE, [("discounts", "")]),
    ("4300", "Tips received", A.REVENUE, [("tips", "")]),
    ("4400", "Sales refunds", A.REVENUE, [("refunds", "")]),
    ("4450", "Returns not restocked", A.EXPENSE, [("non_restock", "")]),
    ("6100", "Payment fees", A.EXPENSE, [("payment_fees", ""), ("fee_refunds", "")]),
    ("6900", "Rounding differences", A.EXPENSE, [("rounding", "")]),
    # Shopify Payments' own movements (Sync payments): disputes, their fees, the reserve, adjustments.
    ("1300", "Shopify Payments reserve", A.ASSET, [("reserves", "")]),
    ("6200", "Chargebacks and disputes", A.EXPENSE, [("disputes", "")]),
    ("6210", "Chargeback fees", A.EXPENSE, [("dispute_fees", "")]),
    ("6300", "Payment provider adjustments", A.EXPENSE, [("shopify_adjustments", ""), ("other_adjustments", "")]),
)


@transaction.atomic
def load_demo() -> list[Merchant]:
    Group.objects.get_or_create(name=STAFF_GROUP)
    _user("admin", superuser=True)
    merchants = []
    for demo in DEMO_MERCHANTS:
        merchant, is_new = Merchant.objects.get_or_create(
            code=demo.code,
            defaults={
                "name": demo.name, "shop_domain": demo.shop_domain, "time_zone": demo.time_zone,
                "shop_currency": demo.currency, "posting_mode": demo.posting_mode,
                "customer_import": CustomerImport.ALL_CUSTOMERS,
                "auto_create_unknown_customers": demo.auto_create_customers,
                "sync_item_direction": demo.item_direction, "auto_create_unknown_items": demo.auto_create_items,
                "sync_item_images": demo.item_images, "refund_process": demo.refund_process,
                "auto_create_accounts": True, "auto_create_code_from": "9000", "auto_create_code_to": "9099",
                "auto_sync_orders": True,   # new orders come in through the simulator's webhooks
                "company_import": CustomerImport.ALL_CUSTOMERS if demo.company_mapping else CustomerImport.NONE,
                "company_mapping": demo.company_mapping or CompanyMapping.BY_EMAIL_PHONE,
                "auto_create_unknown_companies": demo.auto_create_companies,
                "catalog_price_list_code": demo.catalog_price_list,
                # The first daily sync catches the last week up, so the shop card's calendar has a story.
                "daily_sync_start_date": timezone.localdate() - timedelta(days=DEMO_CATCH_UP_DAYS),
            },
        )
        for code, name, account_type, mapped in CHART_OF_ACCOUNTS:
            account, _ = Account.objects.get_or_create(
                merchant=merchant, code=code,
                defaults={"name": name.format(tax=demo.tax_name), "type": account_type},
            )
            for kind, key in mapped:
                AccountMapping.objects.get_or_create(merchant=merchant, kind=kind, key=key,
                                                     defaults={"account": account})
        if demo.catalog_price_list:
            PriceList.objects.get_or_create(merchant=merchant, code=demo.catalog_price_list, defaults={
                "description": "Wholesale prices (B2B catalogs)", "currency": demo.currency})
        if demo.stock_location:
            Location.objects.get_or_create(merchant=merchant, code=demo.stock_location,
                                           defaults={"name": "Main warehouse"})
            ShippingAgent.objects.get_or_create(merchant=merchant, code=ROYAL_MAIL["code"], defaults=ROYAL_MAIL)
        Membership.objects.get_or_create(user=_user(demo.user), merchant=merchant)
        if is_new:
            # On Hold: the demo starts quiet; Set Ready on an entry to watch it recur.
            create_recurring_syncs(merchant=merchant, on_hold=True)
        merchants.append(merchant)
    return merchants


def connect_to_simulator(*, simulator_url: str) -> list[Merchant]:
    """Point the demo merchants at the running simulator: its base URL and each shop's credentials.

    The simulator's shops carry the demo merchants' domains; their tokens come from its control API.
    """
    response = requests.get(f"{simulator_url.rstrip('/')}/_simulator/shops", timeout=10)
    response.raise_for_status()
    shops = {shop["domain"]: shop for shop in response.json()["shops"]}
    connected = []
    for merchant in Merchant.objects.filter(shop_domain__in=list(shops)):
        shop = shops[merchant.shop_domain]
        merchant.api_base_url = simulator_url.rstrip("/")
        merchant.access_token = Secret(shop["access_token"])
        merchant.api_secret_key = Secret(shop["api_secret_key"])
        merchant.save(update_fields=["api_base_url", "access_token", "api_secret_key", "updated_at"])
        connected.append(merchant)
    return connected


def sync_demo_stock_locations(merchants: list[Merchant]) -> list[str]:
    """Import each demo shop's Shopify locations; the first time, the primary one of a shop with a
    stock location shows that ledger location's available stock (Sync inventory sends it)."""
    said = []
    for merchant in merchants:
        demo = next((d for d in DEMO_MERCHANTS if d.code == merchant.code), None)
        if demo is None or not demo.stock_location:
            continue
        had = set(ShopLocation.objects.filter(merchant=merchant).values_list("location__shopify_gid", flat=True))
        locations = refresh_shop_locations(merchant, ShopifyClient.for_merchant(merchant))
        primary = next((row for row in locations if not row.location.is_fulfillment_service), None)
        if primary is not None and primary.location.shopify_gid not in had:
            ShopLocation.objects.filter(pk=primary.pk).update(stock_calculation=StockCalculation.AVAILABLE,
                                                              ledger_locations=demo.stock_location)
            said.append(f"{merchant.code}: {primary.location.name} shows the stock of ledger location "
                        f"{demo.stock_location} (Sync inventory)")
    return said


def subscribe_demo_webhooks(merchants: list[Merchant]) -> list[str]:
    """A restarted simulator has forgotten its webhook subscriptions: those demo merchants with Auto
    sync orders on subscribe again (SYNCSITE_PUBLIC_URL, which dev.py demo sets, is the callback).
    Returns what happened, one line per merchant. Without SYNCSITE_PUBLIC_URL (syncsite run from the
    command line) nothing is subscribed and the switches stay as they are, for the next demo."""
    wanting = [merchant for merchant in merchants if merchant.auto_sync_orders]
    if wanting and not settings.SYNCSITE_PUBLIC_URL:
        return [f"webhooks not subscribed for {', '.join(m.code for m in wanting)}: SYNCSITE_PUBLIC_URL is not "
                "set (python3 dev.py demo sets it); new orders wait for the next sync"]
    return [apply_auto_sync_orders(merchant).message for merchant in wanting]


def _user(username: str, *, superuser: bool = False) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"is_staff": True, "is_superuser": superuser, "email": f"{username}@example.com"}
    )
    if created:
        user.set_password(username)
        user.save(update_fields=["password"])
    return user
