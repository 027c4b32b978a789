"""What this sync domain tells the registries below it (core) and the customer sync once every app
is loaded."""
from __future__ import annotations

import syncjobs.companies.listeners  # noqa: F401  (links company locations as the importer writes them)
from core.in_use import register_in_use
from syncjobs.companies import shop_card, tiles
from syncjobs.companies.linking import customers_of_b2b_orders
from syncjobs.companies.selectors import customer_uses
from syncjobs.customers.linking import register_order_buyers


def register() -> None:
    tiles.register()
    shop_card.register()
    register_order_buyers(customers_of_b2b_orders)
    register_in_use("customer", customer_uses)
