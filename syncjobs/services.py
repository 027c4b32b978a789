"""Running a report for a merchant (the job queue's entries arrive with their issue)."""
from __future__ import annotations

from connectors.shopify.importers.counts import ImportCounts
from syncjobs.reports import RunContext, get_report


def run_report(*, merchant, number: int, raw_parameters: dict | None = None, progress=None) -> ImportCounts:
    """Run report `number` for `merchant` now, in this process; errors propagate with plain messages."""
    report = get_report(number)
    parameters = report.clean_parameters(raw_parameters or {})
    return report().run(RunContext(merchant=merchant, parameters=parameters, progress=progress))
