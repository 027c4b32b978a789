"""Report 30114 Sync Companies: not built yet. It is registered under its number, shown for what it is,
and fails its run with a plain message; it never pretends to sync. Replace this module when it is built."""
from __future__ import annotations

from syncjobs.reports.base import NotBuiltReport, register


@register
class SyncCompaniesReport(NotBuiltReport):
    number = 30114
    name = "Sync Companies"
    button_label = "Sync companies"
    button_position = 70
