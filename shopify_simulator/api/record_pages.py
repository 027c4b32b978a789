"""Pages of in-memory records in a sort order, built into views only for the page asked for, so a
list of 100,000 variants answers a page of 50 by viewing 50 (and a bulk export streams them all).

The cursor carries the sort's name and the last record's sort key; the key ends with the record's
ID, so two records never share one.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Callable, Iterable, Iterator, TypeVar

from graphql import GraphQLError

from shopify_simulator.api.connections import page_of

R = TypeVar("R")
SortKey = Callable[[R], tuple]


class RecordListing:
    def __init__(self, records: Iterable[R], *, sort_name: str, key: SortKey, keep: Callable[[R], bool],
                 view: Callable[[R], dict], presorted: bool = False) -> None:
        """`records` in any order unless `presorted` says they already are in `key` order."""
        self.records = list(records) if presorted else sorted(records, key=key)
        self.sort_name, self.key, self.keep, self.view = sort_name, key, keep, view

    def matching(self, after: tuple | None = None, *, descending: bool = False) -> Iterator[tuple[tuple, R]]:
        """(key, record) of each kept record after the key `after`, in the order asked for."""
        keys = [self.key(record) for record in self.records]
        try:
            if descending:
                end = bisect_left(keys, after) if after is not None else len(keys)
                positions = range(end - 1, -1, -1)
            else:
                positions = range(bisect_right(keys, after) if after is not None else 0, len(keys))
        except TypeError:   # a cursor of another sort, or made up
            raise GraphQLError("Invalid cursor for current pagination sort.", extensions={"code": "BAD_REQUEST"})
        for position in positions:
            record = self.records[position]
            if self.keep(record):
                yield keys[position], record

    def page(self, args: dict) -> dict:
        def items_after(cursor: dict | None, descending: bool):
            after = None
            if cursor is not None:
                if cursor.get("s") != self.sort_name or not isinstance(cursor.get("k"), list):
                    raise GraphQLError("Invalid cursor for current pagination sort.",
                                       extensions={"code": "BAD_REQUEST"})
                after = tuple(cursor["k"])
            for key, record in self.matching(after, descending=descending):
                yield {"s": self.sort_name, "k": list(key)}, self.view(record)

        return page_of(items_after, args, reverse=bool(args.get("reverse")))

    def exported(self, *, descending: bool = False) -> Iterator[tuple[list, dict]]:
        """Every kept record as (cursor key, view), for a bulk export."""
        for key, record in self.matching(descending=descending):
            yield list(key), self.view(record)

    def count(self) -> int:
        return sum(1 for _ in self.matching())
