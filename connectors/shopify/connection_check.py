"""Test connection (the shop card's button): who the token belongs to and what it may do."""
from __future__ import annotations

from dataclasses import dataclass, field

from connectors.shopify.client import ClientSettings, ShopifyClient
from connectors.shopify.documents import document

# Scopes the syncs need, and why, in the words the shop card shows.
NEEDED_SCOPES = {
    "read_orders": "importing orders (report 30104)",
    "read_all_orders": "orders older than 60 days (first import, catch-up of old days)",
    "read_shopify_payments_payouts": "payouts and fees (report 30105 and the daily sync)",
    "read_shopify_payments_disputes": "disputes (report 30105)",
    "read_customers": "customers (report 30100)",
    "read_products": "products (report 30108)",
    "read_inventory": "inventory (report 30102)",
    "write_inventory": "sending stock to Shopify (report 30102)",
    "read_locations": "the shop's locations (report 30102)",
    "write_merchant_managed_fulfillment_orders": "shipments (report 30109)",
}


@dataclass
class ConnectionReport:
    shop_name: str
    domain: str
    plan: str
    currency: str
    time_zone: str
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"connected to {self.shop_name} ({self.domain}, {self.plan} plan, {self.currency}, {self.time_zone})"


def check_connection(*, merchant, client: ShopifyClient | None = None) -> ConnectionReport:
    """Ask Shopify who we are; raises a ShopifyError with a plain message when we cannot."""
    client = client or ShopifyClient.for_merchant(merchant, client_settings=ClientSettings.interactive())
    data = client.execute(document("ShopConnection")).data
    shop = data["shop"]
    scopes = {s["handle"] for s in data["currentAppInstallation"]["accessScopes"]}
    report = ConnectionReport(shop["name"], shop["myshopifyDomain"], shop["plan"]["displayName"],
                              shop["currencyCode"], shop["ianaTimezone"])
    if shop["myshopifyDomain"] != merchant.shop_domain:
        report.warnings.append(f"the token belongs to {shop['myshopifyDomain']}, not to {merchant.shop_domain}")
    if shop["currencyCode"] != merchant.shop_currency:
        report.warnings.append(
            f"the shop's currency is {shop['currencyCode']} but the shop card says {merchant.shop_currency}")
    if shop["ianaTimezone"] != merchant.time_zone:
        report.warnings.append(
            f"the shop's time zone is {shop['ianaTimezone']} but the shop card says {merchant.time_zone}")
    for scope, needed_for in NEEDED_SCOPES.items():
        if scope not in scopes:
            report.warnings.append(f"the app lacks the {scope} access scope, needed for {needed_for}")
    return report
