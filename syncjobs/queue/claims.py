"""Claiming an entry to run, and releasing it: Business Central's category semaphore (J2, J3).

Every claim and release locks the category row first, then the entry (syncjobs.queue.locks keeps
that order everywhere), in short transactions that are run again if PostgreSQL picks them as a
deadlock victim; the sync itself runs outside them. Under that lock a category has at most one
entry In Process; the partial unique index on In Process entries is the last line of defence. A
claim holds a token; only the holder of the token finishes the entry.

On SQLite `select_for_update` does nothing, but every transaction starts IMMEDIATE (see
settings), so writers are serialised all the same.
"""
from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.local_time import clock_in_zone, in_zone
from syncjobs.queue.categories import default_category_for
from syncjobs.queue.errors import QueueError
from syncjobs.queue.locks import lock_categories, lock_entries, lock_waiting_entry, retrying
from syncjobs.queue.models import EntryStatus, JobQueueEntry, RunStatus, RunTrigger, SyncRun


class CategoryBusy(QueueError):
    def __init__(self, merchant, running: JobQueueEntry) -> None:
        super().__init__(f"{merchant.code}'s syncs are busy: {running.report_label.split(' ', 1)[-1]} "
                         f"started {_local_time(running.started_at, merchant)}")
        self.running = running


def this_process() -> str:
    """host:pid of this process, as an operator finds it in `ps`."""
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


@dataclass(frozen=True)
class Claim:
    """The right to run one entry once; `run_id` is the SyncRun the run writes to."""

    entry_id: int
    token: uuid.UUID
    run_id: int


@retrying
def claim_queued(entry_id: int, slot: datetime) -> Claim | None:
    """Claim a queued entry for its slot, or None when this delivery has nothing to do.

    Nothing to do: the entry is gone, no longer Ready for that slot (run, re-planned, put on hold, a
    redelivered task), or its category is busy, in which case it now waits (status Waiting).
    """
    try:
        with transaction.atomic():
            entry = next(iter(lock_entries([entry_id])), None)
            if entry is None or not is_runnable(entry) or entry.earliest_start_at != slot:
                return None
            if _running_in_category(entry) is not None:
                if entry.status == EntryStatus.ERROR:
                    entry.attempts = 0   # a new slot of a recurring entry: it waits, then gets its attempts afresh
                entry.status = EntryStatus.WAITING
                entry.save(update_fields=["status", "attempts", "updated_at"])
                return None
            return _start(entry, slot=slot, trigger=RunTrigger.QUEUE, user=None)
    except IntegrityError:
        # The run for this slot exists, or the category's index refused a second In Process: either
        # way another delivery has it.
        return None


@retrying
def claim_now(*, merchant, report_number: int, parameters: dict, user, trigger: str,
              description: str = "") -> Claim:
    """Claim a run in this process (foreground, command line) or raise CategoryBusy.

    It takes the same category claim as queued runs, through a one-off entry that exists for as
    long as the run is in the queue's view.
    """
    category = default_category_for(merchant)
    try:
        with transaction.atomic():
            lock_categories([category.pk])
            entry = JobQueueEntry(
                merchant=merchant, report_number=report_number, parameters=parameters, category=category,
                description=description, maximum_attempts=1, created_by=user if user and user.pk else None,
                earliest_start_at=timezone.now(),
            )
            running = _running_in_category(entry)
            if running is not None:
                raise CategoryBusy(merchant, running)
            entry.save()
            return _start(entry, slot=entry.earliest_start_at, trigger=trigger, user=user)
    except IntegrityError:
        running = _running_in_category(JobQueueEntry(merchant=merchant, category=category))
        if running is None:
            raise
        raise CategoryBusy(merchant, running) from None


@dataclass(frozen=True)
class Release:
    """What finishing a run did to its entry, for the caller to act on after commit."""

    entry_status: str | None          # None when the claim had been lost (the entry moved on)
    next_entry_id: int | None = None  # a Waiting entry of the category, now Ready
    next_slot: datetime | None = None


@retrying
def release(claim: Claim, *, plan) -> Release:
    """Take the entry out of In Process as `plan(entry)` decides, and ready the category's next one.

    `plan` sets the entry's new status and fields (it runs under the locks); the next Waiting entry
    of the category, by priority then age, becomes Ready. A claim that was lost (the sweeper took
    the entry back) changes nothing.
    """
    with transaction.atomic():
        entry = next(iter(lock_entries([claim.entry_id], claim_token=claim.token)), None)
        if entry is None:
            return Release(entry_status=None)
        return _release_locked(entry, plan)


@retrying
def release_if_stale(entry_id: int, *, silent_since: datetime, plan) -> Release | None:
    """Release an In Process entry whose heartbeat is older than `silent_since` (its worker died),
    marking its open run as failed; None when it turned out to be alive or already released."""
    with transaction.atomic():
        entry = next(iter(lock_entries([entry_id], status=EntryStatus.IN_PROCESS, heartbeat_at__lt=silent_since)),
                     None)
        if entry is None:
            return None
        since = in_zone(entry.heartbeat_at, entry.merchant.time_zone)
        message = f"the worker stopped while running (no heartbeat since {since})"
        SyncRun.objects.filter(entry=entry, status=RunStatus.IN_PROCESS).update(
            status=RunStatus.ERROR, ended_at=timezone.now(), message=message)
        entry.last_error = message
        return _release_locked(entry, plan)


def _release_locked(entry: JobQueueEntry, plan) -> Release:
    plan(entry)
    entry.claim_token = None
    entry.running_in = ""
    entry.save()
    if entry.category_id is None:
        return Release(entry_status=entry.status)
    waiting = lock_waiting_entry(entry.category_id)
    if waiting is None or entry.status == EntryStatus.IN_PROCESS:
        return Release(entry_status=entry.status)
    waiting.status = EntryStatus.READY
    waiting.enqueued_for = waiting.earliest_start_at
    waiting.save(update_fields=["status", "enqueued_for", "updated_at"])
    return Release(entry_status=entry.status, next_entry_id=waiting.pk, next_slot=waiting.earliest_start_at)


def is_runnable(entry: JobQueueEntry) -> bool:
    """Ready, or a recurring entry in Error: its next slot runs all the same (J3)."""
    return entry.status == EntryStatus.READY or (entry.status == EntryStatus.ERROR and entry.is_recurring)


def _running_in_category(entry: JobQueueEntry) -> JobQueueEntry | None:
    if entry.category_id is None:
        return None
    running = JobQueueEntry.objects.filter(category_id=entry.category_id, status=EntryStatus.IN_PROCESS)
    if entry.pk:
        running = running.exclude(pk=entry.pk)
    return running.first()


def _start(entry: JobQueueEntry, *, slot: datetime, trigger: str, user) -> Claim:
    now = timezone.now()
    if entry.status == EntryStatus.ERROR:
        entry.attempts = 0   # a new slot of a recurring entry gets its attempts afresh
    entry.status = EntryStatus.IN_PROCESS
    entry.running_in = this_process()
    entry.claim_token = uuid.uuid4()
    entry.started_at = entry.heartbeat_at = now
    entry.attempts += 1
    entry.save(update_fields=["status", "running_in", "claim_token", "started_at", "heartbeat_at", "attempts",
                              "updated_at"])
    run = SyncRun.objects.create(
        entry=entry, merchant_id=entry.merchant_id, report_number=entry.report_number, trigger=trigger,
        started_by=_who_started(entry, user), scheduled_for=slot, parameters=entry.parameters,
        started_at=now, status=RunStatus.IN_PROCESS,
    )
    return Claim(entry_id=entry.pk, token=entry.claim_token, run_id=run.pk)


def _who_started(entry: JobQueueEntry, user):
    """The person in the request, or, for a sync pressed in the background, the one who pressed it;
    nobody for a recurring entry's runs (the schedule starts those)."""
    if user and user.pk:
        return user
    return None if entry.is_recurring else entry.created_by


def _local_time(moment: datetime | None, merchant) -> str:
    return "a moment ago" if moment is None else clock_in_zone(moment, merchant.time_zone)
