"""The shop card's Catalogs panel (B2B group): how many of the shop's catalogs take their prices
from the ledger, and when a price sync last ran, with a link to the shop's Catalogs."""
from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html

from core.local_time import in_zone
from core.sentences import counted
from syncjobs.catalogs.selectors import catalog_summary


def catalogs_summary(merchant) -> str:
    link = f"{reverse('admin:catalog_sync_cataloglink_changelist')}?merchant={merchant.pk}"
    summary = catalog_summary(merchant)
    if not summary.catalogs:
        return format_html('no catalog imported yet: Sync catalogs imports the shop\'s B2B catalogs '
                           '(<a href="{}">Catalogs</a>)', link)
    if not summary.priced:
        synced = "none synced from the ledger yet: mark the ones to price under Catalogs"
    elif summary.last_price_sync is None:
        synced = f"{summary.priced} synced from the ledger; no price sync has run yet"
    else:
        synced = (f"{summary.priced} synced from the ledger; last price sync "
                  f"{in_zone(summary.last_price_sync, merchant.time_zone)}")
    return format_html('{}, {} (<a href="{}">Catalogs</a>)', counted(summary.catalogs, "catalog"), synced, link)
