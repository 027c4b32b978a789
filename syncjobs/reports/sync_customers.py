"""Report 30100 Sync Customers: not built yet. It is registered under its number, shown for what it is,
and fails its run with a plain message; it never pretends to sync. Replace this module when it is built."""
from __future__ import annotations

from syncjobs.reports.base import NotBuiltReport, register


@register
class SyncCustomersReport(NotBuiltReport):
    number = 30100
    name = "Sync Customers"
    button_label = "Sync customers"
    button_position = 60
