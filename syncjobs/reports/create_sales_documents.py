"""Report 30103 Create Sales Documents: not built yet. It is registered under its number, shown for what it is,
and fails its run with a plain message; it never pretends to sync. Replace this module when it is built."""
from __future__ import annotations

from syncjobs.reports.base import NotBuiltReport, register


@register
class CreateSalesDocumentsReport(NotBuiltReport):
    number = 30103
    name = "Create Sales Documents"
    button_label = "Process orders"
    button_position = 110
