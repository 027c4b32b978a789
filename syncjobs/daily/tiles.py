"""The daily sync's role-center tiles: orders not yet in the ledger, daily syncs in trouble (A1)."""
from __future__ import annotations

from django.urls import reverse

from core.tiles import Tile, register_tile
from syncjobs.daily.calendar import DAILY_SYNC_DISABLED, DAILY_SYNC_FAILING, daily_syncs
from syncjobs.daily.processing import orders_awaiting_the_ledger


def _changelist(name: str, query: str) -> str:
    return f"{reverse(f'admin:{name}_changelist')}?{query}"


def register() -> None:
    register_tile(Tile("unprocessed_orders", "Unprocessed orders", orders_awaiting_the_ledger,
                       lambda: _changelist("shopify_shopifyorder", "awaiting_ledger=yes"), position=40))
    register_tile(Tile("daily_syncs_failing", "Daily syncs failing",
                       lambda merchants: daily_syncs(merchants, DAILY_SYNC_FAILING),
                       lambda: _changelist("merchants_merchant", f"daily_sync={DAILY_SYNC_FAILING}"), position=90))
    register_tile(Tile("daily_syncs_disabled", "Daily syncs disabled",
                       lambda merchants: daily_syncs(merchants, DAILY_SYNC_DISABLED),
                       lambda: _changelist("merchants_merchant", f"daily_sync={DAILY_SYNC_DISABLED}"), position=100))
