"""Numbered reports (J6), one module each. Importing this package registers every report module in it."""
from __future__ import annotations

import importlib
import pkgutil

from syncjobs.reports.base import REPORTS, Report, RunContext, get_report

NOT_REPORTS = frozenset({"base"})


def report_modules() -> list[str]:
    """The dotted names of the report modules on disk: every module of this package but the base."""
    return sorted(f"{__name__}.{info.name}" for info in pkgutil.iter_modules(__path__)
                  if info.name not in NOT_REPORTS and not info.ispkg)


for _module in report_modules():
    importlib.import_module(_module)

__all__ = ["REPORTS", "Report", "RunContext", "get_report", "report_modules"]
