"""Report 30107 Sync Images: not built yet. It is registered under its number, shown for what it is,
and fails its run with a plain message; it never pretends to sync. Replace this module when it is built."""
from __future__ import annotations

from syncjobs.reports.base import NotBuiltReport, register


@register
class SyncImagesReport(NotBuiltReport):
    number = 30107
    name = "Sync Images"
    button_label = "Sync images"
    button_position = 50
