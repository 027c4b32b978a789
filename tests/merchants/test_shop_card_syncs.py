"""The shop card's sync buttons (J5): a background entry with Allow background syncs on, the run
in the request with it off; Sync orders shows its request page first."""
import pytest
from django.urls import reverse

from connectors.shopify.models import ShopifyOrder
from shopify_simulator.bucket import PLANS, LeakyBucket
from syncjobs.queue.categories import default_category_for
from syncjobs.queue.claims import claim_queued
from syncjobs.queue.models import EntryStatus, JobQueueEntry, RunStatus, RunTrigger, SyncRun
from tests.factories.merchants import MerchantFactory
from tests.factories.syncjobs import JobQueueEntryFactory
from tests.factories.users import merchant_user
from tests.fixtures.job_queue import TEST_REPORT_NUMBER, commits_run_callbacks, take_queued_tasks, work_off_queue
from tests.fixtures.shop_card import messages_of, press


@pytest.fixture
def merchant(db, simulator):
    shop = simulator.shops[0]
    shop.bucket = LeakyBucket(PLANS["unlimited"])
    return MerchantFactory(code="DEMO-EU", shop_domain=shop.domain, api_base_url=simulator.base_url,
                           access_token=shop.access_token, allow_background_syncs=True)




def test_sync_orders_shows_its_request_page_first(merchant, login):
    response = press(login(merchant_user(merchant)), merchant, {"action": "sync_orders"})

    page = response.content.decode()
    assert "Sync orders: request page" in page
    assert 'name="financial_status"' in page and 'name="created_from"' in page
    assert not JobQueueEntry.objects.exists()


def test_a_sync_that_keeps_the_page_waiting_says_it_is_working(merchant, login):
    """Foreground syncs run in the request: after a second the page says so and the buttons rest."""
    client = login(merchant_user(merchant))

    card = client.get(reverse("admin:merchants_merchant_change", args=[merchant.pk])).content.decode()
    request_page = press(client, merchant, {"action": "sync_orders"}).content.decode()

    for page in (card, request_page):
        assert 'class="help working-notice" role="status" hidden' in page and "sync-form" in page


def test_a_disabled_shop_refuses_to_sync_before_any_request_page(merchant, login):
    merchant.is_enabled, merchant.disabled_reason = False, "the app was uninstalled from the shop"
    merchant.save()

    response = press(login(merchant_user(merchant)), merchant, {"action": "sync_orders"})

    assert messages_of(response) == [
        "DEMO-EU is disabled: the app was uninstalled from the shop; enable it on this card to sync again."]
    assert "request page" not in response.content.decode()
    assert not JobQueueEntry.objects.exists()


def test_a_day_before_shopify_existed_is_a_form_error_not_a_failed_search(merchant, login):
    # Year 1 once went to Shopify as "1-01-01T…" and failed the run after six retries.
    response = press(login(merchant_user(merchant)), merchant, {
        "action": "sync_orders", "request_page": "1", "created_from": "0001-01-01"})

    assert "Shopify holds no order before 2006; choose a later day." in response.content.decode()
    assert not JobQueueEntry.objects.exists()


def test_a_request_page_that_is_not_valid_shows_its_errors_and_starts_nothing(merchant, login):
    response = press(login(merchant_user(merchant)), merchant, {
        "action": "sync_orders", "request_page": "1", "created_from": "2025-03-10", "created_to": "2025-03-01"})

    assert "The date range ends before it starts." in response.content.decode()
    assert not JobQueueEntry.objects.exists()


def test_with_background_syncs_on_the_sync_is_queued_and_its_run_has_the_counts(merchant, simulator, login):
    user = merchant_user(merchant)
    client = login(user)

    response = press(client, merchant, {"action": "sync_orders", "request_page": "1", "financial_status": "paid"})

    entry = JobQueueEntry.objects.get()
    assert messages_of(response) == ["Sync orders: the sync was scheduled in the background. See its run."]
    assert (entry.parameters, entry.created_by, entry.category) == (
        {"financial_status": "paid"}, user, default_category_for(merchant))
    assert not SyncRun.objects.exists()          # the request did not run it

    work_off_queue()
    run = SyncRun.objects.get(entry=entry)
    paid = ShopifyOrder.objects.filter(merchant=merchant).count()
    assert run.status == RunStatus.SUCCESS and run.created == paid > 0
    assert run.started_by == user   # the person who pressed, though a worker ran it
    assert set(ShopifyOrder.objects.values_list("financial_status", flat=True)) == {"PAID"}

    runs_page = client.get(f"{reverse('admin:syncjobs_syncrun_changelist')}?entry={entry.pk}")
    assert runs_page.status_code == 200 and list(runs_page.context["cl"].result_list) == [run]


def test_pressing_again_before_it_started_does_not_queue_the_sync_twice(merchant, login):
    client = login(merchant_user(merchant))
    paid = {"action": "sync_orders", "request_page": "1", "financial_status": "paid"}

    press(client, merchant, paid)
    again = press(client, merchant, paid)
    other = press(client, merchant, {**paid, "financial_status": "pending"})

    assert messages_of(again) == ["Sync orders is already scheduled and waiting to start; it was not scheduled "
                                  "twice. See its run."]
    assert messages_of(other) == ["Sync orders: the sync was scheduled in the background. See its run."]
    assert sorted(JobQueueEntry.objects.values_list("parameters__financial_status", flat=True)) == ["paid", "pending"]


def test_with_background_syncs_off_the_sync_runs_in_the_request(merchant, simulator, login):
    merchant.allow_background_syncs = False
    merchant.save()
    total = simulator.shops[0].total_orders

    response = press(login(merchant_user(merchant)), merchant, {"action": "sync_orders", "request_page": "1"})

    run = SyncRun.objects.get()
    assert messages_of(response) == [
        f"Sync orders finished: {total} orders read, {total} new. See the run."]
    assert (run.trigger, run.status) == (RunTrigger.FOREGROUND, RunStatus.SUCCESS)
    assert not take_queued_tasks()


def test_a_foreground_sync_is_refused_while_another_sync_of_the_shop_runs(merchant, login, scripted_report):
    merchant.allow_background_syncs = False
    merchant.save()
    running = JobQueueEntryFactory(merchant=merchant, category=default_category_for(merchant),
                                   report_number=TEST_REPORT_NUMBER)
    claim_queued(running.pk, running.earliest_start_at)

    response = press(login(merchant_user(merchant)), merchant, {"action": "sync_orders", "request_page": "1"})

    (message,) = messages_of(response)
    assert message.startswith("Sync orders was not started: DEMO-EU's syncs are busy: Scripted Test Report started ")
    assert SyncRun.objects.count() == 1


def test_a_background_sync_waits_while_another_sync_of_the_shop_runs(merchant, login, scripted_report):
    running = JobQueueEntryFactory(merchant=merchant, category=default_category_for(merchant),
                                   report_number=TEST_REPORT_NUMBER)
    claim = claim_queued(running.pk, running.earliest_start_at)

    press(login(merchant_user(merchant)), merchant, {"action": "sync_orders", "request_page": "1"})
    (task,) = take_queued_tasks()
    from syncjobs.queue.execution import execute, run_queued_entry
    run_queued_entry(*task)

    queued = JobQueueEntry.objects.get(report_number=30104)
    assert queued.status == EntryStatus.WAITING
    with commits_run_callbacks():
        execute(claim)
    work_off_queue()
    queued.refresh_from_db()
    assert queued.status == EntryStatus.FINISHED
    assert queued.runs.get().status == RunStatus.SUCCESS


def test_a_failed_foreground_sync_shows_the_plain_error_and_links_the_run(merchant, login):
    merchant.allow_background_syncs = False
    merchant.access_token = "shpat_revoked"
    merchant.save()

    response = press(login(merchant_user(merchant)), merchant, {"action": "sync_orders", "request_page": "1"})

    assert messages_of(response) == ["Sync orders failed: the access token was rejected (401). See the run."]
    run = SyncRun.objects.get()
    assert run.message == "the access token was rejected (401)"
    assert f'href="{reverse("admin:syncjobs_syncrun_change", args=[run.pk])}"' in response.content.decode()
