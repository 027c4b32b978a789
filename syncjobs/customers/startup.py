"""What the customer sync tells the registries below it (core) once every app is loaded."""
from __future__ import annotations

import syncjobs.customers.listeners  # noqa: F401  (links customers as the importers write them)
from core.in_use import register_in_use
from core.record_links import register_related_links
from syncjobs.customers import shop_card, tiles
from syncjobs.customers.links import customer_of_order_links
from syncjobs.customers.selectors import customer_uses


def register() -> None:
    tiles.register()
    shop_card.register()
    register_related_links("shopify order customer", customer_of_order_links)
    register_in_use("customer", customer_uses)
