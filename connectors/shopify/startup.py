"""What the Shopify connector tells the registries below it (core) once every app is loaded."""
from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from connectors.shopify import shop_card
from connectors.shopify.webhooks import fulfillment_topics, inventory_topics, topics
from core.record_links import Link, register_record_link


def register() -> None:
    topics.register()
    inventory_topics.register()
    fulfillment_topics.register()
    shop_card.register()
    register_record_link("order", _imported_order)


def _imported_order(merchant_id: int, shopify_id: str) -> Link:
    query = urlencode({"merchant__id__exact": merchant_id, "shopify_gid": shopify_id})
    return Link("the imported order", f"{reverse('admin:shopify_shopifyorder_changelist')}?{query}")
