"""Report 30109 Sync Shipments to Shopify: not built yet. It is registered under its number, shown for what it is,
and fails its run with a plain message; it never pretends to sync. Replace this module when it is built."""
from __future__ import annotations

from syncjobs.reports.base import NotBuiltReport, register


@register
class SyncShipmentsReport(NotBuiltReport):
    number = 30109
    name = "Sync Shipments to Shopify"
    button_label = "Sync shipments"
    button_position = 20
