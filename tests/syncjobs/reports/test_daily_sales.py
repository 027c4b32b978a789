"""Report 1 Daily Sales Sync end to end: import from the simulator, then post one local day."""
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from connectors.ledger.models import Account, AccountMapping, JournalEntry
from connectors.shopify.models import ImportState, ShopifyOrder
from shopify_simulator.bucket import PLANS, LeakyBucket
from syncjobs.queue.models import SyncRun
from syncsite.demo import CHART_OF_ACCOUNTS
from tests.factories.merchants import MerchantFactory


@pytest.fixture
def merchant(db, simulator):
    shop = simulator.shops[0]
    shop.bucket = LeakyBucket(PLANS["unlimited"])
    merchant = MerchantFactory(code="DEMO-EU", shop_domain=shop.domain, api_base_url=simulator.base_url,
                               access_token=shop.access_token, time_zone=shop.profile.time_zone,
                               shop_currency=shop.profile.currency, posting_mode="daily_summary")
    for code, name, account_type, mapped in CHART_OF_ACCOUNTS:
        account = Account.objects.create(merchant=merchant, code=code, name=name.format(tax="VAT"), type=account_type)
        for kind, key in mapped:
            AccountMapping.objects.create(merchant=merchant, kind=kind, key=key, account=account)
    return merchant


def sync(*args) -> str:
    out = io.StringIO()
    call_command("sync", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def busiest_day(merchant):
    sync("30104", "--merchant", merchant.code)
    zone = ZoneInfo(merchant.time_zone)
    days = [o.astimezone(zone).date() for o in ShopifyOrder.objects.filter(is_test=False)
            .values_list("processed_at", flat=True)]
    return max(set(days), key=days.count), days


def test_report_1_posts_one_balanced_journal_for_the_day_and_only_once(merchant):
    day, days = busiest_day(merchant)

    first = sync("1", "--merchant", "DEMO-EU", "--param", f"day={day}")
    second = sync("1", "--merchant", "DEMO-EU", "--param", f"day={day}")

    journal = JournalEntry.objects.get(merchant=merchant, posting_date=day)
    lines = list(journal.lines.all())
    assert first == f"{days.count(day)} orders read, 1 day posted"
    assert second == "0 orders read, 1 day with nothing to post"
    assert sum(x.debit for x in lines) == sum(x.credit for x in lines) > 0
    assert {x.money_kind for x in lines} >= {"sales", "tax", "payment_clearing"}
    run = SyncRun.objects.filter(report_number=1).order_by("started_at").first()
    assert run.period_start < run.period_end and "posted journal" in run.log


def test_an_old_customer_or_product_import_does_not_hold_the_day_back(merchant):
    day, days = busiest_day(merchant)
    long_ago = dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc) - dt.timedelta(days=30)   # before it
    for kind in (ImportState.Kind.CUSTOMERS, ImportState.Kind.PRODUCTS):
        ImportState.objects.create(merchant=merchant, kind=kind, watermark=long_ago)

    posted = sync("1", "--merchant", "DEMO-EU", "--param", f"day={day}")

    assert posted == f"{days.count(day)} orders read, 1 day posted"


def test_a_missing_mapping_fails_the_run_with_the_plain_message_and_the_orders(merchant):
    day, days = busiest_day(merchant)
    AccountMapping.objects.filter(merchant=merchant, kind="sales").delete()

    with pytest.raises(CommandError, match=f"^{day} was not posted: no account is mapped for sales; map it under "
                                           "Account mappings, or press Set up accounts on the shop card$"):
        sync("1", "--merchant", "DEMO-EU", "--param", f"day={day}")

    run = SyncRun.objects.get(report_number=1)
    assert run.status == "error" and run.failed == run.errors.count() >= 1
    assert not JournalEntry.objects.exists()


def test_a_day_not_ended_is_refused(merchant):
    with pytest.raises(CommandError, match="has not ended yet"):
        sync("1", "--merchant", "DEMO-EU", "--param", "day=2099-01-01")


def test_the_recurring_run_before_the_start_date_has_nothing_to_do(merchant):
    import datetime as dt

    merchant.daily_sync_start_date = dt.date.today() + dt.timedelta(days=3)
    merchant.save()

    assert sync("1", "--merchant", "DEMO-EU") == "0 orders read"
    assert "nothing to post yet" in SyncRun.objects.get(report_number=1).log


def test_an_order_that_cannot_be_imported_keeps_the_day_from_being_posted(merchant, simulator):
    import requests

    day, _ = busiest_day(merchant)
    zone = ZoneInfo(merchant.time_zone)
    broken = next(o for o in ShopifyOrder.objects.filter(merchant=merchant, is_test=False)
                  if o.processed_at.astimezone(zone).date() == day)
    requests.post(f"{simulator.base_url}/_simulator/orders/corrupt",
                  json={"shop": merchant.shop_domain, "id": broken.shopify_gid}, timeout=5).raise_for_status()

    with pytest.raises(CommandError, match="^1 record could not be imported, so no day was posted; the run lists "
                                           "it$"):
        sync("1", "--merchant", "DEMO-EU", "--param", f"day={day}")

    run = SyncRun.objects.get(report_number=1)
    assert [e.shopify_id for e in run.errors.all()] == [broken.shopify_gid]
    assert not JournalEntry.objects.exists()
