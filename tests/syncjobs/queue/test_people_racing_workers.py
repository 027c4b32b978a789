"""People racing the workers on PostgreSQL (J2, J3, 17.2): admin Run now, Restart and Set Ready,
command-line syncs and the queue pass, all at once against busy workers of one category.

What a person must get is the plain answer: the entries started or the "syncs are busy" refusal,
never a 500 or a traceback; and what the workers ran must end as it ran, never later marked as a
stopped worker.
"""
import random
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connections, transaction
from django.test import Client
from django.urls import reverse

from syncjobs.queue.categories import default_category_for
from syncjobs.queue.execution import run_queued_entry
from syncjobs.queue.locks import retrying
from syncjobs.queue.models import EntryStatus, JobQueueCategory, JobQueueEntry, RunStatus, SyncRun
from syncjobs.queue.queue_pass import run_queue_pass
from tests.factories.merchants import MerchantFactory
from tests.factories.syncjobs import JobQueueCategoryFactory, JobQueueEntryFactory
from tests.factories.users import merchant_user
from tests.fixtures.concurrency import race
from tests.fixtures.job_queue import TEST_REPORT_NUMBER

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

ENTRIES = 6
PEOPLE = 4
WORKERS = 4
SECONDS = 8
CHANGELIST = "admin:syncjobs_jobqueueentry_changelist"


@pytest.fixture
def busy_category(scripted_report, settings):
    # Heartbeats and staleness short enough that a blocked heartbeat would be taken for a dead worker.
    settings.JOB_HEARTBEAT_SECONDS = 0.2
    settings.JOB_STALE_SECONDS = 3
    merchant = MerchantFactory(code="RACE")
    category = default_category_for(merchant)
    entries = [JobQueueEntryFactory(merchant=merchant, category=category, report_number=TEST_REPORT_NUMBER,
                                    parameters={"seconds": "0.1"}, maximum_attempts=3)
               for _ in range(ENTRIES)]
    return merchant, entries


def test_people_racing_busy_workers_get_answers_and_runs_keep_their_verdict(busy_category):
    merchant, entries = busy_category
    user = merchant_user(merchant)
    ids = [e.pk for e in entries]
    stop = time.monotonic() + SECONDS
    problems, answers, lock = [], [], threading.Lock()

    def note(kind, what):
        with lock:
            (problems if kind == "problem" else answers).append(what)

    def worker(seed):
        rng = random.Random(seed)
        while time.monotonic() < stop:
            entry = JobQueueEntry.objects.filter(pk=rng.choice(ids)).values("pk", "earliest_start_at").first()
            if entry and entry["earliest_start_at"]:
                try:
                    run_queued_entry(entry["pk"], entry["earliest_start_at"].isoformat())
                except Exception as exc:  # noqa: BLE001 (a task that raises is what this test looks for)
                    note("problem", f"task: {type(exc).__name__}: {exc}")

    def person(seed):
        rng = random.Random(seed)
        client = Client(raise_request_exception=False)
        client.force_login(user)
        while time.monotonic() < stop:
            choice = rng.random()
            if choice < 0.5:
                action = rng.choice(["run_now", "restart", "set_ready"])
                picked = rng.sample(ids, rng.randint(1, ENTRIES))
                response = client.post(reverse(CHANGELIST), {"action": action, "_selected_action": picked})
                if response.status_code >= 500:
                    note("problem", f"admin {action}: {response.status_code}")
                else:
                    note("answer", f"admin {action}")
            elif choice < 0.85:
                try:
                    call_command("sync", str(TEST_REPORT_NUMBER), merchant=merchant.code, param=["seconds=0.05"],
                                 stdout=_Null(), stderr=_Null())
                    note("answer", "sync ran")
                except CommandError as exc:
                    if "busy" not in str(exc):
                        note("problem", f"sync: {exc}")
                    note("answer", "sync refused")
                except Exception as exc:  # noqa: BLE001 (a traceback is what this test looks for)
                    note("problem", f"sync: {type(exc).__name__}: {exc}")
            else:
                try:
                    run_queue_pass()
                except Exception as exc:  # noqa: BLE001
                    note("problem", f"queue pass: {type(exc).__name__}: {exc}")

    threads = ([threading.Thread(target=_closing(worker), args=(n,)) for n in range(WORKERS)]
               + [threading.Thread(target=_closing(person), args=(100 + n,)) for n in range(PEOPLE)])
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SECONDS + 60)

    assert problems == []
    assert any(a == "sync ran" for a in answers) and any(a.startswith("admin") for a in answers)
    runs = SyncRun.objects.filter(merchant=merchant)
    assert runs.filter(status=RunStatus.SUCCESS).count() > 5
    assert not runs.filter(message__contains="worker stopped").exists()
    assert not runs.filter(status=RunStatus.IN_PROCESS).exists()
    assert not JobQueueEntry.objects.filter(status=EntryStatus.IN_PROCESS).exists()


def _closing(work):
    def run(seed):
        try:
            work(seed)
        finally:
            connections.close_all()
    return run


class _Null:
    def write(self, text):
        pass

    def flush(self):
        pass


def test_a_deadlock_victim_is_run_again_and_both_transactions_finish():
    """Two transactions that lock two categories in opposite orders: PostgreSQL aborts one, and
    `retrying` runs it again from its start instead of handing the error to a person."""
    first, second = JobQueueCategoryFactory(), JobQueueCategoryFactory()
    both_hold_one = threading.Barrier(2)
    attempts = []

    def lock_in(order):
        @retrying
        def work():
            attempts.append(order)
            with transaction.atomic():
                JobQueueCategory.objects.select_for_update().filter(pk=order[0].pk).exists()
                if attempts.count(order) == 1:
                    both_hold_one.wait(timeout=5)   # the first attempts meet, holding one lock each
                JobQueueCategory.objects.select_for_update().filter(pk=order[1].pk).exists()
                JobQueueCategory.objects.filter(pk=order[1].pk).update(description=f"{order[1].code} done")
            return "done"
        return work()

    outcomes = race(lock_in, [(first, second), (second, first)])

    assert outcomes == ["done", "done"]
    assert len(attempts) == 3   # one of the two was the victim, and ran again
