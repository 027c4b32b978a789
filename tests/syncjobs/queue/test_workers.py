"""Real `qcluster` processes on PostgreSQL: one category never overlaps across clusters, and a worker
killed mid-run leaves an Error entry and a free category (J2, J3).

The syncs are real 30104 runs against the Shopify simulator, slowed down by its `slow` fault so
that runs last long enough to overlap if anything let them.
"""
from __future__ import annotations

import os
import re
import signal
import time

import pytest

from shopify_simulator.bucket import PLANS, LeakyBucket
from syncjobs.queue.categories import default_category_for
from syncjobs.queue.dispatch import enqueue
from syncjobs.queue.execution import run_queued_entry
from syncjobs.queue.health import queue_health
from syncjobs.queue.models import EntryStatus, JobQueueEntry, RunStatus, SyncRun
from syncjobs.queue.recovery import sweep_stale_entries
from tests.factories.merchants import MerchantFactory
from tests.factories.syncjobs import JobQueueEntryFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def merchant(simulator):
    shop = simulator.shops[0]
    shop.bucket = LeakyBucket(PLANS["unlimited"])
    return MerchantFactory(code="DEMO-EU", shop_domain=shop.domain, api_base_url=simulator.base_url,
                           access_token=shop.access_token)


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def test_two_clusters_run_one_categorys_entries_one_at_a_time_and_each_once(merchant, simulator, clusters):
    simulator.shops[0].faults.set("slow", probability=1.0, seconds=0.15)
    category = default_category_for(merchant)
    entries = [JobQueueEntryFactory(merchant=merchant, category=category, report_number=30104,
                                    parameters={"order_no": f"#{1000 + n}"}) for n in range(1, 7)]
    clusters.start()
    clusters.start()

    for entry in entries:
        enqueue(entry.pk, entry.earliest_start_at)
    wait_until(lambda: not JobQueueEntry.objects.exclude(status=EntryStatus.FINISHED).exists(), 90,
               "every entry to finish")

    runs = list(SyncRun.objects.order_by("started_at").values_list("entry_id", "started_at", "ended_at", "status"))
    assert sorted(entry_id for entry_id, *_ in runs) == sorted(e.pk for e in entries)
    assert {status for *_, status in runs} == {RunStatus.SUCCESS}
    for (_, _, earlier_end, _), (_, later_start, _, _) in zip(runs, runs[1:], strict=False):
        assert later_start >= earlier_end


def test_a_worker_killed_mid_run_leaves_an_error_and_the_category_moves_on(merchant, simulator, clusters,
                                                                          settings):
    simulator.shops[0].faults.set("slow", probability=1.0, seconds=1.0)
    category = default_category_for(merchant)
    doomed = JobQueueEntryFactory(merchant=merchant, category=category, report_number=30104, maximum_attempts=1)
    next_one = JobQueueEntryFactory(merchant=merchant, category=category, report_number=30104,
                                    parameters={"order_no": "#1001"})
    cluster = clusters.start()
    enqueue(doomed.pk, doomed.earliest_start_at)
    wait_until(lambda: JobQueueEntry.objects.filter(pk=doomed.pk, status=EntryStatus.IN_PROCESS).exists(), 30,
               "the first entry to start")
    enqueue(next_one.pk, next_one.earliest_start_at)
    wait_until(lambda: JobQueueEntry.objects.filter(pk=next_one.pk, status=EntryStatus.WAITING).exists(), 30,
               "the second entry to wait")

    clusters.kill(cluster)
    settings.JOB_STALE_SECONDS = 1.0
    time.sleep(1.2)
    assert sweep_stale_entries() == 1

    doomed.refresh_from_db()
    (run,) = doomed.runs.all()
    assert doomed.status == EntryStatus.ERROR
    assert run.status == RunStatus.ERROR and run.message.startswith("the worker stopped while running")
    assert run_queued_entry(doomed.pk, doomed.earliest_start_at.isoformat()) == "nothing to do"

    simulator.shops[0].faults.clear()
    clusters.start()
    wait_until(lambda: JobQueueEntry.objects.filter(pk=next_one.pk, status=EntryStatus.FINISHED).exists(), 60,
               "the category's next entry to run")
    assert next_one.runs.get().status == RunStatus.SUCCESS


def test_after_an_idle_worker_is_killed_due_entries_run_again_within_a_minute(merchant, clusters, settings):
    """A killed worker can wedge a django-q2 cluster for good (issue 23). Acting as the supervisor does
    (the chaos run's: queue_health every 3 s and a restart after two failures in a row, which gives
    a fresh cluster time to start), the test restarts the cluster; either way the queue runs again."""
    settings.QUEUE_ENTRY_MAX_LATENESS_SECONDS = 10
    cluster = clusters.start(LOG_LEVEL="INFO")   # the log names the workers' process ids
    log = clusters.tmp_path / "qcluster-0.log"
    wait_until(lambda: "ready for work at" in log.read_text(), 30, "the workers to start")
    idle_worker = int(re.findall(r"ready for work at (\d+)", log.read_text())[0])
    os.kill(idle_worker, signal.SIGKILL)

    entry = JobQueueEntryFactory(merchant=merchant, report_number=30104, parameters={"order_no": "#1001"})
    enqueue(entry.pk, entry.earliest_start_at)
    deadline, restarts, failures = time.monotonic() + 60, 0, 0
    while not JobQueueEntry.objects.filter(pk=entry.pk, status=EntryStatus.FINISHED).exists():
        assert time.monotonic() < deadline, "the due entry did not run within a minute"
        failures = 0 if queue_health().ok else failures + 1
        if failures >= 2:
            clusters.kill(cluster)
            cluster, restarts, failures = clusters.start(LOG_LEVEL="INFO"), restarts + 1, 0
        time.sleep(3)

    assert entry.runs.get().status == RunStatus.SUCCESS
    assert restarts <= 1
