"""Report 30116 Sync Catalog Prices: not built yet. It is registered under its number, shown for what it is,
and fails its run with a plain message; it never pretends to sync. Replace this module when it is built."""
from __future__ import annotations

from syncjobs.reports.base import NotBuiltReport, register


@register
class SyncCatalogPricesReport(NotBuiltReport):
    number = 30116
    name = "Sync Catalog Prices"
    button_label = "Sync catalog prices"
    button_position = 100
