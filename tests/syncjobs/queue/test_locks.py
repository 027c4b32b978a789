"""The queue's lock helpers: what is run again after a deadlock, and what a person is told."""
import pytest
from django.db import OperationalError, transaction

from syncjobs.queue.locks import RETRY_ATTEMPTS, QueueBusy, retrying


class _DriverError(Exception):
    def __init__(self, sqlstate):
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def aborted(sqlstate: str) -> OperationalError:
    """An OperationalError as Django raises it over the driver's (which carries the SQLSTATE)."""
    try:
        raise OperationalError("aborted") from _DriverError(sqlstate)
    except OperationalError as exc:
        return exc


def test_a_deadlock_that_persists_becomes_a_plain_refusal_after_the_attempts():
    calls = []

    @retrying
    def always_a_victim():
        calls.append(1)
        raise aborted("40P01")

    with pytest.raises(QueueBusy, match="too busy right now: nothing was changed"):
        always_a_victim()
    assert len(calls) == RETRY_ATTEMPTS


def test_other_database_errors_are_not_retried():
    calls = []

    @retrying
    def no_lock_available():
        calls.append(1)
        raise aborted("55P03")

    with pytest.raises(OperationalError):
        no_lock_available()
    assert calls == [1]


@pytest.mark.django_db
def test_inside_an_outer_transaction_nothing_is_run_twice():
    calls = []

    @retrying
    def victim():
        calls.append(1)
        raise aborted("40P01")

    with pytest.raises(OperationalError), transaction.atomic():
        victim()
    assert calls == [1]
