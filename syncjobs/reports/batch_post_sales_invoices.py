"""Report 297 Batch Post Sales Invoices: not built yet. It is registered under its number, shown for what it is,
and fails its run with a plain message; it never pretends to sync. Replace this module when it is built."""
from __future__ import annotations

from syncjobs.reports.base import NotBuiltReport, register


@register
class BatchPostSalesInvoicesReport(NotBuiltReport):
    number = 297
    name = "Batch Post Sales Invoices"
