"""Report 30102 Sync Inventory: not built yet. It is registered under its number, shown for what it is,
and fails its run with a plain message; it never pretends to sync. Replace this module when it is built."""
from __future__ import annotations

from syncjobs.reports.base import NotBuiltReport, register


@register
class SyncInventoryReport(NotBuiltReport):
    number = 30102
    name = "Sync Inventory"
    button_label = "Sync inventory"
    button_position = 40
