"""Report 30108 Sync Products: not built yet. It is registered under its number, shown for what it is,
and fails its run with a plain message; it never pretends to sync. Replace this module when it is built."""
from __future__ import annotations

from syncjobs.reports.base import NotBuiltReport, register


@register
class SyncProductsReport(NotBuiltReport):
    number = 30108
    name = "Sync Products"
    button_label = "Sync products"
    button_position = 30
