"""Report 30115 Sync Catalogs: not built yet. It is registered under its number, shown for what it is,
and fails its run with a plain message; it never pretends to sync. Replace this module when it is built."""
from __future__ import annotations

from syncjobs.reports.base import NotBuiltReport, register


@register
class SyncCatalogsReport(NotBuiltReport):
    number = 30115
    name = "Sync Catalogs"
    button_label = "Sync catalogs"
    button_position = 90
