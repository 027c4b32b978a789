"""Every report can log the records it left alone, and why; and say how many it will read."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from syncjobs.queue.execution import run_now
from syncjobs.queue.models import RunStatus, RunTrigger, SkippedRecord
from syncjobs.queue.retention import prune_old_runs
from tests.factories.merchants import MerchantFactory
from tests.factories.users import merchant_user
from tests.fixtures.job_queue import commits_run_callbacks

pytestmark = pytest.mark.django_db


def run_scripted(merchant, scripted_report, **parameters):
    with commits_run_callbacks():
        return run_now(merchant=merchant, report_number=scripted_report.number, raw_parameters=parameters,
                       user=None, trigger=RunTrigger.COMMAND)


def test_a_run_lists_the_records_it_skipped_with_their_reasons(scripted_report, login):
    merchant = MerchantFactory(code="DEMO-EU")

    run = run_scripted(merchant, scripted_report, skip_records="2")

    assert run.skipped == 2
    number = scripted_report.number
    assert [(s.record, s.reason, s.report_number) for s in SkippedRecord.objects.order_by("record")] == [
        ("order #1001", "a test order", number), ("order #1002", "a test order", number)]
    page = login(merchant_user(merchant)).get(reverse("admin:syncjobs_syncrun_change", args=[run.pk])).content
    assert b"2 records skipped, and why" in page


def test_records_skipped_before_a_crash_are_still_logged(scripted_report):
    merchant = MerchantFactory()

    run = run_scripted(merchant, scripted_report, skip_records="1", outcome="crash")

    assert run.status == RunStatus.ERROR
    assert SkippedRecord.objects.filter(run=run).count() == 1


def test_a_merchant_user_sees_only_their_own_skipped_records(scripted_report, login):
    mine, theirs = MerchantFactory(), MerchantFactory()
    run_scripted(mine, scripted_report, skip_records="1")
    run_scripted(theirs, scripted_report, skip_records="3")

    page = login(merchant_user(mine)).get(reverse("admin:syncjobs_skippedrecord_changelist"))

    assert [row.merchant_id for row in page.context["cl"].result_list] == [mine.pk]


def test_skipped_records_are_pruned_with_their_run(scripted_report):
    merchant = MerchantFactory()
    run = run_scripted(merchant, scripted_report, skip_records="2")
    type(run).objects.filter(pk=run.pk).update(started_at=timezone.now() - dt.timedelta(days=400))

    prune_old_runs()

    assert not SkippedRecord.objects.exists()


def test_a_run_says_how_far_it_got_of_what_it_expected(scripted_report):
    merchant = MerchantFactory()

    run = run_scripted(merchant, scripted_report, failed_records="2")

    assert run.total == 5
    assert run.progress_text == "5 of 5 records"
    assert run.counts_in_words() == "5 records read, 3 created, 2 failed"
