"""`manage.py sync`: a report in the foreground, ending with one line of counts."""
import io
import re

import pytest
from django.core.management import CommandError, call_command

from shopify_simulator.bucket import PLANS, LeakyBucket
from tests.factories.merchants import MerchantFactory


@pytest.fixture
def merchant(db, simulator):
    shop = simulator.shops[0]
    shop.bucket = LeakyBucket(PLANS["unlimited"])
    return MerchantFactory(code="DEMO-EU", shop_domain=shop.domain, api_base_url=simulator.base_url,
                           access_token=shop.access_token)


def sync(*args) -> str:
    out = io.StringIO()
    call_command("sync", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_sync_orders_imports_the_store_and_a_second_run_changes_nothing(merchant, simulator, settings):
    settings.SHOPIFY_CLIENT = {**settings.SHOPIFY_CLIENT, "backoff_base": 0.01}
    total = simulator.shops[0].total_orders

    first = sync("30104", "--merchant", "DEMO-EU")
    second = sync("30104", "--merchant", "DEMO-EU")

    assert first.strip().splitlines() == [f"{total} orders read, {total} new"]
    assert not re.search(r"\d+ (new|changed)", second) and second.count("\n") == 1


def test_request_page_values_are_checked(merchant):
    with pytest.raises(CommandError, match="financial_status: Select a valid choice"):
        sync("30104", "--merchant", "DEMO-EU", "--param", "financial_status=maybe")
    with pytest.raises(CommandError, match="takes NAME=VALUE"):
        sync("30104", "--merchant", "DEMO-EU", "--param", "paid")


def test_reports_not_built_yet_and_unknown_ones_fail_plainly(merchant, not_built_report):
    with pytest.raises(CommandError, match="report 99002 Sync Something Later is not implemented yet"):
        sync("99002", "--merchant", "DEMO-EU")
    with pytest.raises(CommandError, match="there is no report 4242"):
        sync("4242", "--merchant", "DEMO-EU")
    with pytest.raises(CommandError, match="there is no merchant 'NOPE'"):
        sync("30104", "--merchant", "NOPE")


def test_a_rejected_token_ends_the_command_with_the_plain_error(merchant):
    merchant.access_token = "shpat_revoked"
    merchant.save()

    with pytest.raises(CommandError, match=r"^the access token was rejected \(401\)$"):
        sync("30104", "--merchant", "DEMO-EU")


def test_an_unknown_request_page_value_is_refused(merchant):
    with pytest.raises(CommandError, match="bogus: not a field of this request page"):
        sync("30104", "--merchant", "DEMO-EU", "--param", "bogus=1")
