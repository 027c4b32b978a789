"""Numbered reports (J6). Importing this package registers every report."""
from syncjobs.reports import catalogue, daily_sales, sync_orders  # noqa: F401  (registration)
from syncjobs.reports.base import REPORTS, Report, RunContext, get_report  # noqa: F401
