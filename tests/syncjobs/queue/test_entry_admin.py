"""Job queue entries in admin: Business Central's actions, and a form that checks the request page."""
import datetime as dt
import os
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from syncjobs.queue.categories import default_category_for
from syncjobs.queue.claims import claim_queued
from syncjobs.queue.execution import execute
from syncjobs.queue.models import EntryStatus, JobQueueEntry
from tests.factories.merchants import MerchantFactory
from tests.factories.syncjobs import JobQueueEntryFactory
from tests.factories.users import merchant_user
from tests.fixtures.job_queue import commits_run_callbacks, take_queued_tasks

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:syncjobs_jobqueueentry_changelist"


@pytest.fixture
def merchant():
    return MerchantFactory(code="DEMO-EU")


def act(client, action, entries):
    with commits_run_callbacks():
        response = client.post(reverse(CHANGELIST), {"action": action, "_selected_action": [e.pk for e in entries]},
                               follow=True)
    assert response.status_code == 200
    return [str(m) for m in response.context["messages"]]


def test_set_on_hold_then_run_now_queues_the_entry_at_once(merchant, login):
    client = login(merchant_user(merchant))
    later = timezone.now() + dt.timedelta(hours=3)
    entry = JobQueueEntryFactory(merchant=merchant, earliest_start_at=later)

    assert act(client, "set_on_hold", [entry]) == ["1 entry put on hold."]
    assert JobQueueEntry.objects.get(pk=entry.pk).status == EntryStatus.ON_HOLD

    assert act(client, "run_now", [entry]) == ["1 entry started."]
    entry.refresh_from_db()
    assert entry.status == EntryStatus.READY and entry.earliest_start_at <= timezone.now()
    assert [task[0] for task in take_queued_tasks()] == [entry.pk]


def test_run_now_on_a_paused_schedule_runs_it_once_and_leaves_it_on_hold(merchant, login):
    user = merchant_user(merchant)
    held = JobQueueEntryFactory(merchant=merchant, status=EntryStatus.ON_HOLD, minutes_between_runs=15,
                                parameters={"financial_status": "paid"}, category=default_category_for(merchant))

    said = act(login(user), "run_now", [held])

    assert said == ["1 recurring entry On Hold started once, as a one-off entry; it stays On Hold."]
    assert JobQueueEntry.objects.get(pk=held.pk).status == EntryStatus.ON_HOLD
    once = JobQueueEntry.objects.exclude(pk=held.pk).get()
    assert (once.report_number, once.parameters, once.is_recurring, once.status, once.created_by) == (
        30104, {"financial_status": "paid"}, False, EntryStatus.READY, user)
    assert [task[0] for task in take_queued_tasks()] == [once.pk]


def test_set_ready_keeps_a_planned_time_that_is_still_ahead(merchant, login):
    later = timezone.now() + dt.timedelta(hours=3)
    entry = JobQueueEntryFactory(merchant=merchant, status=EntryStatus.ON_HOLD, earliest_start_at=later)

    act(login(merchant_user(merchant)), "set_ready", [entry])

    entry.refresh_from_db()
    assert (entry.status, entry.earliest_start_at) == (EntryStatus.READY, later)
    assert take_queued_tasks() == []


def test_restart_forgets_the_attempts_and_the_error(merchant, login):
    entry = JobQueueEntryFactory(merchant=merchant, status=EntryStatus.ERROR, attempts=3, last_error="boom")

    act(login(merchant_user(merchant)), "restart", [entry])

    entry.refresh_from_db()
    assert (entry.status, entry.attempts, entry.last_error) == (EntryStatus.READY, 0, "")


def test_a_running_entry_is_left_alone_by_the_actions(merchant, login, scripted_report):
    entry = JobQueueEntryFactory(merchant=merchant, report_number=scripted_report.number)
    claim_queued(entry.pk, entry.earliest_start_at)

    messages = act(login(merchant_user(merchant)), "set_on_hold", [entry])

    assert messages == ["1 running entry was left alone."]
    assert JobQueueEntry.objects.get(pk=entry.pk).status == EntryStatus.IN_PROCESS


def test_a_running_entry_says_which_process_runs_it_until_it_ends(merchant, login, scripted_report):
    entry = JobQueueEntryFactory(merchant=merchant, report_number=scripted_report.number)
    claim = claim_queued(entry.pk, entry.earliest_start_at)

    page = login(merchant_user(merchant)).get(reverse("admin:syncjobs_jobqueueentry_change", args=[entry.pk]))
    assert f":{os.getpid()}" in page.content.decode()

    execute(claim)
    assert JobQueueEntry.objects.get(pk=entry.pk).running_in == ""


def test_a_new_entry_gets_the_shops_category_and_its_request_page_is_checked(merchant, login):
    """The report's own request-page fields, with its own choices and checks, give the parameters."""
    client = login(merchant_user(merchant))
    form = {"merchant": merchant.pk, "report_number": 30104, "description": "Paid orders", "status": "ready",
            "priority_within_category": 2, "maximum_attempts": 3, "rerun_delay_seconds": 60}

    page = client.get(reverse("admin:syncjobs_jobqueueentry_add")).content.decode()
    assert "Request page: 30104 Sync Orders from Shopify" in page
    assert 'name="r30104-financial_status"' in page and 'name="r30104-created_from"' in page
    assert ">Financial status:</label>" in page

    refused = client.post(reverse("admin:syncjobs_jobqueueentry_add"), {**form, "r30104-financial_status": "maybe"})
    assert refused.status_code == 200
    assert "Select a valid choice" in str(refused.context["adminform"].form.errors["r30104-financial_status"])

    backwards = client.post(reverse("admin:syncjobs_jobqueueentry_add"), {
        **form, "r30104-created_from": "2025-03-10", "r30104-created_to": "2025-03-01"})
    assert "The date range ends before it starts." in str(backwards.context["adminform"].form.non_field_errors())

    with commits_run_callbacks():
        client.post(reverse("admin:syncjobs_jobqueueentry_add"), {**form, "r30104-financial_status": "paid"})
    entry = JobQueueEntry.objects.get()
    assert entry.category == default_category_for(merchant)
    assert entry.parameters == {"financial_status": "paid"}
    assert [task[0] for task in take_queued_tasks()] == [entry.pk]   # due at once, so queued at once


def test_an_entry_shows_its_request_page_values_and_keeps_them_when_other_fields_change(merchant, login):
    entry = JobQueueEntryFactory(merchant=merchant, report_number=30104, status=EntryStatus.ON_HOLD,
                                 parameters={"financial_status": "paid", "order_no": "#1001"})
    client = login(merchant_user(merchant))
    change_url = reverse("admin:syncjobs_jobqueueentry_change", args=[entry.pk])

    form = client.get(change_url).context["adminform"].form
    assert (form["r30104-financial_status"].value(), form["r30104-order_no"].value()) == ("paid", "#1001")

    client.post(change_url, {
        "merchant": merchant.pk, "report_number": 30104, "description": "renamed", "category": entry.category_id,
        "priority_within_category": 2, "maximum_attempts": 3, "rerun_delay_seconds": 60,
        "r30104-financial_status": "paid", "r30104-order_no": "#1002"})

    entry.refresh_from_db()
    assert (entry.description, entry.parameters) == ("renamed", {"financial_status": "paid", "order_no": "#1002"})


def test_a_multi_value_filter_keeps_every_value(merchant, login, scripted_report):
    client = login(merchant_user(merchant))

    with commits_run_callbacks():
        client.post(reverse("admin:syncjobs_jobqueueentry_add"), {
            "merchant": merchant.pk, "report_number": scripted_report.number, "status": "on_hold",
            "priority_within_category": 2, "maximum_attempts": 3, "rerun_delay_seconds": 60,
            f"r{scripted_report.number}-kinds": ["orders", "refunds"]})

    entry = JobQueueEntry.objects.get()
    assert entry.parameters == {"kinds": ["orders", "refunds"]}
    assert scripted_report.clean_parameters(entry.parameters)["kinds"] == ["orders", "refunds"]


def test_an_entry_for_a_report_not_built_yet_is_refused(merchant, login, not_built_report):
    client = login(merchant_user(merchant))

    refused = client.post(reverse("admin:syncjobs_jobqueueentry_add"), {
        "merchant": merchant.pk, "report_number": 99002, "status": "ready", "priority_within_category": 1,
        "maximum_attempts": 3, "rerun_delay_seconds": 60, "parameters": "{}"})

    assert refused.status_code == 200
    assert "is not built yet in this version of syncsite" in str(
        refused.context["adminform"].form.errors["report_number"])
    assert not JobQueueEntry.objects.exists()


def test_a_new_recurring_entry_is_planned_for_its_first_slot(merchant, login):
    client = login(merchant_user(merchant))

    client.post(reverse("admin:syncjobs_jobqueueentry_add"), {
        "merchant": merchant.pk, "report_number": 30104, "status": "ready", "parameters": "{}",
        "priority_within_category": 2, "maximum_attempts": 3, "rerun_delay_seconds": 60,
        "minutes_between_runs": 1440, "starting_time": "03:00"})

    entry = JobQueueEntry.objects.get()
    local = entry.earliest_start_at.astimezone(ZoneInfo("Europe/Paris"))
    assert local.time() == dt.time(3, 0) and entry.earliest_start_at > timezone.now()
    assert take_queued_tasks() == []


def test_a_running_entry_cannot_be_edited(merchant, login, scripted_report):
    entry = JobQueueEntryFactory(merchant=merchant, report_number=scripted_report.number)
    claim_queued(entry.pk, entry.earliest_start_at)
    client = login(merchant_user(merchant))

    response = client.post(reverse("admin:syncjobs_jobqueueentry_change", args=[entry.pk]), {
        "merchant": merchant.pk, "report_number": 30104, "parameters": "{}", "category": entry.category_id,
        "priority_within_category": 2, "maximum_attempts": 3, "rerun_delay_seconds": 60})

    assert response.status_code == 200
    assert "The entry is running" in str(response.context["adminform"].form.non_field_errors())
    assert JobQueueEntry.objects.get(pk=entry.pk).report_number == scripted_report.number


def test_a_running_entry_cannot_be_deleted_so_its_category_stays_held(merchant, login, scripted_report):
    """Deleting the running entry would let the category's next entry start beside its run."""
    running = JobQueueEntryFactory(merchant=merchant, report_number=scripted_report.number)
    claim_queued(running.pk, running.earliest_start_at)
    idle = JobQueueEntryFactory(merchant=merchant, report_number=scripted_report.number, status=EntryStatus.ON_HOLD)
    client = login(merchant_user(merchant))

    page = client.post(reverse("admin:syncjobs_jobqueueentry_delete", args=[running.pk]), {"post": "yes"})
    with commits_run_callbacks():
        response = client.post(reverse(CHANGELIST), {"action": "delete_selected", "post": "yes",
                                                     "_selected_action": [running.pk, idle.pk]}, follow=True)

    assert page.status_code == 403
    assert list(JobQueueEntry.objects.values_list("pk", flat=True)) == [running.pk]
    assert JobQueueEntry.objects.get(pk=running.pk).status == EntryStatus.IN_PROCESS
    assert [str(m) for m in response.context["messages"]] == [
        "1 running entry is left out: delete an entry once its run has ended.",
        "Successfully deleted 1 job queue entry."]

    with commits_run_callbacks():
        alone = client.post(reverse(CHANGELIST), {"action": "delete_selected", "post": "yes",
                                                  "_selected_action": [running.pk]}, follow=True)
    assert [str(m) for m in alone.context["messages"]] == [
        "1 running entry is left out: delete an entry once its run has ended."]


NEW_ENTRY = {"report_number": 30104, "description": "", "status": "ready", "priority_within_category": 2,
             "maximum_attempts": 3, "rerun_delay_seconds": 60}


@pytest.mark.parametrize("fields, field, words", [
    ({"earliest_start_at_0": "2030-01-02", "earliest_start_at_1": "10:00", "expires_at_0": "2030-01-01",
      "expires_at_1": "10:00"}, "expires_at", "The expiration is not after the earliest start"),
    ({"minutes_between_runs": "2000000000"}, "minutes_between_runs", "At most 527,040 minutes"),
    ({"minutes_between_runs": "600000"}, "minutes_between_runs", "At most 527,040 minutes (a year)"),
])
def test_an_entry_that_could_never_run_as_meant_is_a_form_error_not_a_500(merchant, login, fields, field, words):
    client = login(merchant_user(merchant))

    response = client.post(reverse("admin:syncjobs_jobqueueentry_add"), {**NEW_ENTRY, "merchant": merchant.pk,
                                                                        **fields})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors and (words is None or words in " ".join(errors[field]))
    assert not JobQueueEntry.objects.exists()


def test_a_day_of_report_1_that_has_not_ended_is_a_form_error(merchant, login):
    today = timezone.now().astimezone(ZoneInfo(merchant.time_zone)).date()
    client = login(merchant_user(merchant))

    response = client.post(reverse("admin:syncjobs_jobqueueentry_add"), {
        **NEW_ENTRY, "report_number": 1, "merchant": merchant.pk, "r1-day": today.isoformat()})

    errors = " ".join(response.context["adminform"].form.errors.get("r1-day", []))
    assert f"{today} has not ended yet in Europe/Paris" in errors
    assert not JobQueueEntry.objects.exists()


def test_a_recurring_entry_without_weekdays_says_it_runs_every_day(merchant, login):
    every_day = JobQueueEntryFactory(merchant=merchant, minutes_between_runs=15)
    fridays = JobQueueEntryFactory(merchant=merchant, minutes_between_runs=1440, run_on_mondays=True,
                                   run_on_fridays=True)
    client = login(merchant_user(merchant))

    pages = [client.get(reverse("admin:syncjobs_jobqueueentry_change", args=[e.pk])).content.decode()
             for e in (every_day, fridays)]

    assert "every 15 minutes, every day" in pages[0]
    assert "daily, on Mondays and Fridays" in pages[1]
    assert "Tick no weekday to run every day." in pages[0]
