"""What the ledger adds to the shop card: the mapping problems that would stop a run, and the
settings that postings lock (D0, M1, M2)."""
from __future__ import annotations

from connectors.ledger.mappings import mapping_problems
from connectors.ledger.target import target_for
from core.shop_card import ShopCardPanel, ShopCardRule, register_panel, register_rule

# What the postings were made under may not change once there are postings.
LOCKED_ONCE_POSTED = {
    "posting_mode": "the posting mode",
    "time_zone": "the time zone",
    "shop_currency": "the shop currency",
}


def locked_field_problems(merchant, cleaned: dict, changed: set[str]) -> dict[str, str]:
    """For each changed field that postings lock, why it may not change."""
    changed = changed & set(LOCKED_ONCE_POSTED)
    if not changed or merchant.pk is None or not target_for(merchant).has_postings(merchant):
        return {}
    return {name: f"{LOCKED_ONCE_POSTED[name]} cannot change: {merchant.code} already has postings made under it"
            for name in changed}


def register() -> None:
    register_panel(ShopCardPanel("mapping_problems", lambda merchant: mapping_problems(merchant=merchant)))
    register_rule(ShopCardRule("postings_lock_settings", frozenset(LOCKED_ONCE_POSTED), check=locked_field_problems))
