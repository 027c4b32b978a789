"""Numbers for new customers, items and documents, from the merchant's number series (created with
Business Central-like defaults the first time one is needed)."""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, TypeVar

from django.db import IntegrityError, transaction

from connectors.ledger.errors import NumberTaken
from connectors.ledger.models import NumberSeries, SeriesCode

Draft = TypeVar("Draft")   # a record with a `number` ("" until numbered): CustomerData, ItemData

DEFAULTS = {
    SeriesCode.CUSTOMERS: "C", SeriesCode.ITEMS: "I", SeriesCode.SALES_ORDERS: "SO",
    SeriesCode.SALES_INVOICES: "SI", SeriesCode.SALES_CREDIT_MEMOS: "SCM", SeriesCode.SALES_RETURN_ORDERS: "SRO",
    SeriesCode.POSTED_SHIPMENTS: "PSS", SeriesCode.POSTED_INVOICES: "PSI", SeriesCode.POSTED_CREDIT_MEMOS: "PSCM",
}


def next_numbers(merchant, code: str, count: int, *, taken=lambda numbers: set()) -> list[str]:
    """`count` new numbers of the series, skipping any that `taken(numbers)` says are in use (a
    number typed by hand). The series row is locked while numbers are taken, so two syncs never
    share one."""
    if count <= 0:
        return []
    with transaction.atomic():
        series = _locked(merchant, code)
        found: list[str] = []
        number = series.last_number
        while len(found) < count:
            batch = [f"{series.prefix}{n:0{series.width}d}" for n in range(number + 1, number + 1 + count - len(found))]
            number += len(batch)
            in_use = taken(batch)
            found += [value for value in batch if value not in in_use]
        NumberSeries.objects.filter(pk=series.pk).update(last_number=number)
    return found


def _locked(merchant, code: str) -> NumberSeries:
    series = _for_update(merchant, code).first()
    if series is not None:
        return series
    try:
        with transaction.atomic():
            NumberSeries.objects.create(merchant=merchant, code=code, prefix=DEFAULTS[code])
    except IntegrityError:   # made by a sync that got here at the same moment
        pass
    return _for_update(merchant, code).get()


def _for_update(merchant, code: str):
    # Only the series row: the model's ordering would join the merchant and lock its row too, for
    # the whole of each document's posting, holding up any change to the shop card meanwhile.
    return NumberSeries.objects.select_for_update(of=("self",)).filter(merchant=merchant, code=code).order_by()


def numbered(merchant, code: str, drafts: list[Draft], *, what: str,
             in_use: Callable[[list[str]], set[str]]) -> list[Draft]:
    """The drafts, those without a number given the series' next ones; a number given twice, or one
    `in_use` says is taken, is refused (NumberTaken)."""
    given = [d.number for d in drafts if d.number]
    clash = next(iter(sorted(in_use(given))), None) or next((n for n in given if given.count(n) > 1), None)
    if clash:
        raise NumberTaken(what, clash)
    numbers = iter(next_numbers(merchant, code, sum(1 for d in drafts if not d.number), taken=in_use))
    return [d if d.number else replace(d, number=next(numbers)) for d in drafts]
