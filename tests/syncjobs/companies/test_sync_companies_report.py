"""Report 30114 as the queue runs it: what its run log says, the locations it could not map as skipped
records with their reason, the ledger customers Shopify refused as failures, and a shop without B2B
that succeeds saying so."""
from __future__ import annotations

from connectors.ledger.records import CustomerData
from connectors.ledger.target import target_for
from syncjobs.catalogs.models import CatalogLink
from syncjobs.queue.execution import run_now
from syncjobs.queue.models import RunStatus, RunTrigger, SkippedRecord
from syncjobs.reports.base import get_report
from tests.syncjobs.companies.helpers import LOCATIONS, b2b_merchant, set_card


def run_report(merchant):
    return run_now(merchant=merchant, report_number=30114, raw_parameters={}, user=None,
                   trigger=RunTrigger.FOREGROUND)


def test_the_report_is_built_hourly_and_keeps_its_place_on_the_shop_card():
    report = get_report(30114)
    assert (report.is_implemented, report.name, report.button_label, report.button_position,
            report.recurring_minutes) == (True, "Sync Companies", "Sync companies", 70, 60)


def test_a_run_logs_what_it_linked_and_lists_each_unmapped_location_with_its_reason(merchant):
    # given
    (default,) = target_for(merchant).create_customers(merchant, [CustomerData(name="B2B customers")])

    # when
    unmapped = run_report(merchant)
    set_card(merchant, default_company_no=default.number)
    defaulted = run_report(merchant)

    # then
    assert (unmapped.status, unmapped.read, unmapped.created, unmapped.skipped) == (
        RunStatus.SUCCESS, LOCATIONS, 0, LOCATIONS)
    assert "8 companies read from Shopify: 8 new, 0 changed" in unmapped.log
    skipped = SkippedRecord.objects.filter(run=unmapped)
    assert skipped.count() == LOCATIONS
    office = skipped.get(record="company location Pioneer Supply Co.")
    assert office.shopify_id.startswith("gid://shopify/CompanyLocation/")
    assert "no ledger customer has the main contact's email or phone" in office.reason
    assert skipped.filter(record="company location Adirondack Trading LLC — Brooklyn Warehouse").exists()
    assert (defaulted.status, defaulted.read, defaulted.skipped) == (RunStatus.SUCCESS, LOCATIONS, 0)
    assert f"{LOCATIONS} to the default company" in defaulted.log


def test_a_ledger_customer_shopify_refuses_is_a_failure_naming_it(db, simulator):
    eu = b2b_merchant(simulator, "demo-eu", company_import="none")
    (acme,) = target_for(eu).create_customers(eu, [CustomerData(name="Acme SARL", b2b_company=True)])

    run = run_report(eu)

    (failure,) = run.errors.all()
    assert (failure.object, failure.shopify_id) == ("ledger customer", acme.number)
    assert "B2B is not available on this shop" in failure.reason
    assert run.failed == 1


def test_a_shop_without_b2b_succeeds_saying_it_has_no_companies(db, simulator):
    eu = b2b_merchant(simulator, "demo-eu", auto_create_unknown_companies=True)

    run = run_report(eu)

    assert (run.status, run.read, run.created, run.failed) == (RunStatus.SUCCESS, 0, 0, 0)
    assert "the shop has no B2B companies" in run.log


def test_with_auto_create_catalog_a_company_new_to_shopify_gets_a_catalog_of_its_own_once(merchant):
    """demo-us's company locations each have a catalog already; the company exported from the ledger
    gets its own, priced for its customer, and a second run creates none."""
    # given
    set_card(merchant, auto_create_unknown_companies=True, auto_create_catalog=True)
    (acme,) = target_for(merchant).create_customers(merchant, [CustomerData(
        name="Acme Wholesale", b2b_company=True, address="1 Broadway", city="New York", country="US")])

    # when
    first = run_report(merchant)
    second = run_report(merchant)

    # then
    assert first.status == RunStatus.SUCCESS, first.message
    assert "auto-create catalog: 1 catalog created for the company locations mapped or exported in this run, " \
           "0 failed" in first.log
    (catalog,) = CatalogLink.objects.filter(merchant=merchant).exclude(customer_no="")
    assert (catalog.title, catalog.customer_no, catalog.sync_prices) == ("Acme Wholesale", acme.number, True)
    assert "auto-create catalog" not in second.log
