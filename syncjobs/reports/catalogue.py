"""The reports of the spec's R table whose sync has not landed yet.

Each one is registered under its number and fails its run with a plain message; it never
pretends to sync.
"""
from __future__ import annotations

from syncjobs.reports.base import Report, ReportNotImplemented, RunContext, register

NOT_YET_IMPLEMENTED = (
    (30103, "Create Sales Documents"),
    (30109, "Sync Shipments to Shopify"),
    (30108, "Sync Products"),
    (30107, "Sync Images"),
    (30102, "Sync Inventory"),
    (30100, "Sync Customers"),
    (30114, "Sync Companies"),
    (30105, "Sync Payments"),
    (30115, "Sync Catalogs"),
    (30116, "Sync Catalog Prices"),
    (296, "Batch Post Sales Orders"),
    (297, "Batch Post Sales Invoices"),
)


class NotYetImplementedReport(Report):
    is_implemented = False

    def run(self, ctx: RunContext):
        raise ReportNotImplemented(f"report {self.number} {self.name} is not implemented yet")


for _number, _name in NOT_YET_IMPLEMENTED:
    register(type(f"Report{_number}", (NotYetImplementedReport,), {"number": _number, "name": _name}))
