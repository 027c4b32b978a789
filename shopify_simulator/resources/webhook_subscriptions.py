"""Webhook subscriptions: listed, found by GID, created and deleted, with Shopify's userErrors."""
from __future__ import annotations

from urllib.parse import urlsplit

from shopify_simulator.api.connections import list_connection
from shopify_simulator.api.registry import mutation, node_type, query_field
from shopify_simulator.api.request import RequestContext, iso
from shopify_simulator.api.user_errors import refused
from shopify_simulator.payloads import PAYLOADS
from shopify_simulator.shop import WebhookSubscription


def topic_header(topic: str) -> str:
    """ORDERS_UPDATED → orders/updated, INVENTORY_LEVELS_UPDATE → inventory_levels/update."""
    resource, _, event = topic.lower().rpartition("_")
    return f"{resource}/{event}"


def supported_topics() -> set[str]:
    """The topics the simulator sends: those with a payload, and app/uninstalled (the shop)."""
    return {*PAYLOADS, "APP_UNINSTALLED"}


@query_field("webhookSubscriptions")
def webhook_subscriptions(context: RequestContext, info, topics=None, callbackUrl=None, **args) -> dict:
    subscriptions = [
        subscription_view(s) for s in context.shop.webhooks.values()
        if (not topics or s.topic in topics) and (not callbackUrl or s.callback_url == callbackUrl)
    ]
    return list_connection(subscriptions, args, unlimited=context.bulk)


@node_type("WebhookSubscription")
def subscription_node(context: RequestContext, gid: str, number: int) -> dict | None:
    subscription = context.shop.webhooks.get(gid)
    return subscription_view(subscription) if subscription else None


@mutation("webhookSubscriptionCreate")
def webhook_subscription_create(context: RequestContext, info, topic, webhookSubscription) -> dict:
    shop = context.shop
    url = (webhookSubscription or {}).get("callbackUrl") or ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return refused("webhookSubscription", ["webhookSubscription", "callbackUrl"], "Address is invalid")
    if topic not in supported_topics():
        return refused("webhookSubscription", ["topic"], f"The simulator does not deliver {topic} webhooks")
    if topic in shop.settings.refused_webhook_topics:
        return refused("webhookSubscription", ["topic"],
                       f"This shop refuses {topic} subscriptions (a refusal set for tests)")
    with shop.lock:
        if any(s.topic == topic and s.callback_url == url for s in shop.webhooks.values()):
            return refused("webhookSubscription", ["webhookSubscription", "callbackUrl"],
                           "Address for this topic has already been taken")
        gid = f"gid://shopify/WebhookSubscription/{1_000_000 + shop.next_id()}"
        subscription = WebhookSubscription(gid, topic, url, (webhookSubscription or {}).get("format") or "JSON",
                                           context.now)
        shop.webhooks[gid] = subscription
    return {"webhookSubscription": subscription_view(subscription), "userErrors": []}


@mutation("webhookSubscriptionDelete")
def webhook_subscription_delete(context: RequestContext, info, id) -> dict:
    shop = context.shop
    with shop.lock:
        if shop.webhooks.pop(id, None) is None:
            return refused("deletedWebhookSubscriptionId", ["id"], "Webhook subscription does not exist")
    return {"deletedWebhookSubscriptionId": id, "userErrors": []}


def subscription_view(subscription) -> dict:
    return {
        "__typename": "WebhookSubscription", "id": subscription.gid, "topic": subscription.topic,
        "format": subscription.format, "createdAt": iso(subscription.created_at),
        "updatedAt": iso(subscription.created_at), "apiVersion": {"handle": "2025-01", "displayName": "2025-01",
                                                                  "supported": True},
        "legacyResourceId": subscription.gid.rsplit("/", 1)[1], "includeFields": [], "metafieldNamespaces": [],
        "filter": None, "endpoint": {"__typename": "WebhookHttpEndpoint", "callbackUrl": subscription.callback_url},
    }
