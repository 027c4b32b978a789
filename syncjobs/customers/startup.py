"""What the customer sync tells the registries below it (core) once every app is loaded."""
from __future__ import annotations

import syncjobs.customers.listeners  # noqa: F401  (links customers as the importers write them)
from core.shop_card import register_inline
from syncjobs.customers import admin_inlines, tiles


def register() -> None:
    tiles.register()
    register_inline(admin_inlines.CountryDefaultCustomerInline)
