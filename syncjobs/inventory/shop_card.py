"""The shop card's Inventory panel: which of the shop's Shopify locations sync stock, with a link to
set them (Shop locations)."""
from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html

from core.sentences import counted
from syncjobs.inventory.locations import why_not_synced
from syncjobs.inventory.models import ShopLocation


def shop_locations_summary(merchant) -> str:
    link = f"{reverse('admin:inventory_sync_shoplocation_changelist')}?merchant={merchant.pk}"
    rows = list(ShopLocation.objects.filter(merchant=merchant).select_related("location"))
    if not rows:
        return format_html('no location imported yet: Sync inventory imports them (<a href="{}">Shop locations</a>)',
                           link)
    synced = [row.location.name for row in rows if not why_not_synced(row)]
    said = f"stock synced to {', '.join(synced)}" if synced else "no location syncs stock yet"
    return format_html('{}; {} (<a href="{}">Shop locations</a>)', counted(len(rows), "Shopify location"), said,
                       link)
