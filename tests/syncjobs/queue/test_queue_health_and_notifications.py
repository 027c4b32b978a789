"""The role center's warning when no worker runs; emails about runs; Create recurring syncs."""
import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from syncjobs.queue.categories import default_category_for
from syncjobs.queue.health import NO_WORKER, queue_warnings, record_queue_pass
from syncjobs.queue.models import EntryStatus, JobQueueEntry
from syncjobs.queue.queue_pass import run_queue_pass
from tests.factories.merchants import MerchantFactory
from tests.factories.syncjobs import JobQueueEntryFactory
from tests.factories.users import merchant_user
from tests.fixtures.job_queue import TEST_REPORT_NUMBER, commits_run_callbacks, work_off_queue

pytestmark = pytest.mark.django_db


def test_the_role_center_warns_when_no_worker_has_run_the_queue(login):
    merchant = MerchantFactory()
    client = login(merchant_user(merchant))

    assert NO_WORKER in client.get(reverse("admin:index")).content.decode().lower()

    run_queue_pass()
    assert NO_WORKER not in client.get(reverse("admin:index")).content.decode().lower()


def test_a_worker_that_starts_runs_a_pass_at_once(login):
    from django_q.signals import post_spawn

    merchant = MerchantFactory()
    due = JobQueueEntryFactory(merchant=merchant, category=default_category_for(merchant),
                               earliest_start_at=timezone.now() - dt.timedelta(hours=1))
    client = login(merchant_user(merchant))

    with commits_run_callbacks():
        post_spawn.send(sender="django_q", proc_name="Process-1")   # what django-q2 sends as a worker starts

    assert NO_WORKER not in client.get(reverse("admin:index")).content.decode().lower()
    due.refresh_from_db()
    assert due.enqueued_for == due.earliest_start_at, "the entry due during the downtime was handed over"


def test_a_pass_three_minutes_old_or_an_entry_late_by_five_are_warnings():
    now = timezone.now()
    record_queue_pass(now - dt.timedelta(minutes=4))
    JobQueueEntryFactory(earliest_start_at=now - dt.timedelta(minutes=12))

    warnings = queue_warnings(now)

    assert warnings[0].startswith(NO_WORKER)
    assert warnings[1] == "queued syncs are late: the oldest due entry has waited 12 minutes to start"


def test_a_merchant_user_is_not_told_about_other_shops_late_entries(login):
    mine = MerchantFactory()
    run_queue_pass()
    JobQueueEntryFactory(earliest_start_at=timezone.now() - dt.timedelta(hours=1), status=EntryStatus.ON_HOLD)
    JobQueueEntryFactory(earliest_start_at=timezone.now() - dt.timedelta(hours=1))   # another shop's

    page = login(merchant_user(mine)).get(reverse("admin:index")).content.decode()

    assert "queued syncs are late" not in page.lower()


def entry_that(merchant, *, outcome, **fields):
    return JobQueueEntryFactory(merchant=merchant, category=default_category_for(merchant),
                                report_number=TEST_REPORT_NUMBER, parameters={"outcome": outcome},
                                maximum_attempts=1, **fields)


def run_queue():
    with commits_run_callbacks():
        run_queue_pass()
    work_off_queue()


def test_a_successful_run_emails_the_shops_users_when_asked(scripted_report, mailoutbox):
    merchant = MerchantFactory(code="DEMO-EU")
    merchant_user(merchant, email="alice@example.com")
    merchant_user(MerchantFactory(), email="someone-else@example.com")
    entry_that(merchant, outcome="ok", notify_on_success=True)
    entry_that(merchant, outcome="ok")

    run_queue()

    (mail,) = mailoutbox
    assert mail.to == ["alice@example.com"]
    assert mail.subject == "[syncsite] Scripted Test Report for DEMO-EU succeeded"
    assert "3 records read, 3 created" in mail.body and "/admin/syncjobs/syncrun/" in mail.body
    assert re.search(r"succeeded at \d{4}-\d\d-\d\d \d\d:\d\d CES?T\.", mail.body)   # the shop's zone, said


def test_a_failed_run_of_a_recurring_entry_emails_but_a_one_off_failure_does_not(scripted_report, mailoutbox):
    merchant = MerchantFactory(code="DEMO-EU")
    merchant_user(merchant, email="alice@example.com")
    entry_that(merchant, outcome="fail", minutes_between_runs=60)
    entry_that(merchant, outcome="fail")

    run_queue()

    (mail,) = mailoutbox
    assert mail.subject == "[syncsite] Scripted Test Report for DEMO-EU failed"
    assert "the shop said no" in mail.body


def test_create_recurring_syncs_makes_one_entry_per_implemented_report_once(login):
    merchant = MerchantFactory(code="DEMO-EU")
    client = login(merchant_user(merchant))

    def press():
        with commits_run_callbacks():
            response = client.post(reverse("admin:merchants_merchant_changelist"),
                                   {"action": "create_recurring_syncs", "_selected_action": [merchant.pk]}, follow=True)
        return [str(m) for m in response.context["messages"]]

    first, second = press(), press()

    daily, customers, inventory, orders, payments, products = JobQueueEntry.objects.order_by("report_number")
    assert (daily.report_number, daily.minutes_between_runs, daily.starting_time) == (1, 1440, dt.time(0, 0))
    assert (customers.report_number, customers.minutes_between_runs) == (30100, 60)
    assert (inventory.report_number, inventory.minutes_between_runs) == (30102, 60)
    assert (orders.report_number, orders.minutes_between_runs) == (30104, 15)
    assert (payments.report_number, payments.minutes_between_runs) == (30105, 180)
    assert (products.report_number, products.minutes_between_runs) == (30108, 60)
    assert {daily.category, customers.category, orders.category} == {default_category_for(merchant)}
    assert orders.status == EntryStatus.READY and orders.earliest_start_at > timezone.now() - dt.timedelta(seconds=5)
    assert first == ["DEMO-EU: created 1 Daily Sales Sync daily at 00:00 Europe/Paris time, 30100 Sync Customers "
                     "every 60 minutes, 30102 Sync Inventory every 60 minutes, 30104 Sync Orders from Shopify every "
                     "15 minutes, 30105 Sync Payments every 180 minutes, 30108 Sync Products every 60 minutes; not "
                     "used with the shop's settings: 30107 Sync Images, 30109 Sync Shipments to Shopify, 30114 Sync "
                     "Companies, 30115 Sync Catalogs, 30116 Sync Catalog Prices."]
    assert second[0].startswith("DEMO-EU: already recurring: 1 Daily Sales Sync, 30100 Sync Customers, 30102 Sync "
                                "Inventory, 30104 Sync Orders from Shopify, 30105 Sync Payments, 30108 Sync Products")


def queue_health_command() -> tuple[int, str]:
    import io

    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("queue_health", stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, err.getvalue()
    return 0, out.getvalue()


def test_queue_health_fails_while_entries_are_due_and_no_queue_pass_runs(settings):
    """What a supervisor runs to restart a wedged cluster (django-q2 issue 23)."""
    settings.QUEUE_PASS_MAX_SILENCE_SECONDS = 60
    merchant = MerchantFactory()
    record_queue_pass(timezone.now() - dt.timedelta(seconds=90))
    assert queue_health_command()[0] == 0   # silent, but nothing is due

    JobQueueEntryFactory(merchant=merchant, earliest_start_at=timezone.now() - dt.timedelta(seconds=5))
    code, said = queue_health_command()

    assert code == 1 and "entries are due and no queue pass ran for over 60 s" in said
    record_queue_pass(timezone.now())
    assert queue_health_command()[0] == 0


def test_queue_health_fails_when_a_due_entry_waits_too_long_although_passes_run(settings):
    settings.QUEUE_ENTRY_MAX_LATENESS_SECONDS = 300
    JobQueueEntryFactory(merchant=MerchantFactory(), earliest_start_at=timezone.now() - dt.timedelta(minutes=6))
    record_queue_pass(timezone.now())

    code, said = queue_health_command()

    assert code == 1 and "a due entry has waited" in said
