"""The job queue's row locks, taken in one fixed order everywhere, so that no two transactions can
wait for each other (17.2).

The order: categories, by id, then entries, by id. A transaction that locks entries locks their
categories first; none locks a category after an entry. (Saleor's lock helpers keep the same
discipline for orders and their lines.)

Locks are FOR NO KEY UPDATE: they exclude each other as FOR UPDATE would, but not the FOR KEY
SHARE that PostgreSQL's foreign-key checks take when a run or an entry referring to the row is
inserted. With FOR UPDATE, a new entry's deferred foreign-key check waited at COMMIT for a category
lock held by a transaction that waited for that new entry's transaction: a deadlock.

A transaction that PostgreSQL still picks as a deadlock victim, or that hits a serialization
failure, is run again from its start by `retrying`, where that is safe: only when it is the
outermost transaction, so nothing it did has been kept.
"""
from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterable
from functools import wraps
from typing import TypeVar

from django.db import OperationalError, connection, transaction

from syncjobs.queue.errors import QueueError
from syncjobs.queue.models import EntryStatus, JobQueueCategory, JobQueueEntry

logger = logging.getLogger(__name__)

T = TypeVar("T")

RETRY_ATTEMPTS = 5
# SQLSTATEs after which running the whole transaction again is safe: deadlock_detected and
# serialization_failure. A lock_not_available is not among them: NOWAIT callers want to know.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})


def lock_categories(category_ids: Iterable[int | None]) -> None:
    """Lock the categories, lowest id first; call before locking any of their entries."""
    ids = sorted({pk for pk in category_ids if pk is not None})
    if ids:
        list(JobQueueCategory.objects.select_for_update(no_key=True).filter(pk__in=ids)
             .order_by("pk").values_list("pk", flat=True))


class QueueBusy(QueueError):
    """A transaction was still a deadlock victim after RETRY_ATTEMPTS; said to a person as a refusal."""


class CategoryMoved(Exception):
    """An entry changed category between reading its category and locking it; `retrying` starts the
    transaction again, which then locks the new one."""


def lock_entries(entry_ids: Iterable[int], **filters) -> list[JobQueueEntry]:
    """Lock the entries (those still matching `filters`) after their categories; returns them by id."""
    ids = sorted(set(entry_ids))
    if not ids:
        return []
    categories = set(JobQueueEntry.objects.filter(pk__in=ids).values_list("category_id", flat=True).distinct())
    lock_categories(categories)
    entries = list(JobQueueEntry.objects.select_for_update(no_key=True).filter(pk__in=ids, **filters).order_by("pk"))
    if any(entry.category_id not in categories for entry in entries):
        raise CategoryMoved
    return entries


def lock_waiting_entry(category_id: int) -> JobQueueEntry | None:
    """The category's next Waiting entry (by priority, then age), locked; the category must be held."""
    return (JobQueueEntry.objects.select_for_update(no_key=True)
            .filter(category_id=category_id, status=EntryStatus.WAITING)
            .order_by("priority_within_category", "id").first())


def retrying(work: Callable[..., T]) -> Callable[..., T]:
    """Run `work` (which opens its own transaction) again when PostgreSQL aborts it as a deadlock
    victim or on a serialization failure; inside an outer transaction it runs once. Still failing
    after RETRY_ATTEMPTS, it raises QueueBusy, which callers show as a refusal."""

    @wraps(work)
    def run(*args, **kwargs) -> T:
        if connection.in_atomic_block:
            return work(*args, **kwargs)
        for attempt in range(1, RETRY_ATTEMPTS + 1):
            try:
                return work(*args, **kwargs)
            except (OperationalError, CategoryMoved) as exc:
                if not is_retryable(exc):
                    raise
                if attempt == RETRY_ATTEMPTS:
                    raise QueueBusy("the job queue is too busy right now: nothing was changed; "
                                    "try again in a moment") from exc
                logger.info("%s was aborted (%s); running it again (attempt %s)", work.__qualname__,
                            _sqlstate(exc) or type(exc).__name__, attempt + 1)
                time.sleep(random.uniform(0, 0.02 * attempt))   # noqa: S311 (jitter, not security)
        raise AssertionError("unreachable")   # the last attempt returns or raises

    return run


def is_retryable(exc: BaseException) -> bool:
    return isinstance(exc, CategoryMoved) or _sqlstate(exc) in RETRYABLE_SQLSTATES


def _sqlstate(exc: BaseException) -> str | None:
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) or getattr(getattr(cause, "diag", None), "sqlstate", None)


def atomic_retrying(work: Callable[..., T]) -> Callable[..., T]:
    """`work` in a transaction of its own, retried as `retrying` says."""
    return retrying(transaction.atomic(work))
