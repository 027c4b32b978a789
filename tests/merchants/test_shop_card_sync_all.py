"""Post daily journal and Sync all on the shop card (M1, J5): the daily sync through the same rule
as every sync, and every built sync of the shop, imports first, the journal last."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from connectors.ledger.account_setup import apply_setup
from connectors.ledger.chart_templates import VAT_INCLUSIVE
from connectors.shopify.models import ShopifyOrder
from shopify_simulator.bucket import PLANS, LeakyBucket
from syncjobs.daily.models import DailySyncDay, DayStatus
from syncjobs.queue.models import JobQueueEntry, RunStatus, SyncRun
from tests.factories.merchants import MerchantFactory
from tests.factories.syncjobs import JobQueueEntryFactory
from tests.factories.users import merchant_user
from tests.fixtures.job_queue import work_off_queue
from tests.fixtures.shop_card import messages_of, press


@pytest.fixture
def merchant(db, simulator):
    shop = simulator.shops[0]
    shop.bucket = LeakyBucket(PLANS["unlimited"])
    merchant = MerchantFactory(code="DEMO-EU", shop_domain=shop.domain, api_base_url=simulator.base_url,
                               access_token=shop.access_token, allow_background_syncs=True,
                               posting_mode="daily_summary")
    apply_setup(merchant=merchant, template=VAT_INCLUSIVE, tax_keys=[], gateways=[])
    return merchant




def test_post_daily_journal_shows_its_day_first_then_queues_report_1(merchant, login):
    client = login(merchant_user(merchant))

    page = press(client, merchant, {"action": "post_daily_journal"}).content.decode()
    press(client, merchant, {"action": "post_daily_journal", "request_page": "1"})

    assert "Post daily journal: request page" in page and 'name="day"' in page
    assert "leave it empty to post yesterday and catch up" in page
    assert list(JobQueueEntry.objects.values_list("report_number", "parameters")) == [(1, {})]


def test_a_shop_that_posts_documents_posts_a_daily_journal_of_its_payments(merchant, login):
    merchant.posting_mode = "documents"
    merchant.save()

    press(login(merchant_user(merchant)), merchant, {"action": "post_daily_journal", "request_page": "1"})

    assert list(JobQueueEntry.objects.values_list("report_number", flat=True)) == [1]


def test_sync_all_queues_every_built_sync_imports_first_and_the_journal_last(merchant, login):
    response = press(login(merchant_user(merchant)), merchant, {"action": "sync_all"})

    entries = JobQueueEntry.objects.order_by("pk")
    assert [e.report_number for e in entries] == [30104, 30108, 30102, 30100, 30105, 1]
    assert messages_of(response) == [
        "Sync all queued to run one after another: Sync orders: the sync was scheduled in the background; Sync "
        "products: the sync was scheduled in the background; Sync inventory: the sync was scheduled in the "
        "background; Sync customers: the sync was scheduled in the background; Sync payments: the sync was "
        "scheduled in the background; Post daily journal: the sync was scheduled in the background."]

    work_off_queue()
    runs = SyncRun.objects.order_by("started_at")
    assert [(r.report_number, r.status) for r in runs] == [
        (30104, RunStatus.SUCCESS), (30108, RunStatus.SUCCESS), (30102, RunStatus.SUCCESS),
        (30100, RunStatus.SUCCESS), (30105, RunStatus.SUCCESS), (1, RunStatus.SUCCESS)]


def test_with_background_syncs_off_sync_all_runs_each_in_turn_and_reports_each(merchant, simulator, login):
    merchant.allow_background_syncs = False
    merchant.save()
    total = simulator.shops[0].total_orders

    response = press(login(merchant_user(merchant)), merchant, {"action": "sync_all"})

    (message,) = messages_of(response)
    assert message.startswith(f"Sync all ran one after another: Sync orders finished: {total} orders read, {total} "
                              "new; Sync products finished: ")
    assert "; Sync customers finished: " in message
    assert "Post daily journal finished: " in message
    assert ShopifyOrder.objects.filter(merchant=merchant).count() == total
    assert [r.report_number for r in SyncRun.objects.order_by("started_at")] == [30104, 30108, 30102, 30100, 30105, 1]


def test_sync_all_of_a_document_shop_processes_orders_and_posts_only_the_days_payments(merchant, login):
    merchant.posting_mode = "documents"
    merchant.save()

    press(login(merchant_user(merchant)), merchant, {"action": "sync_all"})

    assert list(JobQueueEntry.objects.values_list("report_number", flat=True).order_by("pk")) == [
        30104, 30109, 30108, 30102, 30100, 30105, 30103, 1]


def test_the_cards_daily_sync_state_says_since_when_days_fail_and_how_many(merchant, login):
    for n in (3, 4):
        DailySyncDay.objects.create(merchant=merchant, day=dt.date(2025, 3, n), status=DayStatus.FAILED)
    DailySyncDay.objects.create(merchant=merchant, day=dt.date(2025, 3, 5), status=DayStatus.SYNCED)

    card = login(merchant_user(merchant)).get(reverse("admin:merchants_merchant_change", args=[merchant.pk]))

    assert "on; failing since 2025-03-03, 2 days not posted" in card.content.decode()


def test_post_daily_journal_refuses_a_day_that_has_not_ended_on_its_request_page(merchant, login):
    today = timezone.now().astimezone(ZoneInfo(merchant.time_zone)).date()

    page = press(login(merchant_user(merchant)), merchant, {
        "action": "post_daily_journal", "request_page": "1", "day": today.isoformat()}).content.decode()

    assert f"{today} has not ended yet in Europe/Paris" in page
    assert not JobQueueEntry.objects.exists()


def test_the_sync_orders_request_page_says_what_each_filter_does(merchant, login):
    page = press(login(merchant_user(merchant)), merchant, {"action": "sync_orders"}).content.decode()

    assert "With any filter set, it reads every order the filters choose from Shopify again" in page
    assert "One order by its Shopify order no., e.g. #1001." in page
    assert "Orders created on this day or later." in page


def test_post_daily_journal_refuses_a_day_before_the_start_date_on_its_request_page(merchant, login):
    merchant.daily_sync_start_date = dt.date(2025, 3, 10)
    merchant.save()

    page = press(login(merchant_user(merchant)), merchant, {
        "action": "post_daily_journal", "request_page": "1", "day": "2025-03-09"}).content.decode()

    assert "2025-03-09 is before the daily sync&#x27;s start date, 2025-03-10" in page
    assert not JobQueueEntry.objects.exists()


@pytest.mark.parametrize("entry, said", [
    (None, "on; nothing posts by itself yet: no recurring daily sync is scheduled"),
    ("on_hold", "on; its recurring entry is On Hold, so nothing posts by itself"),
    ("ready", "on; next run 2031-01-02 00:00 CET"),
])
def test_the_cards_daily_sync_state_says_when_it_next_posts_or_why_it_will_not(merchant, login, entry, said):
    if entry:
        JobQueueEntryFactory(merchant=merchant, report_number=1, minutes_between_runs=1440, status=entry,
                             earliest_start_at=dt.datetime(2031, 1, 1, 23, 0, tzinfo=dt.UTC))

    card = login(merchant_user(merchant)).get(reverse("admin:merchants_merchant_change", args=[merchant.pk]))

    assert said in card.content.decode()
