"""Reading rows a batch at a time."""
from __future__ import annotations

from collections.abc import Iterable, Iterator


def in_batches(rows: Iterable | None, pending, size: int) -> Iterator[list]:
    """`rows` in slices of `size` when given; else the queryset `pending` in batches by primary key,
    each read afresh after the one before (keyset: what a batch writes never shifts the next)."""
    if rows is not None:
        rows = list(rows)
        for start in range(0, len(rows), size):
            yield rows[start:start + size]
        return
    last = 0
    while batch := list(pending.filter(pk__gt=last).order_by("pk")[:size]):
        last = batch[-1].pk
        yield batch
