"""Auto sync orders (the shop card's switch): the shop's webhook subscriptions to syncsite's URL.
Someone waits at the page, so the client makes two tries with short timeouts.

Shopify calls back SYNCSITE_PUBLIC_URL + /webhooks/shopify/. Subscribing first lists what the shop
already sends to that URL, so a second subscribe (a demo restart, a switch turned on twice) adds
only what is missing; a failure half-way removes what this call created.
"""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from connectors.shopify.client import ClientSettings, ShopifyClient
from connectors.shopify.documents import document
from connectors.shopify.errors import ShopifyError, ShopifyMalformedResponse, ShopifyUserErrors

# Orders, stock and fulfillments kept current without a full read; the app's removal; bulk exports done.
TOPICS = ("ORDERS_CREATE", "ORDERS_UPDATED", "APP_UNINSTALLED", "BULK_OPERATIONS_FINISH", "INVENTORY_LEVELS_UPDATE",
          "FULFILLMENTS_CREATE", "FULFILLMENTS_UPDATE")
GONE = "does not exist"


class WebhookSetupError(Exception):
    """Why the subscriptions could not be made or removed, for the person at the shop card."""


def callback_url() -> str:
    """Where Shopify sends webhooks: https, or plain http to this machine (the demo's simulator)."""
    base = settings.SYNCSITE_PUBLIC_URL.rstrip("/")
    if not base:
        raise WebhookSetupError("Auto sync orders needs SYNCSITE_PUBLIC_URL, the address Shopify can reach this "
                                "installation at (see README.md, Configuration)")
    parts = urlsplit(base)
    if parts.scheme != "https" and not _is_loopback(parts.hostname or ""):
        raise WebhookSetupError(f"SYNCSITE_PUBLIC_URL must start with https:// (Shopify only calls https), "
                                f"not {base!r}")
    return base + reverse("shopify-webhooks")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def subscribe(merchant, *, client: ShopifyClient | None = None) -> list[str]:
    """Make sure the shop sends every topic in TOPICS to syncsite; the subscriptions' ids."""
    url = callback_url()
    client = client or ShopifyClient.for_merchant(merchant, client_settings=ClientSettings.interactive())
    created: list[str] = []
    try:
        held = {node["topic"]: node["id"] for page in client.pages(
            document("WebhookSubscriptionsTo"), {"callbackUrl": url, "first": 50}, ("webhookSubscriptions",))
            for node in page if node and node.get("topic") and node.get("id")}
        for topic in TOPICS:
            if topic not in held:
                held[topic] = _create(client, topic, url)
                created.append(held[topic])
    except ShopifyError as exc:
        _delete_quietly(client, created)
        raise WebhookSetupError(f"the webhook subscriptions could not be made: {exc}") from exc
    return [held[topic] for topic in TOPICS]


def unsubscribe(merchant, ids: list[str], *, client: ShopifyClient | None = None) -> None:
    """Remove the subscriptions; one the shop no longer has counts as removed."""
    client = client or ShopifyClient.for_merchant(merchant, client_settings=ClientSettings.interactive())
    try:
        for gid in ids:
            _delete(client, gid)
    except ShopifyError as exc:
        raise WebhookSetupError(f"the webhook subscriptions could not be removed: {exc}") from exc


def _create(client: ShopifyClient, topic: str, url: str) -> str:
    result = client.mutate(document("WebhookSubscriptionCreate"), {"topic": topic, "callbackUrl": url},
                           "webhookSubscriptionCreate")
    gid = (result.get("webhookSubscription") or {}).get("id")
    if not gid:
        raise ShopifyMalformedResponse(200)
    return gid


def _delete(client: ShopifyClient, gid: str) -> None:
    result = client.execute(document("WebhookSubscriptionDelete"), {"id": gid}).data.get(
        "webhookSubscriptionDelete") or {}
    errors = [e for e in result.get("userErrors") or [] if GONE not in (e.get("message") or "")]
    if errors:
        raise ShopifyUserErrors("webhookSubscriptionDelete", errors)


def _delete_quietly(client: ShopifyClient, ids: list[str]) -> None:
    for gid in ids:
        try:
            _delete(client, gid)
        except ShopifyError:
            pass  # the subscribe error is the one to report; a later subscribe finds this one again
