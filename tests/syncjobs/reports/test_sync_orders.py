"""Report 30104 Sync Orders: its run counts in its own words and shows how far a first import got."""
import pytest

from shopify_simulator.bucket import PLANS, LeakyBucket
from syncjobs.queue.execution import run_now
from syncjobs.queue.models import RunTrigger
from syncjobs.reports.base import ReportParametersInvalid
from syncjobs.reports.sync_orders import SyncOrdersReport
from tests.factories.merchants import MerchantFactory


@pytest.fixture
def merchant(db, simulator, settings):
    settings.SHOPIFY_CLIENT = {**settings.SHOPIFY_CLIENT, "backoff_base": 0.01}
    shop = simulator.shops[0]
    shop.bucket = LeakyBucket(PLANS["unlimited"])
    return MerchantFactory(code="DEMO-EU", shop_domain=shop.domain, api_base_url=simulator.base_url,
                           access_token=shop.access_token)


def test_a_first_import_knows_how_many_orders_it_reads_and_a_second_says_none_changed(merchant, simulator):
    total = simulator.shops[0].total_orders

    first = run_now(merchant=merchant, report_number=SyncOrdersReport.number, raw_parameters={}, user=None,
                    trigger=RunTrigger.COMMAND)
    second = run_now(merchant=merchant, report_number=SyncOrdersReport.number, raw_parameters={}, user=None,
                     trigger=RunTrigger.COMMAND)

    assert (first.total, first.progress_text) == (total, f"{total} of {total} orders")
    assert first.counts_in_words() == f"{total} orders read, {total} new"
    assert second.total is None   # an incremental run does not know beforehand
    assert second.counts_in_words().startswith(f"{second.read} orders read")
    assert "new" not in second.counts_in_words()


def test_a_request_page_error_of_the_page_as_a_whole_names_no_internal_field():
    with pytest.raises(ReportParametersInvalid) as refused:
        SyncOrdersReport.clean_parameters({"created_from": "2025-03-10", "created_to": "2025-03-01"})

    assert str(refused.value) == ("the request page of report 30104 Sync Orders from Shopify is not valid: The date "
                                  "range ends before it starts.")
