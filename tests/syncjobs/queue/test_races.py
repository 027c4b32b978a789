"""Races on PostgreSQL: many threads claim at the same instant, round after round (J2, J3).

Each round releases 8 threads on a barrier. A deliberately naive claim (check, then set, no row
lock, no unique index) runs the same way as a negative control: it must let two runs overlap,
or these tests could not catch the race at all.
"""
import datetime as dt
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from syncjobs.queue.categories import default_category_for
from syncjobs.queue.claims import CategoryBusy, claim_queued
from syncjobs.queue.dispatch import dispatch_due_entries
from syncjobs.queue.execution import run_now, run_queued_entry
from syncjobs.queue.models import EntryStatus, JobQueueEntry, RunTrigger, SyncRun
from tests.factories.merchants import MerchantFactory
from tests.factories.syncjobs import JobQueueEntryFactory
from tests.fixtures.concurrency import race
from tests.fixtures.job_queue import TEST_REPORT_NUMBER

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

THREADS = 8
ROUNDS = 20


@pytest.fixture
def entries(scripted_report):
    category = default_category_for(MerchantFactory(code="RACE"))
    return [JobQueueEntryFactory(merchant=category.merchant, category=category, report_number=TEST_REPORT_NUMBER)
            for _ in range(THREADS)]


def ready_for_a_new_round(entries, round_no) -> dt.datetime:
    slot = timezone.now().replace(microsecond=0) + dt.timedelta(seconds=round_no)
    JobQueueEntry.objects.filter(pk__in=[e.pk for e in entries]).update(
        status=EntryStatus.READY, earliest_start_at=slot, claim_token=None, enqueued_for=None)
    return slot


def test_one_category_never_has_two_entries_in_process(entries):
    for round_no in range(ROUNDS):
        slot = ready_for_a_new_round(entries, round_no)

        claims = race(lambda entry: claim_queued(entry.pk, slot), entries)

        assert not [c for c in claims if isinstance(c, Exception)]
        assert len([c for c in claims if c is not None]) == 1
        statuses = sorted(JobQueueEntry.objects.values_list("status", flat=True))
        assert statuses == [EntryStatus.IN_PROCESS] + [EntryStatus.WAITING] * (THREADS - 1)


def test_a_slot_runs_once_however_often_it_is_delivered(entries):
    entry = entries[0]
    for round_no in range(ROUNDS):
        slot = ready_for_a_new_round([entry], round_no)

        claims = race(lambda _: claim_queued(entry.pk, slot), range(THREADS))

        assert len([c for c in claims if c is not None]) == 1
        assert SyncRun.objects.filter(entry=entry, scheduled_for=slot).count() == 1


def test_foreground_and_queued_runs_of_one_category_never_overlap(entries):
    merchant = entries[0].merchant

    def start(entry):
        if entry.pk % 2:
            return run_queued_entry(entry.pk, slot.isoformat())
        try:
            return run_now(merchant=merchant, report_number=TEST_REPORT_NUMBER,
                           raw_parameters={"seconds": "0.05"}, user=None, trigger=RunTrigger.COMMAND)
        except CategoryBusy:
            return None

    for round_no in range(ROUNDS):
        slot = ready_for_a_new_round(entries, round_no)
        SyncRun.objects.all().delete()
        JobQueueEntry.objects.exclude(pk__in=[e.pk for e in entries]).delete()

        race(start, entries)

        runs = list(SyncRun.objects.values_list("started_at", "ended_at"))
        assert runs and not _overlapping(runs)
        assert not JobQueueEntry.objects.filter(status=EntryStatus.IN_PROCESS).exists()


def test_concurrent_dispatchers_hand_each_due_slot_over_once(scripted_report):
    from django_q.models import OrmQ

    due = [JobQueueEntryFactory(report_number=TEST_REPORT_NUMBER) for _ in range(30)]
    for round_no in range(ROUNDS):
        OrmQ.objects.all().delete()
        ready_for_a_new_round(due, -round_no - 1)

        handed = race(lambda _: dispatch_due_entries(), range(THREADS))

        assert sum(handed) == 30
        delivered = sorted(q.task["args"][0] for q in OrmQ.objects.all())
        assert delivered == sorted(e.pk for e in due)


def naive_claim(entry_id: int) -> bool:
    """Check, then set, with no lock: the claim a job queue must not have."""
    entry = JobQueueEntry.objects.get(pk=entry_id)
    if JobQueueEntry.objects.filter(category=entry.category, status=EntryStatus.IN_PROCESS).exists():
        return False
    time.sleep(0.005)   # the work any real claim does between its check and its write
    JobQueueEntry.objects.filter(pk=entry_id).update(status=EntryStatus.IN_PROCESS)
    return True


def test_negative_control_a_naive_claim_lets_runs_overlap(entries):
    constraint = next(c for c in JobQueueEntry._meta.constraints if c.name == "job_entry_one_in_process_per_category")
    with connection.schema_editor() as editor:
        editor.remove_constraint(JobQueueEntry, constraint)
    try:
        most = 0
        for round_no in range(ROUNDS):
            ready_for_a_new_round(entries, round_no)
            race(lambda entry: naive_claim(entry.pk), entries)
            most = max(most, JobQueueEntry.objects.filter(status=EntryStatus.IN_PROCESS).count())
    finally:
        JobQueueEntry.objects.update(status=EntryStatus.READY)
        with transaction.atomic(), connection.schema_editor() as editor:
            editor.add_constraint(JobQueueEntry, constraint)

    assert most > 1, "the race test could not make a naive claim overlap"


def _overlapping(spans) -> bool:
    spans = sorted((start, end or timezone.now()) for start, end in spans)
    return any(later_start < earlier_end for (_, earlier_end), (later_start, _) in zip(spans, spans[1:]))


def test_two_workers_posting_the_same_day_post_it_once():
    from connectors.ledger.errors import JournalAlreadyPosted
    from connectors.ledger.models import JournalEntry
    from syncjobs.daily.journal import post_day
    from syncjobs.daily.models import PostedTransaction
    from tests.factories.ledger import daily_books
    from tests.factories.order_payloads import imported, line, local, order, transaction

    merchant = MerchantFactory(time_zone="Europe/Paris")
    daily_books(merchant)
    at = local("Europe/Paris", 2025, 3, 11, 10, 0)
    imported(merchant, order(at, total="12.00", lines=[line("12.00", 1, [("VAT", 0.2, "2.00")])],
                             transactions=[transaction("SALE", "12.00", at)]))
    day = dt.date(2025, 3, 11)
    for _ in range(ROUNDS):
        JournalEntry.objects.all().delete()
        PostedTransaction.objects.all().delete()     # what the deleted journal had recorded

        outcomes = race(lambda _: post_day(merchant=merchant, day=day), range(THREADS))

        assert JournalEntry.objects.filter(merchant=merchant, posting_date=day).count() == 1
        assert len([o for o in outcomes if isinstance(o, JournalAlreadyPosted)]) == THREADS - 1
