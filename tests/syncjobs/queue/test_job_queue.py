"""Entries through the queue: one run per slot, categories that wait, retries, foreground refusals."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from syncjobs.queue.categories import default_category_for
from syncjobs.queue.claims import CategoryBusy, claim_queued
from syncjobs.queue.dispatch import dispatch_due_entries, resend_delay
from syncjobs.queue.execution import run_now, run_queued_entry
from syncjobs.queue.models import EntryStatus, JobQueueEntry, RunStatus, RunTrigger, SyncRun
from syncjobs.queue.retention import prune_old_runs
from tests.factories.merchants import MerchantFactory
from tests.factories.syncjobs import JobQueueEntryFactory, SyncRunFactory
from tests.fixtures.job_queue import TEST_REPORT_NUMBER, commits_run_callbacks, take_queued_tasks, work_off_queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def category(db):
    """The merchant's own category, the one foreground runs take too."""
    return default_category_for(MerchantFactory(code="DEMO-EU"))


def make_entry(category, **fields):
    fields.setdefault("report_number", TEST_REPORT_NUMBER)
    fields.setdefault("earliest_start_at", timezone.now() - dt.timedelta(seconds=1))
    return JobQueueEntryFactory(merchant=category.merchant, category=category, **fields)


def dispatch(now=None) -> int:
    with commits_run_callbacks():
        return dispatch_due_entries(now)


def test_a_due_entry_runs_once_and_its_run_holds_the_counts_and_record_errors(category, scripted_report):
    entry = make_entry(category, parameters={"failed_records": 2})

    assert dispatch() == 1
    assert dispatch() == 0                       # the slot is handed over once
    work_off_queue()

    entry.refresh_from_db()
    run = SyncRun.objects.get(entry=entry)
    assert entry.status == EntryStatus.FINISHED
    assert (run.status, run.read, run.created, run.failed) == (RunStatus.SUCCESS, 5, 3, 2)
    assert [str(e) for e in run.errors.all()] == [
        "order gid://shopify/Order/0: no sales account is mapped",
        "order gid://shopify/Order/1: no sales account is mapped"]
    assert "2 record(s) failed" in run.message


def test_a_redelivered_task_does_nothing(category, scripted_report):
    entry = make_entry(category)
    dispatch()
    (task,) = take_queued_tasks()

    first = run_queued_entry(*task)
    again = run_queued_entry(*task)

    assert first.startswith("Success") and again == "nothing to do"
    assert SyncRun.objects.filter(entry=entry).count() == 1


def test_the_later_entry_of_a_busy_category_waits_then_starts_when_the_first_ends(category, scripted_report):
    first = make_entry(category)
    second = make_entry(category, priority_within_category=3)
    urgent = make_entry(category, priority_within_category=1)
    dispatch()
    first_task, *others = take_queued_tasks()
    claim = claim_queued(*first_task[:1], dt.datetime.fromisoformat(first_task[1]))

    for task in others:                          # delivered while the first runs
        assert run_queued_entry(*task) == "nothing to do"
    assert set(JobQueueEntry.objects.filter(pk__in=[second.pk, urgent.pk]).values_list("status", flat=True)) == {
        EntryStatus.WAITING}

    from syncjobs.queue.execution import execute
    with commits_run_callbacks():
        execute(claim)
    (next_task,) = take_queued_tasks()
    assert next_task[0] == urgent.pk             # priority first, then age
    with commits_run_callbacks():
        run_queued_entry(*next_task)
    work_off_queue()

    runs = list(SyncRun.objects.order_by("started_at").values_list("entry_id", flat=True))
    assert runs == [first.pk, urgent.pk, second.pk]
    assert scripted_report.most_at_once == 1


def test_a_failing_entry_is_retried_after_its_rerun_delay_until_its_attempts_are_used(category, scripted_report):
    entry = make_entry(category, parameters={"outcome": "fail"}, maximum_attempts=2, rerun_delay_seconds=30)
    dispatch()
    before = timezone.now()
    work_off_queue()

    entry.refresh_from_db()
    assert (entry.status, entry.attempts, entry.last_error) == (EntryStatus.READY, 1, "the shop said no")
    assert before + dt.timedelta(seconds=30) <= entry.earliest_start_at <= timezone.now() + dt.timedelta(seconds=31)
    assert dispatch() == 0                       # not before the delay

    assert dispatch(entry.earliest_start_at) == 1
    work_off_queue()
    entry.refresh_from_db()
    assert (entry.status, entry.attempts) == (EntryStatus.ERROR, 2)
    assert list(entry.runs.values_list("status", flat=True)) == [RunStatus.ERROR, RunStatus.ERROR]


def test_a_recurring_entry_out_of_attempts_keeps_its_error_and_runs_at_its_next_slot(category, scripted_report):
    entry = make_entry(category, parameters={"outcome": "fail"}, maximum_attempts=1, minutes_between_runs=60)
    dispatch()
    work_off_queue()

    entry.refresh_from_db()
    assert entry.status == EntryStatus.ERROR and entry.last_error == "the shop said no"
    assert entry.earliest_start_at > timezone.now()

    entry.parameters = {}
    entry.save()
    assert dispatch(entry.earliest_start_at) == 1
    work_off_queue()
    entry.refresh_from_db()
    assert (entry.status, entry.attempts, entry.last_error) == (EntryStatus.READY, 0, "")


def test_an_unexpected_failure_is_recorded_on_the_run(category, scripted_report):
    entry = make_entry(category, parameters={"outcome": "crash"}, maximum_attempts=1)
    dispatch()
    work_off_queue()

    run = SyncRun.objects.get(entry=entry)
    assert run.status == RunStatus.ERROR
    assert run.message == "unexpected error: ZeroDivisionError: division by zero"
    assert JobQueueEntry.objects.get(pk=entry.pk).status == EntryStatus.ERROR


def test_a_foreground_run_is_refused_while_the_category_is_busy(category, scripted_report):
    running = make_entry(category)
    dispatch()
    (task,) = take_queued_tasks()
    claim_queued(task[0], dt.datetime.fromisoformat(task[1]))

    with pytest.raises(CategoryBusy) as refused:
        run_now(merchant=category.merchant, report_number=TEST_REPORT_NUMBER, raw_parameters={}, user=None,
                trigger=RunTrigger.COMMAND)

    started = JobQueueEntry.objects.get(pk=running.pk).started_at.astimezone(ZoneInfo("Europe/Paris"))
    assert str(refused.value) == f"DEMO-EU's syncs are busy: Scripted Test Report started {started:%H:%M %Z}"
    assert SyncRun.objects.count() == 1


def test_a_foreground_run_takes_the_category_and_logs_its_run(category, scripted_report):
    run = run_now(merchant=category.merchant, report_number=TEST_REPORT_NUMBER, raw_parameters={"seconds": "0"},
                  user=None, trigger=RunTrigger.COMMAND)

    assert (run.status, run.trigger, run.created) == (RunStatus.SUCCESS, RunTrigger.COMMAND, 3)
    assert run.entry.category == default_category_for(category.merchant)
    assert run.entry.status == EntryStatus.FINISHED


def test_expired_entries_do_not_run(category, scripted_report):
    entry = make_entry(category, expires_at=timezone.now() - dt.timedelta(minutes=1))

    assert dispatch() == 0
    entry.refresh_from_db()
    assert entry.status == EntryStatus.FINISHED and "expired" in entry.last_error


def test_entries_on_hold_do_not_run(category, scripted_report):
    make_entry(category, status=EntryStatus.ON_HOLD)

    assert dispatch() == 0


def test_old_runs_are_pruned_after_the_retention_period(category, settings):
    settings.SYNC_RUN_RETENTION_DAYS = 30
    old = SyncRunFactory(merchant=category.merchant, started_at=timezone.now() - dt.timedelta(days=31))
    recent = SyncRunFactory(merchant=category.merchant, started_at=timezone.now() - dt.timedelta(days=29))

    assert prune_old_runs() == 1
    assert list(SyncRun.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not SyncRun.objects.filter(pk=old.pk).exists()


def test_a_long_report_gets_a_task_timeout_of_its_own(category, settings):
    from django_q.models import OrmQ

    make_entry(category, report_number=30104)
    make_entry(category)

    dispatch()

    timeouts = sorted((q.task.get("timeout") or 0) for q in OrmQ.objects.all())
    assert timeouts == [0, 6 * 60 * 60] and 6 * 60 * 60 > settings.Q_CLUSTER["timeout"]


def test_a_slot_whose_task_was_lost_is_handed_over_again_after_a_while(category, scripted_report):
    entry = make_entry(category)
    assert dispatch() == 1
    take_queued_tasks()                          # the broker lost it

    assert dispatch() == 0
    assert dispatch(timezone.now() + dt.timedelta(minutes=11)) == 1
    work_off_queue()
    assert JobQueueEntry.objects.get(pk=entry.pk).status == EntryStatus.FINISHED


def test_a_recurring_entry_out_of_attempts_that_must_wait_gets_its_attempts_afresh(category, scripted_report):
    running = make_entry(category)
    claim_queued(running.pk, running.earliest_start_at)
    tired = make_entry(category, status=EntryStatus.ERROR, attempts=3, maximum_attempts=3, minutes_between_runs=60)

    assert claim_queued(tired.pk, tired.earliest_start_at) is None

    tired.refresh_from_db()
    assert (tired.status, tired.attempts) == (EntryStatus.WAITING, 0)


@pytest.mark.parametrize("action", ["set_ready", "run_now", "restart"])
def test_an_entry_made_ready_by_hand_whose_task_was_lost_is_handed_over_again(category, scripted_report, action):
    """Set Ready, Run now and Restart hand the entry over at once, and leave it dispatchable if that task
    is lost: no entry stays Ready and due for longer than the hand-over delay."""
    from syncjobs.queue import entries

    entry = make_entry(category, status=EntryStatus.ON_HOLD)
    with commits_run_callbacks():
        getattr(entries, action)(JobQueueEntry.objects.filter(pk=entry.pk))
    assert [task[0] for task in take_queued_tasks()] == [entry.pk]   # handed over, then lost by the broker

    assert dispatch(timezone.now() + resend_delay() + dt.timedelta(minutes=1)) == 1
    work_off_queue()
    assert JobQueueEntry.objects.get(pk=entry.pk).status == EntryStatus.FINISHED
