"""The daily sync over many days (D4–D6): catch-up, auto-disable after 31 failing days, re-enable."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from connectors.ledger.models import AccountMapping, JournalEntry
from connectors.shopify.importers.counts import ImportCounts
from connectors.shopify.models import ShopifyOrder, ShopifyPayout, ShopifyTransaction
from merchants.models import Merchant
from syncjobs.daily.lifecycle import (
    DayFailure,
    apply_daily_sync_settings,
    days_to_sync,
    disable_if_failing,
    failures_summary,
    post_days,
)
from syncjobs.daily.models import DailySyncDay, DayStatus, OrderAdjustment
from syncjobs.daily.processing import orders_awaiting_the_ledger
from tests.factories.ledger import daily_books
from tests.factories.merchants import MerchantFactory
from tests.factories.order_payloads import imported, line, local, order, refund, transaction
from tests.factories.shopify import ShopifyPayoutFactory
from tests.factories.users import merchant_user
from tests.fixtures.shop_card import shop_card_tables_post_data

pytestmark = pytest.mark.django_db
PARIS = "Europe/Paris"
START = dt.date.today() - dt.timedelta(days=40)   # recent, so the shop card's calendar shows these days


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n - 1)


def sale_on(merchant, n: int, *, gift_card: bool = False) -> dict:
    d = day(n)
    at = local(PARIS, d.year, d.month, d.day, 12, 0)
    goods = line("50.00", 1, gift_card=True) if gift_card else line("12.00", 1, [("VAT", 0.2, "2.00")])
    total = "50.00" if gift_card else "12.00"
    return order(at, total=total, lines=[goods], transactions=[transaction("SALE", total, at)])


def daily_run(merchant, planned: dt.date) -> list[str]:
    """What report 1 does once its imports are done: post every day due, then check D5."""
    merchant.refresh_from_db()
    failures = post_days(merchant, days_to_sync(merchant, planned), counts=ImportCounts(), run_id=None,
                         log=lambda message: None)
    disable_if_failing(merchant, planned)
    return failures


def statuses(merchant) -> dict[dt.date, str]:
    return dict(DailySyncDay.objects.filter(merchant=merchant).values_list("day", "status"))


@pytest.fixture
def shop():
    merchant = MerchantFactory(code="DEMO-EU", time_zone=PARIS, daily_sync_start_date=START)
    daily_books(merchant, without=(("gift_cards_sold", ""),))
    return merchant


def test_a_failing_day_is_retried_while_later_days_post_and_caught_up_oldest_first_once_mapped(shop):
    imported(shop, sale_on(shop, 1, gift_card=True), sale_on(shop, 2), sale_on(shop, 3))

    assert [str(f) for f in daily_run(shop, day(1))] == [
        f"{day(1)} was not posted: no account is mapped for sold gift cards; map it under Account mappings, or "
        "press Set up accounts on the shop card"]
    assert len(daily_run(shop, day(2))) == 1                      # day 1 fails again, day 2 posts
    assert statuses(shop) == {day(1): DayStatus.FAILED, day(2): DayStatus.SYNCED}
    AccountMapping.objects.create(merchant=shop, kind="gift_cards_sold", key="",
                                  account=shop.accounts.get(code="2100"))

    assert daily_run(shop, day(3)) == []

    assert set(statuses(shop).values()) == {DayStatus.SYNCED}
    posted = list(JournalEntry.objects.order_by("id").values_list("posting_date", flat=True))
    assert posted == [day(2), day(1), day(3)]                     # the catch-up took day 1 before day 3
    assert DailySyncDay.objects.get(merchant=shop, day=day(1)).attempts == 3


def test_running_the_whole_month_twice_posts_nothing_new(shop):
    AccountMapping.objects.create(merchant=shop, kind="gift_cards_sold", key="",
                                  account=shop.accounts.get(code="2100"))
    imported(shop, *[sale_on(shop, n) for n in range(1, 31)])

    daily_run(shop, day(30))
    daily_run(shop, day(30))

    assert JournalEntry.objects.filter(merchant=shop).count() == 30
    assert set(statuses(shop).values()) == {DayStatus.SYNCED}


def test_a_catch_up_cut_short_by_a_dead_worker_posts_the_rest_on_rerun_and_nothing_twice(shop):
    AccountMapping.objects.create(merchant=shop, kind="gift_cards_sold", key="",
                                  account=shop.accounts.get(code="2100"))
    imported(shop, *[sale_on(shop, n) for n in range(1, 6)])
    # Each day commits on its own: a worker that died after two days left exactly this behind.
    post_days(shop, days_to_sync(shop, day(5))[:2], counts=ImportCounts(), run_id=None, log=lambda m: None)

    daily_run(shop, day(5))

    assert sorted(JournalEntry.objects.values_list("posting_date", flat=True)) == [day(n) for n in range(1, 6)]


def test_31_failing_days_disable_the_sync_and_tell_the_users_but_30_do_not(shop, mailoutbox):
    merchant_user(shop, email="alice@example.com")
    AccountMapping.objects.filter(merchant=shop, kind="sales").delete()
    imported(shop, *[sale_on(shop, n) for n in range(1, 32)])

    daily_run(shop, day(30))
    assert Merchant.objects.get(pk=shop.pk).daily_sync_enabled
    daily_run(shop, day(31))

    shop.refresh_from_db()
    assert not shop.daily_sync_enabled and shop.daily_sync_disabled_at is not None
    assert shop.daily_sync_disabled_reason.startswith(f"the 31 days from {day(1)} to {day(31)} all failed; last: ")
    (mail,) = mailoutbox
    assert mail.to == ["alice@example.com"] and "was disabled" in mail.subject


def test_re_enabling_with_a_new_start_date_skips_the_days_before_it(shop, login):
    AccountMapping.objects.filter(merchant=shop, kind="sales").delete()
    imported(shop, *[sale_on(shop, n) for n in range(1, 34)])
    daily_run(shop, day(31))
    shop.refresh_from_db()
    assert not shop.daily_sync_enabled
    AccountMapping.objects.create(merchant=shop, kind="sales", key="", account=shop.accounts.get(code="4000"))
    client = login(merchant_user(shop))
    url = reverse("admin:merchants_merchant_change", args=[shop.pk])
    card = client.get(url).content.decode()
    assert "off since " in card and f"the 31 days from {day(1)} to {day(31)} all failed" in card, \
        "the card says why the daily sync is off"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, (list, dict))}

    response = client.post(url, {**data, **shop_card_tables_post_data(shop), "daily_sync_enabled": "on",
                                  "daily_sync_start_date": day(30).isoformat(), "access_token": "",
                                  "api_secret_key": ""})
    assert response.status_code == 302
    daily_run(shop, day(33))

    shop.refresh_from_db()
    assert shop.daily_sync_enabled and shop.daily_sync_disabled_reason == ""
    assert sorted(JournalEntry.objects.values_list("posting_date", flat=True)) == [day(30), day(31), day(32), day(33)]
    assert {statuses(shop)[day(n)] for n in range(1, 30)} == {DayStatus.SKIPPED}


def test_a_start_date_cannot_reach_back_over_a_posted_day(shop, login):
    AccountMapping.objects.create(merchant=shop, kind="gift_cards_sold", key="",
                                  account=shop.accounts.get(code="2100"))
    imported(shop, *[sale_on(shop, n) for n in range(1, 4)])
    daily_run(shop, day(3))
    client = login(merchant_user(shop))
    url = reverse("admin:merchants_merchant_change", args=[shop.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, (list, dict))}

    response = client.post(url, {**data, "daily_sync_start_date": day(2).isoformat(), "access_token": "",
                                  "api_secret_key": ""})

    assert response.context["adminform"].form.errors["daily_sync_start_date"] == [
        f"The start date cannot be before {day(4)}: {day(3)} is already posted."]


def test_the_shop_card_calendar_and_the_role_center_tell_the_story(shop, login):
    AccountMapping.objects.filter(merchant=shop, kind="sales").delete()
    imported(shop, *[sale_on(shop, n) for n in range(1, 32)])
    daily_run(shop, day(31))
    client = login(merchant_user(shop))

    card = client.get(reverse("admin:merchants_merchant_change", args=[shop.pk]))
    index = client.get(reverse("admin:index")).content.decode()

    cells = {cell.day: cell.status for cell in card.context["daily_sync_calendar"]}
    shown = [day(n) for n in range(1, 32) if day(n) in cells]
    assert len(shown) >= 20 and {cells[d] for d in shown} == {DayStatus.FAILED}
    after = [d for d in cells if d > day(31)]
    assert after and {cells[d] for d in after} == {DayStatus.PENDING}, "days not run yet are pending, not unplanned"
    assert 'class="day-failed"' in card.content.decode()
    assert f"DEMO-EU</a>:\n      daily sync disabled — the 31 days from {day(1)} to {day(31)} all failed" in index


def test_a_shop_posting_documents_shows_the_calendar_of_its_daily_payments_journals(shop, login):
    shop.posting_mode = "documents"
    shop.save()
    DailySyncDay.objects.create(merchant=shop, day=day(3), status=DayStatus.FAILED)

    card = login(merchant_user(shop)).get(reverse("admin:merchants_merchant_change", args=[shop.pk]))

    assert {cell.day: cell.status for cell in card.context["daily_sync_calendar"]}[day(3)] == DayStatus.FAILED
    assert 'id="daily-sync-calendar"' in card.content.decode()


def journal_lines(merchant, posting_date) -> list[tuple[str, str, str, str]]:
    journal = JournalEntry.objects.get(merchant=merchant, posting_date=posting_date)
    return sorted((x.account.code, x.description, f"{x.debit}", f"{x.credit}")
                  for x in journal.lines.select_related("account"))


@pytest.fixture
def mapped(shop):
    AccountMapping.objects.create(merchant=shop, kind="gift_cards_sold", key="",
                                  account=shop.accounts.get(code="2100"))
    return shop


def today_in_paris() -> dt.date:
    return dt.datetime.now(ZoneInfo(PARIS)).date()


def test_an_order_edited_after_its_day_was_posted_is_adjusted_on_the_day_the_change_was_seen(mapped):
    placed = sale_on(mapped, 1)
    imported(mapped, placed)
    daily_run(mapped, day(1))
    posted_before = journal_lines(mapped, day(1))
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    edited = {**placed, "updatedAt": now, "totalPriceSet": {"shopMoney": {"amount": "24.00"}},
              "lineItems": {"nodes": [line("24.00", 1, [("VAT", 0.2, "4.00")])]},
              "transactions": placed["transactions"] + [transaction("SALE", "12.00", now)]}

    imported(mapped, edited)
    daily_run(mapped, today_in_paris())

    assert journal_lines(mapped, day(1)) == posted_before                      # the old day is never posted again
    assert journal_lines(mapped, today_in_paris()) == sorted([
        ("4000", "Adjustments: sales 20%", "0.00", "10.00"),                 # 20.00 now against 10.00 posted
        ("2200", "Adjustments: tax VAT 20%", "0.00", "2.00"),                # 4.00 against 2.00
        ("1100", "Receivables: adjustments of orders already posted", "12.00", "0.00"),
        ("1200", "Payments received (shopify_payments)", "12.00", "0.00"),   # the extra payment, on its own day
        ("1100", "Receivables: payments of other days' sales", "0.00", "12.00"),
    ])


def test_an_order_imported_after_its_day_was_posted_is_posted_whole_on_the_day_it_arrived(mapped):
    imported(mapped, sale_on(mapped, 2))
    daily_run(mapped, day(2))
    d = day(1)
    late_at = local(PARIS, d.year, d.month, d.day, 9, 0)

    imported(mapped, order(late_at, total="6.00", lines=[line("6.00", 1, [("VAT", 0.2, "1.00")])],
                           transactions=[transaction("SALE", "6.00", late_at)]))
    daily_run(mapped, today_in_paris())

    assert statuses(mapped)[day(1)] == DayStatus.SYNCED                      # posted empty, and never again
    assert not JournalEntry.objects.filter(posting_date=day(1)).exists()
    assert journal_lines(mapped, today_in_paris()) == sorted([
        ("4000", "Adjustments: sales 20%", "0.00", "5.00"), ("2200", "Adjustments: tax VAT 20%", "0.00", "1.00"),
        ("1100", "Receivables: adjustments of orders already posted", "6.00", "0.00"),
        ("1200", "Payments received (shopify_payments), of days already posted", "6.00", "0.00"),
        ("1100", "Receivables: payments of other days' sales", "0.00", "6.00")])


def test_a_refund_read_after_its_day_was_posted_is_posted_on_the_day_it_was_read(mapped):
    placed = sale_on(mapped, 1)
    imported(mapped, placed)
    d = day(2)
    refunded_at = local(PARIS, d.year, d.month, d.day, 10, 0)
    daily_run(mapped, day(2))                                                # day 2 posted without the refund
    goods = placed["lineItems"]["nodes"][0]
    later = {**placed, "updatedAt": dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z"),
             "refunds": [refund(refunded_at, lines=[(goods, 1, "12.00", "2.00")],
                                transactions=[transaction("REFUND", "12.00", refunded_at)])]}
    later["transactions"] = placed["transactions"] + later["refunds"][0]["transactions"]["nodes"]

    imported(mapped, later)
    daily_run(mapped, today_in_paris())

    assert journal_lines(mapped, today_in_paris()) == sorted([
        ("4400", "Refunds, of days already posted", "10.00", "0.00"),
        ("2200", "Tax refunded VAT 20%, of days already posted", "2.00", "0.00"),
        ("1200", "Payments refunded (shopify_payments), of days already posted", "0.00", "12.00")])


def test_a_refund_paid_back_after_its_day_was_posted_moves_its_money_on_the_day_read_so_in_a_catch_up(mapped):
    """A refund read PENDING when its day was posted moved no money there; read SUCCESS days later, its
    money goes out in the journal of the day it was read so, even when a catch-up of many days finds
    nothing else on that day, and never again."""

    placed = sale_on(mapped, 1)
    d = day(2)
    refunded_at = local(PARIS, d.year, d.month, d.day, 10, 0)
    goods = placed["lineItems"]["nodes"][0]
    paid_back = transaction("REFUND", "12.00", refunded_at, status="PENDING")
    pending = {**placed, "updatedAt": refunded_at,
               "refunds": [refund(refunded_at, lines=[(goods, 1, "12.00", "2.00")], transactions=[paid_back])]}
    pending["transactions"] = placed["transactions"] + [paid_back]
    imported(mapped, pending)
    daily_run(mapped, day(2))
    assert journal_lines(mapped, day(2)) == sorted([
        ("4400", "Refunds", "10.00", "0.00"), ("2200", "Tax refunded VAT 20%", "2.00", "0.00"),
        ("1100", "Receivables: payments of other days' sales", "0.00", "12.00")])   # owed back, not yet paid
    # it was first read days before it succeeded
    ShopifyTransaction.objects.filter(kind="REFUND").update(first_seen_at=noon_of(3))
    settled = {**pending, "updatedAt": dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z"),
               "refunds": [{**pending["refunds"][0], "transactions": {"nodes": [{**paid_back, "status": "SUCCESS"}]}}]}
    settled["transactions"] = placed["transactions"] + [{**paid_back, "status": "SUCCESS"}]

    imported(mapped, settled)
    daily_run(mapped, today_in_paris())
    imported(mapped, {**settled, "updatedAt": "2030-01-01T00:00:00Z"})          # read again: nothing new
    daily_run(mapped, today_in_paris() + dt.timedelta(days=1))

    assert journal_lines(mapped, today_in_paris()) == sorted([
        ("1200", "Payments refunded (shopify_payments), of days already posted", "0.00", "12.00"),
        ("1100", "Receivables: sales not yet paid", "12.00", "0.00")])          # what was owed back is paid
    assert not JournalEntry.objects.filter(posting_date=today_in_paris() + dt.timedelta(days=1)).exists()


def test_a_change_that_moves_no_money_posts_nothing(mapped):
    placed = sale_on(mapped, 1)
    imported(mapped, placed)
    daily_run(mapped, day(1))
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")

    imported(mapped, {**placed, "updatedAt": now, "email": "new@example.com"})
    daily_run(mapped, today_in_paris())

    assert not JournalEntry.objects.filter(posting_date=today_in_paris()).exists()


def test_the_runs_message_names_each_missing_account_once_and_groups_other_failures_by_day_spans():
    failures = [DayFailure(dt.date(2025, 5, n), "…", missing=("sales", f"tax (VAT {n}%)")) for n in (1, 2, 3)]
    failures += [DayFailure(dt.date(2025, 5, n), "…", problems=("account 4000 Sales is inactive",)) for n in (6, 7, 9)]

    assert failures_summary(failures, 10) == (
        "6 of 10 days were not posted (4 were): no account is mapped for sales, tax (VAT 1%), tax (VAT 2%) and "
        "tax (VAT 3%); map them under Account mappings, or press Set up accounts on the shop card; 2025-05-06 to "
        "2025-05-07, 2025-05-09: account 4000 Sales is inactive")


def test_changes_seen_on_days_later_skipped_are_dropped_so_later_changes_are_kept(mapped, login):

    placed = sale_on(mapped, 1)
    imported(mapped, placed)
    daily_run(mapped, day(1))
    imported(mapped, {**placed, "updatedAt": "2030-01-01T00:00:00Z", "email": "x@example.com"})
    assert OrderAdjustment.objects.filter(journal_no="").count() == 1

    mapped.daily_sync_start_date = today_in_paris() + dt.timedelta(days=1)
    mapped.save()
    apply_daily_sync_settings(mapped, was_enabled=True)

    assert not OrderAdjustment.objects.exists()


def noon_of(n: int) -> dt.datetime:
    d = day(n)
    return local(PARIS, d.year, d.month, d.day, 12, 0)


def payout_lines(merchant, n: int) -> list[tuple[str, str, str, str]]:
    return [line for line in journal_lines(merchant, day(n)) if "Payouts" in line[1]]


def test_a_payout_that_leaves_after_its_day_was_posted_goes_on_the_day_it_was_read_so_and_is_reversed_once(mapped):
    ShopifyPayoutFactory(merchant=mapped, issued_at=dt.datetime.combine(day(1) - dt.timedelta(days=1), dt.time(9),
                                                                       dt.UTC), net="999.00")   # before the start
    payout = ShopifyPayoutFactory(merchant=mapped, issued_at=dt.datetime.combine(day(2), dt.time(9), dt.UTC),
                                  net="100.00", status="SCHEDULED")
    imported(mapped, *[sale_on(mapped, n) for n in (2, 3, 4)])

    daily_run(mapped, day(2))
    ShopifyPayout.objects.filter(pk=payout.pk).update(status="IN_TRANSIT", left_seen_at=noon_of(3))
    daily_run(mapped, day(3))
    ShopifyPayout.objects.filter(pk=payout.pk).update(status="FAILED", failed_seen_at=noon_of(4))
    daily_run(mapped, day(4))
    daily_run(mapped, day(4))

    assert payout_lines(mapped, 2) == []          # still scheduled then
    assert payout_lines(mapped, 3) == [("1010", "Payouts to the bank, issued earlier", "100.00", "0.00"),
                                       ("1200", "Payouts to the bank, issued earlier", "0.00", "100.00")]
    assert payout_lines(mapped, 4) == [("1010", "Payouts that failed, reversed", "0.00", "100.00"),
                                       ("1200", "Payouts that failed, reversed", "100.00", "0.00")]


def test_a_failed_day_caught_up_after_later_days_were_posted_keeps_its_payout(shop):
    """Once, its payout went into the next day that posted, and the day itself had none when caught up."""
    ShopifyPayoutFactory(merchant=shop, issued_at=noon_of(2), net="100.00")
    imported(shop, sale_on(shop, 2, gift_card=True), sale_on(shop, 3), sale_on(shop, 4))   # no gift-card account

    daily_run(shop, day(4))
    assert [statuses(shop)[day(n)] for n in (2, 3, 4)] == [DayStatus.FAILED, DayStatus.SYNCED, DayStatus.SYNCED]
    assert payout_lines(shop, 3) == payout_lines(shop, 4) == []

    AccountMapping.objects.create(merchant=shop, kind="gift_cards_sold", key="", account=shop.accounts.get(code="2100"))
    daily_run(shop, day(4))

    assert statuses(shop)[day(2)] == DayStatus.SYNCED
    assert payout_lines(shop, 2) == [("1010", "Payouts to the bank", "100.00", "0.00"),
                                     ("1200", "Payouts to the bank", "0.00", "100.00")]


def test_days_posted_out_of_order_each_get_their_own_payouts(mapped):
    for n, net in ((2, "20.00"), (3, "30.00"), (4, "40.00")):
        ShopifyPayoutFactory(merchant=mapped, issued_at=noon_of(n), net=net)
    rows = {n: DailySyncDay.objects.create(merchant=mapped, day=day(n)) for n in (2, 3, 4)}

    for n in (4, 2, 3):
        post_days(mapped, [rows[n]], counts=ImportCounts(), run_id=None, log=lambda message: None)

    assert [payout_lines(mapped, n)[0][2] for n in (2, 3, 4)] == ["20.00", "30.00", "40.00"]


def test_orders_are_processed_when_their_day_is_posted_and_a_late_one_when_it_is_posted_later(mapped):

    imported(mapped, sale_on(mapped, 1), sale_on(mapped, 2), sale_on(mapped, 3))
    awaiting = lambda: sorted(orders_awaiting_the_ledger(Merchant.objects.all()).values_list("name", flat=True))  # noqa: E731
    names = sorted(ShopifyOrder.objects.values_list("name", flat=True))
    assert awaiting() == names

    daily_run(mapped, day(2))

    assert awaiting() == names[2:], "days 1 and 2 are in the ledger, day 3 is not yet"
    d = day(1)
    late_at = local(PARIS, d.year, d.month, d.day, 9, 0)
    imported(mapped, order(late_at, total="6.00", lines=[line("6.00", 1, [("VAT", 0.2, "1.00")])],
                           transactions=[transaction("SALE", "6.00", late_at)]))
    assert len(awaiting()) == 2, "the late order of a posted day waits for the next posting"

    daily_run(mapped, today_in_paris())

    assert awaiting() == []


@pytest.mark.parametrize("who", ["merchant user", "staff"])
@pytest.mark.parametrize("start, error", [
    (dt.date(1, 1, 1), "The start date can be at most 730 days back, {oldest} or later."),
    (dt.date(9999, 12, 31), "The start date cannot be after today ({today})."),
])
def test_a_start_date_far_back_or_ahead_is_a_form_error_for_everyone(shop, login, superuser, who, start, error):
    """A start date of 0001-01-01 once planned 739,952 days in one run and held the shop's syncs for hours."""
    today = dt.datetime.now(ZoneInfo(PARIS)).date()
    client = login(merchant_user(shop) if who == "merchant user" else superuser)
    url = reverse("admin:merchants_merchant_change", args=[shop.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, (list, dict))}

    response = client.post(url, {**data, "daily_sync_start_date": start.isoformat(), "access_token": "",
                                  "api_secret_key": ""})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["daily_sync_start_date"] == [
        error.format(oldest=today - dt.timedelta(days=730), today=today)]
    assert Merchant.objects.get(pk=shop.pk).daily_sync_start_date == START


def test_a_far_back_start_date_stored_before_the_bound_plans_at_most_the_history_allowed(shop, settings):
    settings.DAILY_SYNC_MAX_HISTORY_DAYS = 30
    Merchant.objects.filter(pk=shop.pk).update(daily_sync_start_date=dt.date(1, 1, 1))
    shop.refresh_from_db()

    planned = day(40)
    days = days_to_sync(shop, planned)

    assert len(days) == 31 and days[0].day == planned - dt.timedelta(days=30)
    assert DailySyncDay.objects.filter(merchant=shop).count() == 31


def test_a_two_year_catch_up_settles_its_quiet_days_together_in_a_few_queries(mapped, django_assert_max_num_queries):
    """A start date two years back once meant a dozen queries for each of 700 quiet days."""
    first = today_in_paris() - dt.timedelta(days=700)
    Merchant.objects.filter(pk=mapped.pk).update(daily_sync_start_date=first)
    busy = [first + dt.timedelta(days=n) for n in (0, 350, 699)]
    for d in busy:
        at = local(PARIS, d.year, d.month, d.day, 12, 0)
        imported(mapped, order(at, total="12.00", lines=[line("12.00", 1, [("VAT", 0.2, "2.00")])],
                               transactions=[transaction("SALE", "12.00", at)]))
    mapped.refresh_from_db()
    log = []

    with django_assert_max_num_queries(120):
        failures = post_days(mapped, days_to_sync(mapped, busy[-1]), counts=ImportCounts(), run_id=None,
                             log=log.append)

    assert failures == []
    assert sorted(JournalEntry.objects.filter(merchant=mapped).values_list("posting_date", flat=True)) == busy
    assert set(statuses(mapped).values()) == {DayStatus.SYNCED}
    assert len(statuses(mapped)) == 700
    assert "349 days from" in " ".join(log)


def test_a_payout_whose_day_fails_stays_with_that_day_and_the_quiet_days_after_it_post(mapped):
    AccountMapping.objects.filter(merchant=mapped, kind="payouts").delete()
    ShopifyPayoutFactory(merchant=mapped, issued_at=dt.datetime.combine(day(2), dt.time(9), dt.UTC), net="100.00",
                         status="PAID")
    imported(mapped, sale_on(mapped, 1))

    daily_run(mapped, day(6))

    assert [statuses(mapped)[day(n)] for n in range(1, 7)] == [DayStatus.SYNCED, DayStatus.FAILED] + [
        DayStatus.SYNCED] * 4
