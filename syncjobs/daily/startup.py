"""What the daily sync tells the registries below it (core) once every app is loaded."""
from __future__ import annotations

import syncjobs.daily.adjustments  # noqa: F401  (listens to the order importer)
from syncjobs.daily import shop_card, tiles


def register() -> None:
    shop_card.register()
    tiles.register()
