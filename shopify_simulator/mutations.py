"""The mutations the connector uses, with Shopify's userErrors for bad input."""
from __future__ import annotations

from urllib.parse import urlsplit

from shopify_simulator.bulk import start_bulk_query
from shopify_simulator.resolvers import (
    RequestContext,
    order_number,
    subscription_view,
)
from shopify_simulator.shop import WebhookSubscription

_TOPIC_HEADERS = {
    "ORDERS_CREATE": "orders/create",
    "ORDERS_UPDATED": "orders/updated",
    "APP_UNINSTALLED": "app/uninstalled",
    "BULK_OPERATIONS_FINISH": "bulk_operations/finish",
}
SUPPORTED_TOPICS = tuple(_TOPIC_HEADERS)


def topic_header(topic: str) -> str:
    return _TOPIC_HEADERS.get(topic, topic.lower().replace("_", "/", 1))


class MutationRoot:
    def __init__(self, context: RequestContext) -> None:
        self.context = context
        self.shop = context.shop

    def webhookSubscriptionCreate(self, info, topic, webhookSubscription) -> dict:
        url = (webhookSubscription or {}).get("callbackUrl") or ""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return {"webhookSubscription": None,
                    "userErrors": [{"field": ["webhookSubscription", "callbackUrl"], "message": "Address is invalid"}]}
        if topic not in SUPPORTED_TOPICS:
            return {"webhookSubscription": None, "userErrors": [
                {"field": ["topic"], "message": f"The simulator does not deliver {topic} webhooks"}]}
        if topic in self.shop.settings.refused_webhook_topics:
            return {"webhookSubscription": None, "userErrors": [
                {"field": ["topic"], "message": f"This shop refuses {topic} subscriptions (a refusal set for tests)"}]}
        with self.shop.lock:
            if any(s.topic == topic and s.callback_url == url for s in self.shop.webhooks.values()):
                return {"webhookSubscription": None, "userErrors": [
                    {"field": ["webhookSubscription", "callbackUrl"],
                     "message": "Address for this topic has already been taken"}]}
            gid = f"gid://shopify/WebhookSubscription/{1_000_000 + self.shop.next_id()}"
            subscription = WebhookSubscription(gid, topic, url, (webhookSubscription or {}).get("format") or "JSON",
                                               self.context.now)
            self.shop.webhooks[gid] = subscription
        return {"webhookSubscription": subscription_view(subscription), "userErrors": []}

    def webhookSubscriptionDelete(self, info, id) -> dict:
        with self.shop.lock:
            if self.shop.webhooks.pop(id, None) is None:
                return {"deletedWebhookSubscriptionId": None,
                        "userErrors": [{"field": ["id"], "message": "Webhook subscription does not exist"}]}
        return {"deletedWebhookSubscriptionId": id, "userErrors": []}

    def orderUpdate(self, info, input) -> dict:
        number = order_number(self.shop, input.get("id", ""))
        if number is None:
            return {"order": None, "userErrors": [{"field": ["id"], "message": "Order does not exist"}]}
        changes = {}
        if input.get("customAttributes") is not None:
            changes["customAttributes"] = [{"key": a["key"], "value": a.get("value")}
                                           for a in input["customAttributes"]]
        for field in ("note", "email"):
            if input.get(field) is not None:
                changes[field] = input[field]
        if input.get("tags") is not None:
            changes["tags"] = list(input["tags"])
        self.shop.orders.change(number, changes)
        if self.shop.on_event:
            self.shop.on_event(self.shop, "ORDERS_UPDATED", number)
        return {"order": self.shop.orders.view(number), "userErrors": []}

    def bulkOperationRunQuery(self, info, query) -> dict:
        return start_bulk_query(self.context, query)
