"""Stopping a shop's syncs when it can no longer be reached, e.g. after the app is uninstalled."""
from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from syncjobs.models import EntryStatus, JobQueueEntry

# Everything that would start on its own; a running entry ends by itself (its token no longer works).
WOULD_START = Q(status__in=[EntryStatus.READY, EntryStatus.WAITING, EntryStatus.ERROR])


def suspend_shop_syncs(merchant, *, reason: str) -> int:
    """Disable the shop with `reason` (shown on its card and in the role center) and put its entries
    On Hold; returns how many entries were held. Enabling the shop again clears the reason; the
    entries stay On Hold until someone sets them Ready."""
    from merchants.models import Merchant

    with transaction.atomic():
        Merchant.objects.filter(pk=merchant.pk).update(
            is_enabled=False, disabled_reason=reason[:255], auto_sync_orders=False, webhook_subscription_ids=[],
        )
        held = JobQueueEntry.objects.filter(WOULD_START, merchant=merchant).update(status=EntryStatus.ON_HOLD)
    merchant.refresh_from_db()
    return held
