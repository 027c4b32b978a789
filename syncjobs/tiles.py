"""The role center tiles of syncing: orders not yet in the ledger, failed runs, daily syncs in trouble."""
from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse

from merchants.models import PostingMode
from syncjobs.daily.processing import orders_awaiting_the_ledger
from syncjobs.models import DailySyncDay, DayStatus
from syncjobs.run_errors import open_sync_errors
from syncsite.role_center import Tile, register_tile

DAILY_SYNC_FAILING = "failing"
DAILY_SYNC_DISABLED = "disabled"


def daily_syncs(merchants, state: str):
    daily = merchants.filter(posting_mode=PostingMode.DAILY_SUMMARY)
    if state == DAILY_SYNC_DISABLED:
        return daily.filter(daily_sync_enabled=False)
    failed_days = DailySyncDay.objects.filter(merchant=OuterRef("pk"), status=DayStatus.FAILED)
    return daily.filter(Exists(failed_days), daily_sync_enabled=True)


def _changelist(name: str, query: str) -> str:
    return f"{reverse(f'admin:{name}_changelist')}?{query}"


def register() -> None:
    register_tile(Tile("unprocessed_orders", "Unprocessed orders", orders_awaiting_the_ledger,
                       lambda: _changelist("shopify_shopifyorder", "awaiting_ledger=yes"), position=40))
    register_tile(Tile("sync_errors", "Synchronization errors", lambda merchants: open_sync_errors(),
                       lambda: _changelist("syncjobs_syncrun", "status__exact=error&dismissed__exact=0"),
                       position=80))
    register_tile(Tile("daily_syncs_failing", "Daily syncs failing",
                       lambda merchants: daily_syncs(merchants, DAILY_SYNC_FAILING),
                       lambda: _changelist("merchants_merchant", f"daily_sync={DAILY_SYNC_FAILING}"), position=90))
    register_tile(Tile("daily_syncs_disabled", "Daily syncs disabled",
                       lambda merchants: daily_syncs(merchants, DAILY_SYNC_DISABLED),
                       lambda: _changelist("merchants_merchant", f"daily_sync={DAILY_SYNC_DISABLED}"), position=100))
