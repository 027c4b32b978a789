"""A worker that dies mid-run leaves an Error entry and a free category, never In Process forever."""
import datetime as dt
import time

import pytest
from django.utils import timezone

from syncjobs.queue.categories import default_category_for
from syncjobs.queue.claims import claim_queued
from syncjobs.queue.execution import execute, run_queued_entry
from syncjobs.queue.heartbeat import Heartbeat
from syncjobs.queue.models import EntryStatus, JobQueueEntry, RunStatus, SyncRun
from syncjobs.queue.recovery import sweep_stale_entries
from tests.factories.merchants import MerchantFactory
from tests.factories.syncjobs import JobQueueEntryFactory
from tests.fixtures.job_queue import TEST_REPORT_NUMBER, commits_run_callbacks, take_queued_tasks


@pytest.fixture
def category(db):
    return default_category_for(MerchantFactory(code="DEMO-EU"))


def make_entry(category, **fields):
    return JobQueueEntryFactory(merchant=category.merchant, category=category, report_number=TEST_REPORT_NUMBER,
                                **fields)


def go_silent(entry, seconds):
    JobQueueEntry.objects.filter(pk=entry.pk).update(heartbeat_at=timezone.now() - dt.timedelta(seconds=seconds))


@pytest.mark.django_db
def test_a_silent_entry_is_taken_back_and_its_category_moves_on(category, scripted_report, settings):
    settings.JOB_STALE_SECONDS = 5
    crashed = make_entry(category, maximum_attempts=1)
    waiting = make_entry(category)
    claim = claim_queued(crashed.pk, crashed.earliest_start_at)
    assert claim_queued(waiting.pk, waiting.earliest_start_at) is None
    go_silent(crashed, 6)

    with commits_run_callbacks():
        assert sweep_stale_entries() == 1

    crashed.refresh_from_db()
    run = SyncRun.objects.get(pk=claim.run_id)
    assert crashed.status == EntryStatus.ERROR and crashed.claim_token is None
    assert run.status == RunStatus.ERROR and run.message.startswith("the worker stopped while running")
    assert crashed.last_error == run.message
    assert [task[0] for task in take_queued_tasks()] == [waiting.pk]
    assert JobQueueEntry.objects.get(pk=waiting.pk).status == EntryStatus.READY


@pytest.mark.django_db
def test_a_run_killed_with_its_worker_is_tried_again_while_attempts_are_left(category, scripted_report, settings):
    settings.JOB_STALE_SECONDS = 5
    crashed = make_entry(category, maximum_attempts=3, rerun_delay_seconds=60)
    claim = claim_queued(crashed.pk, crashed.earliest_start_at)
    go_silent(crashed, 6)

    with commits_run_callbacks():
        assert sweep_stale_entries() == 1

    crashed.refresh_from_db()
    assert SyncRun.objects.get(pk=claim.run_id).status == RunStatus.ERROR
    assert (crashed.status, crashed.attempts) == (EntryStatus.READY, 1)
    assert crashed.last_error.startswith("the worker stopped while running")
    assert dt.timedelta(seconds=50) < crashed.earliest_start_at - timezone.now() <= dt.timedelta(seconds=60)


@pytest.mark.django_db
def test_an_entry_with_a_fresh_heartbeat_is_left_running(category, scripted_report, settings):
    settings.JOB_STALE_SECONDS = 5
    running = make_entry(category)
    claim_queued(running.pk, running.earliest_start_at)
    go_silent(running, 2)

    assert sweep_stale_entries() == 0
    assert JobQueueEntry.objects.get(pk=running.pk).status == EntryStatus.IN_PROCESS


@pytest.mark.django_db
def test_the_redelivered_task_and_the_late_finish_of_a_taken_back_run_change_nothing(category, scripted_report,
                                                                                    settings):
    settings.JOB_STALE_SECONDS = 5
    crashed = make_entry(category, maximum_attempts=1)
    slot = crashed.earliest_start_at
    claim = claim_queued(crashed.pk, slot)
    go_silent(crashed, 6)
    sweep_stale_entries()

    assert run_queued_entry(crashed.pk, slot.isoformat()) == "nothing to do"
    late = execute(claim)                       # the "dead" worker was only slow after all

    assert late.status == RunStatus.ERROR and late.message.startswith("the worker stopped")
    assert JobQueueEntry.objects.get(pk=crashed.pk).status == EntryStatus.ERROR
    assert SyncRun.objects.count() == 1


@pytest.mark.django_db
def test_a_taken_back_recurring_entry_still_runs_at_its_next_slot(category, scripted_report, settings):
    settings.JOB_STALE_SECONDS = 5
    hourly = make_entry(category, minutes_between_runs=60, maximum_attempts=1)
    claim_queued(hourly.pk, hourly.earliest_start_at)
    go_silent(hourly, 6)

    sweep_stale_entries()

    hourly.refresh_from_db()
    assert hourly.status == EntryStatus.ERROR
    assert timezone.now() < hourly.earliest_start_at <= timezone.now() + dt.timedelta(hours=1)


@pytest.mark.django_db(transaction=True)
def test_a_running_entry_keeps_its_heartbeat_fresh(category, scripted_report):
    entry = make_entry(category)
    claim = claim_queued(entry.pk, entry.earliest_start_at)
    claimed_at = JobQueueEntry.objects.get(pk=entry.pk).heartbeat_at

    with Heartbeat(claim, interval=0.05):
        time.sleep(0.4)

    assert JobQueueEntry.objects.get(pk=entry.pk).heartbeat_at > claimed_at + dt.timedelta(seconds=0.2)
