"""What the Shopify connector adds to the shop card: Test connection, and the Auto sync orders
switch that subscribes the shop's webhooks (M1, S3)."""
from __future__ import annotations

from connectors.shopify.connection_check import check_connection
from connectors.shopify.errors import ShopifyError
from connectors.shopify.webhooks.subscriptions import WebhookSetupError, callback_url
from connectors.shopify.webhooks.switch import apply_auto_sync_orders
from core.shop_card import (
    ShopCardAction,
    ShopCardActionFailed,
    ShopCardActionUnavailable,
    ShopCardOutcome,
    ShopCardRule,
    register_action,
    register_rule,
)

TEST_CONNECTION_POSITION = 1000   # after every sync button


def test_connection(*, merchant, **kwargs) -> ShopCardOutcome:
    if not merchant.access_token:
        raise ShopCardActionUnavailable("no access token is stored; enter one on the shop card first")
    try:
        report = check_connection(merchant=merchant)
    except ShopifyError as exc:
        raise ShopCardActionFailed(f"the connection test failed: {exc}") from exc
    return ShopCardOutcome(report.summary(), warnings=report.warnings)


def auto_sync_orders_problems(merchant, cleaned: dict, changed: set[str]) -> dict[str, str]:
    """Turning it on needs an address Shopify can call: checked with the form, so it is a form error."""
    if not cleaned.get("auto_sync_orders") or (merchant.pk and merchant.auto_sync_orders):
        return {}
    try:
        callback_url()
    except WebhookSetupError as exc:
        return {"auto_sync_orders": str(exc)}
    return {}


def subscribe_after_save(merchant) -> tuple[bool, str]:
    # Shopify is called after the save's transaction, never while it holds the database.
    outcome = apply_auto_sync_orders(merchant)
    return outcome.ok, outcome.message


def register() -> None:
    register_action(ShopCardAction(slug="test_connection", label="Test connection",
                                   position=TEST_CONNECTION_POSITION,
                                   request_page=lambda merchant, user: None, start=test_connection))
    register_rule(ShopCardRule("auto_sync_orders_webhooks", frozenset({"auto_sync_orders"}),
                               check=auto_sync_orders_problems, after_commit=subscribe_after_save))
