"""What the daily sync tells the registries below it (core) once every app is loaded."""
from __future__ import annotations

from django.urls import reverse

import syncjobs.daily.adjustments  # noqa: F401  (listens to the order importer)
from core.record_links import Link, register_fix_link, register_related_links
from syncjobs.daily import shop_card, tiles
from syncjobs.daily.links import journals_of_order, sources_of_journal


def register() -> None:
    shop_card.register()
    tiles.register()
    register_fix_link(_no_account_mapped, _set_up_accounts)
    register_related_links("shopify order", journals_of_order)
    register_related_links("journal entry", sources_of_journal)


def _no_account_mapped(reason: str) -> bool:
    return "no account is mapped" in reason


def _set_up_accounts(merchant_id: int) -> Link:
    # The button is on the shop card.
    return Link("Set up accounts on the shop card", reverse("admin:merchants_merchant_change", args=[merchant_id]))
