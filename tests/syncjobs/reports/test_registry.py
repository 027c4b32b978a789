"""Every report is one module of syncjobs.reports, registered under its number, with its button."""
import importlib
import inspect
import pkgutil

import syncjobs.reports
from core.shop_card import shop_card_actions
from syncjobs.reports import REPORTS, Report, report_modules
from syncjobs.reports.base import NotBuiltReport


def reports_defined_in(module_name: str) -> list[type[Report]]:
    module = importlib.import_module(module_name)
    return [obj for _, obj in inspect.getmembers(module, inspect.isclass)
            if issubclass(obj, Report) and obj.__module__ == module_name and obj not in (Report, NotBuiltReport)]


def test_each_report_module_on_disk_registers_exactly_one_report_and_nothing_else_is_registered():
    """A report module someone forgot to register, or a report defined elsewhere, fails here."""
    on_disk = sorted(f"syncjobs.reports.{info.name}" for info in pkgutil.iter_modules(syncjobs.reports.__path__)
                     if info.name != "base")
    assert report_modules() == on_disk
    by_module = {name: reports_defined_in(name) for name in on_disk}
    assert all(len(reports) == 1 for reports in by_module.values()), by_module
    defined = {reports[0] for reports in by_module.values()}
    assert {REPORTS[number] for number in REPORTS} == defined
    assert all(REPORTS[report.number] is report for report in defined)


def test_the_fourteen_reports_of_the_spec_are_there():
    spec = {1, 296, 297, 30100, 30102, 30103, 30104, 30105, 30107, 30108, 30109, 30114, 30115, 30116}
    assert spec <= set(REPORTS)


def test_every_report_button_is_on_the_shop_card_in_its_place_before_sync_all_and_test_connection():
    actions = shop_card_actions()
    buttons = sorted((r for r in REPORTS.values() if r.button_label), key=lambda r: r.button_position)
    assert [a.label for a in actions] == [r.button_label for r in buttons] + [
        "Sync all", "Set up accounts", "Test connection"]
