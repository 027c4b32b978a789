"""Every time shown says its zone: a shop's pages in the shop's zone, lists across shops each row in
its own shop's zone, with the zone's abbreviation."""
import datetime as dt

from django.urls import reverse
from django.utils.html import strip_tags

from syncjobs.queue.models import EntryStatus
from tests.factories.merchants import MerchantFactory
from tests.factories.shopify import ShopifyOrderFactory
from tests.factories.syncjobs import JobQueueEntryFactory, SyncRunFactory
from tests.factories.users import merchant_user

LATE_EVENING_UTC = dt.datetime(2025, 3, 9, 23, 30, tzinfo=dt.timezone.utc)  # already the 10th in Paris


def test_a_merchant_user_sees_order_times_in_the_shops_time_zone(db, login, staff):
    merchant = MerchantFactory(time_zone="Europe/Paris")
    ShopifyOrderFactory(merchant=merchant, created_at=LATE_EVENING_UTC)
    url = reverse("admin:shopify_shopifyorder_changelist")

    as_merchant = login(merchant_user(merchant)).get(url).content.decode()
    as_staff = login(staff).get(url).content.decode()

    assert "2025-03-10 00:30 CET" in as_merchant
    assert "2025-03-10 00:30 CET" in as_staff   # each row in its own shop's zone, whoever looks


PARIS_NIGHT = "2025-03-10 00:30 CET"
NEW_YORK_EVENING = "2025-03-09 19:30 EDT"   # the same instant, just after New York's spring-forward


def test_a_runs_page_shows_its_title_and_times_in_its_shops_zone_even_to_staff(login, staff):
    run = SyncRunFactory(merchant=MerchantFactory(time_zone="Europe/Paris"), started_at=LATE_EVENING_UTC,
                         ended_at=LATE_EVENING_UTC + dt.timedelta(minutes=2))

    page = login(staff).get(reverse("admin:syncjobs_syncrun_change", args=[run.pk])).content.decode()

    assert f"Sync Orders from Shopify at {PARIS_NIGHT}" in page                  # the title
    assert PARIS_NIGHT in page and "2025-03-10 00:32 CET" in page                # started, ended
    assert "UTC" not in strip_tags(page).split("Skip to main content")[-1]


def test_a_list_across_shops_shows_each_row_in_its_own_shops_zone(login, staff):
    SyncRunFactory(merchant=MerchantFactory(time_zone="Europe/Paris"), started_at=LATE_EVENING_UTC)
    SyncRunFactory(merchant=MerchantFactory(time_zone="America/New_York"), started_at=LATE_EVENING_UTC)

    runs = login(staff).get(reverse("admin:syncjobs_syncrun_changelist")).content.decode()
    center = login(staff).get(reverse("admin:index")).content.decode()

    for page in (runs, center):
        assert PARIS_NIGHT in page and NEW_YORK_EVENING in page


def test_a_time_typed_on_a_shops_page_is_a_time_in_the_shops_zone(login, staff):
    entry = JobQueueEntryFactory(merchant=MerchantFactory(time_zone="Europe/Paris"), status=EntryStatus.ON_HOLD)
    url = reverse("admin:syncjobs_jobqueueentry_change", args=[entry.pk])
    client = login(staff)
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
    data.update({"earliest_start_at_0": "2025-07-01", "earliest_start_at_1": "10:00:00", "category": entry.category_id,
                 "merchant": entry.merchant_id, "description": "", "parameters": "{}"})

    client.post(url, {k: v for k, v in data.items() if k != "earliest_start_at"})

    entry.refresh_from_db()
    assert entry.earliest_start_at == dt.datetime(2025, 7, 1, 8, 0, tzinfo=dt.UTC)   # 10:00 CEST


def test_the_shop_cards_daily_sync_state_says_its_zone(login, staff):
    merchant = MerchantFactory(time_zone="America/New_York", daily_sync_enabled=False,
                               daily_sync_disabled_reason="31 days failed", daily_sync_disabled_at=LATE_EVENING_UTC,
                               posting_mode="daily_summary")

    card = login(staff).get(reverse("admin:merchants_merchant_change", args=[merchant.pk])).content.decode()

    assert f"off since {NEW_YORK_EVENING}: 31 days failed" in card


def test_request_pages_say_their_dates_are_days_of_the_shops_zone(login, staff):
    merchant = MerchantFactory(time_zone="America/New_York", access_token="shpat_x")

    page = login(staff).post(reverse("admin:merchants_merchant_action", args=[merchant.pk]),
                             {"action": "sync_orders"}).content.decode()

    assert "Dates are calendar days in the shop's time zone, America/New_York." in page
