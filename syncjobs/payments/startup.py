"""What the payments domain tells the registries below it once every app is loaded."""
from __future__ import annotations

from core.record_links import register_related_links
from syncjobs.payments import shop_card, tiles
from syncjobs.payments.links import payments_of_order


def register() -> None:
    tiles.register()
    shop_card.register()
    register_related_links("shopify order", payments_of_order)
