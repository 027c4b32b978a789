"""What the inventory domain tells the registries below it once every app is loaded."""
from __future__ import annotations

from core.shop_card import ShopCardPanel, register_panel
from syncjobs.inventory.shop_card import shop_locations_summary


def register() -> None:
    register_panel(ShopCardPanel("shop_locations", shop_locations_summary))
