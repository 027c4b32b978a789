"""Running a claimed entry: the report runs outside any transaction, its SyncRun records the outcome.

`run_queued_entry` is the task django-q2 executes; `run_now` is the foreground and command-line
path. Both go through the same category claim (syncjobs.queue.claims).
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from syncjobs.queue.claims import Claim, Release, claim_now, claim_queued, release
from syncjobs.queue.context import RunContext
from syncjobs.queue.dispatch import enqueue
from syncjobs.queue.errors import QueueError
from syncjobs.queue.heartbeat import Heartbeat
from syncjobs.queue.models import EntryStatus, JobQueueEntry, RunStatus, SkippedRecord, SyncRun, SyncRunError
from syncjobs.queue.notifications import notify_about_run
from syncjobs.queue.outcome import RunOutcome
from syncjobs.queue.recurrence import NoNextRun, next_run_after
from syncjobs.queue.registry import counts_in_words, get_report

logger = logging.getLogger(__name__)

ERROR_ROWS_PER_QUERY = 1000
PROGRESS_EVERY = timedelta(seconds=1)   # at most one progress write a second, however small the batches


class ShopDisabled(QueueError):
    def __init__(self, merchant) -> None:
        why = f": {merchant.disabled_reason}" if merchant.disabled_reason else ""
        super().__init__(f"{merchant.code} is disabled{why}; enable it on its shop card to sync again")


def run_queued_entry(entry_id: int, slot: str) -> str:
    """The django-q2 task: run entry `entry_id` for `slot` (ISO format) unless that is done or moot."""
    claim = claim_queued(entry_id, parse_datetime(slot))
    if claim is None:
        return "nothing to do"
    run = execute(claim)
    return f"{run.get_status_display()}: {run.message}"


def run_now(*, merchant, report_number: int, raw_parameters: dict | None, user, trigger: str,
            progress=None, description: str = "") -> SyncRun:
    """Run a report in this process under the category claim; raises CategoryBusy, or a QueueError
    (UnknownReport, the report's ReportParametersInvalid) for a request page that is not valid.
    Whatever the report does, the SyncRun is returned."""
    report = get_report(report_number)
    raw = raw_parameters or {}
    report.clean_parameters(raw)
    claim = claim_now(merchant=merchant, report_number=report_number, parameters=raw, user=user,
                      trigger=trigger, description=description or f"{report.name} ({trigger})")
    return execute(claim, progress=progress)


def execute(claim: Claim, *, progress=None) -> SyncRun:
    run = SyncRun.objects.select_related("merchant", "entry").get(pk=claim.run_id)
    context = RunContext(merchant=run.merchant, progress=_progress_writer(run.pk, progress), run_id=run.pk,
                         on_total=lambda total: SyncRun.objects.filter(pk=run.pk).update(total=total))
    try:
        if not run.merchant.is_enabled:
            raise ShopDisabled(run.merchant)
        report = get_report(run.report_number)
        context.parameters = report.clean_parameters(run.parameters)
        with Heartbeat(claim):
            outcome = report().execute(context)
    except ShopDisabled as exc:
        # Retrying cannot help: the shop's entries wait, undispatched, until it is enabled again.
        _finish(claim, run, _failed(context, str(exc), retry=False))
    except QueueError as exc:
        _finish(claim, run, _failed(context, str(exc)))
    except Exception as exc:  # a bug or an unforeseen failure: recorded on the run, never lost
        logger.exception("report %s failed for %s", run.report_number, run.merchant.code)
        _finish(claim, run, _failed(context, f"unexpected error: {type(exc).__name__}: {exc}"))
    except BaseException:
        _finish(claim, run, _failed(context, "interrupted"))
        raise
    else:
        _finish(claim, run, outcome)
    run.refresh_from_db()
    notify_about_run(run)
    return run


def _failed(context: RunContext, error: str, *, retry: bool = True) -> RunOutcome:
    return RunOutcome(error=error, retry=retry, period=context.period, notes=list(context.notes),
                      skipped_records=list(context.skipped_records), total=context.total)


def _finish(claim: Claim, run: SyncRun, result: RunOutcome) -> None:
    now = timezone.now()
    error = result.error
    outcome = {
        "ended_at": now, "status": RunStatus.ERROR if error else RunStatus.SUCCESS,
        "message": error or _success_message(run.report_number, result), **result.counts(),
    }
    if result.period:
        outcome["period_start"], outcome["period_end"] = result.period
    if result.notes:
        outcome["log"] = "\n".join(result.notes)
    if result.total is not None:
        outcome["total"] = result.total
    # Only a run still In Process is written: one the sweeper took back keeps its verdict.
    if not SyncRun.objects.filter(pk=run.pk, status=RunStatus.IN_PROCESS).update(**outcome):
        logger.warning("run %s ended after it had been taken back; its outcome is dropped", run.pk)
        return
    for start in range(0, len(result.failures), ERROR_ROWS_PER_QUERY):
        SyncRunError.objects.bulk_create(
            SyncRunError(run=run, object=e.object, shopify_id=e.shopify_id, reason=e.reason)
            for e in result.failures[start:start + ERROR_ROWS_PER_QUERY]
        )
    for start in range(0, len(result.skipped_records), ERROR_ROWS_PER_QUERY):
        SkippedRecord.objects.bulk_create(
            SkippedRecord(run=run, merchant_id=run.merchant_id, report_number=run.report_number, record=s.record[:100],
                          shopify_id=s.shopify_id[:100], reason=s.reason, skipped_at=s.at)
            for s in result.skipped_records[start:start + ERROR_ROWS_PER_QUERY]
        )
    retry = result.retry
    outcome = release(claim, plan=lambda entry: _plan_after_run(entry, now, error, retry=retry))
    _start_next(outcome)


def _plan_after_run(entry: JobQueueEntry, now: datetime, error: str | None, *, retry: bool = True) -> None:
    """After a run: retry, plan the next slot, or rest (Business Central's rules)."""
    if error is None:
        entry.attempts = 0
        entry.last_error = ""
    else:
        entry.last_error = error
        if retry and entry.attempts < entry.maximum_attempts:
            # Business Central waits the rerun delay plus 10^attempt ms before trying again.
            entry.status = EntryStatus.READY
            entry.earliest_start_at = now + timedelta(seconds=entry.rerun_delay_seconds,
                                                      milliseconds=10 ** min(entry.attempts, 7))
            return
    if not entry.is_recurring:
        entry.status = EntryStatus.ERROR if error else EntryStatus.FINISHED
        return
    try:
        slot = next_run_after(entry, now)
    except NoNextRun as exc:
        entry.status = EntryStatus.ERROR
        entry.last_error = f"{entry.last_error} (no next run: {exc})".strip()
        return
    if entry.expires_at and slot > entry.expires_at:
        entry.status = EntryStatus.ERROR if error else EntryStatus.FINISHED
        return
    # A recurring entry whose attempts are used up keeps its error visible and runs at its next slot.
    entry.status = EntryStatus.ERROR if error else EntryStatus.READY
    entry.earliest_start_at = slot


def _start_next(outcome: Release) -> None:
    if outcome.next_entry_id is not None:
        enqueue(outcome.next_entry_id, outcome.next_slot)


def _success_message(report_number: int, result: RunOutcome) -> str:
    summary = result.summary or counts_in_words(report_number, result.counts())
    if result.failed:
        return f"{summary}; {result.failed} record(s) failed, see the errors below"
    return summary


def _progress_writer(run_id: int, also=None):
    """Write the counts onto the run as batches finish, so the run log shows a sync in progress."""
    last_write = [timezone.now()]

    def progress(counts) -> None:
        now = timezone.now()
        if now - last_write[0] >= PROGRESS_EVERY:
            SyncRun.objects.filter(pk=run_id).update(read=counts.read, created=counts.created,
                                                     updated=counts.updated, skipped=counts.skipped,
                                                     failed=counts.failed)
            last_write[0] = now
        if also is not None:
            also(counts)

    return progress
