"""Report 30105 Sync Payments: not built yet. It is registered under its number, shown for what it is,
and fails its run with a plain message; it never pretends to sync. Replace this module when it is built."""
from __future__ import annotations

from syncjobs.reports.base import NotBuiltReport, register


@register
class SyncPaymentsReport(NotBuiltReport):
    number = 30105
    name = "Sync Payments"
    button_label = "Sync payments"
    button_position = 80
