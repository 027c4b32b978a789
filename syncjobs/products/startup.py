"""What the product sync tells the registries below it (core) once every app is loaded."""
from __future__ import annotations

import syncjobs.products.listeners  # noqa: F401  (links products as the importers write them)
from core.in_use import register_in_use
from core.record_links import register_related_links
from syncjobs.products import shop_card, tiles
from syncjobs.products.order_lines import items_of_order_links
from syncjobs.products.selectors import item_uses


def register() -> None:
    tiles.register()
    shop_card.register()
    register_related_links("shopify order items", items_of_order_links)
    register_in_use("item", item_uses)
