"""What the payments domain tells the registries below it once every app is loaded."""
from __future__ import annotations

from syncjobs.payments import shop_card, tiles


def register() -> None:
    tiles.register()
    shop_card.register()
