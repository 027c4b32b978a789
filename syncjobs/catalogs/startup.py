"""What the catalog sync tells the registries below it (core) once every app is loaded."""
from __future__ import annotations

from core.in_use import register_in_use
from core.shop_card import ShopCardPanel, register_panel
from syncjobs.catalogs.selectors import price_list_uses
from syncjobs.catalogs.shop_card import catalogs_summary


def register() -> None:
    register_panel(ShopCardPanel("catalogs", catalogs_summary))
    register_in_use("price list", price_list_uses)
