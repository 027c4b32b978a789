"""What the ledger tells the registries below it (core) once every app is loaded."""
from __future__ import annotations

from django.urls import reverse

from connectors.ledger import shop_card
from core.record_links import Link, register_fix_link


def register() -> None:
    shop_card.register()
    register_fix_link(_about_a_mapping, _account_mappings)


def _about_a_mapping(reason: str) -> bool:
    return "mapped" in reason or "mapping" in reason


def _account_mappings(merchant_id: int) -> Link:
    url = reverse("admin:ledger_accountmapping_changelist")
    return Link("account mappings", f"{url}?merchant__id__exact={merchant_id}")
