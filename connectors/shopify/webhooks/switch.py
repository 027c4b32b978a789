"""The shop card's Auto sync orders switch: the shop's webhook subscriptions follow it."""
from __future__ import annotations

from dataclasses import dataclass

from connectors.shopify.webhooks.subscriptions import WebhookSetupError, callback_url, subscribe, unsubscribe


@dataclass(frozen=True)
class SwitchOutcome:
    ok: bool
    message: str


def apply_auto_sync_orders(merchant) -> SwitchOutcome:
    """Make the shop's webhook subscriptions match its Auto sync orders switch, after the switch was
    saved (Shopify is called outside any transaction). Subscribing that fails turns the switch back
    off; unsubscribing that fails still forgets the subscriptions (deliveries they bring are ignored)."""
    shop = type(merchant).objects.filter(pk=merchant.pk)
    if merchant.auto_sync_orders:
        try:
            ids = subscribe(merchant)
        except WebhookSetupError as exc:
            shop.update(auto_sync_orders=False)
            merchant.auto_sync_orders = False
            return SwitchOutcome(False, f"Auto sync orders stays off for {merchant.code}: {exc}")
        shop.update(webhook_subscription_ids=ids)
        merchant.webhook_subscription_ids = ids
        return SwitchOutcome(True, f"{merchant.code}'s shop now sends its webhooks (new and changed orders, app "
                                   f"uninstalled, bulk exports finished) to {callback_url()}")
    held, problem = list(merchant.webhook_subscription_ids or []), ""
    try:
        unsubscribe(merchant, held)
    except WebhookSetupError as exc:
        problem = f"{exc}; Shopify may keep sending them, and syncsite ignores them while Auto sync orders is off"
    shop.update(webhook_subscription_ids=[])
    merchant.webhook_subscription_ids = []
    if problem:
        return SwitchOutcome(False, f"Auto sync orders is off for {merchant.code}, but {problem}")
    return SwitchOutcome(True, f"{merchant.code}'s shop no longer sends webhooks to syncsite: new orders wait "
                               "for the next scheduled sync, and an uninstall is noticed at the next sync")
