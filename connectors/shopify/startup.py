"""What the Shopify connector tells the registries below it (core) once every app is loaded."""
from __future__ import annotations

from connectors.shopify import shop_card
from connectors.shopify.webhooks import topics


def register() -> None:
    topics.register()
    shop_card.register()
