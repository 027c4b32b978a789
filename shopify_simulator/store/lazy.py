"""Fields worked out only when a query asks for them. As data (a JSON dump, a schema check, a
comparison) each is what is known without asking: ids, often nothing; the GraphQL resolver calls
it, as any lazy field, and gets the whole answer. The store's views use them where the answer lives
elsewhere in the shop (a customer's company contacts, an order's disputes) or would make a view
circular (the order of one of its refunds)."""
from __future__ import annotations

from typing import Callable


class LazyList(list):
    def __init__(self, resolve: Callable, known: tuple = ()) -> None:
        super().__init__(known)
        self.resolve = resolve

    def __call__(self, info, **args):
        return self.resolve(info)


class Reference(dict):
    """One object elsewhere in the store: as data, its id."""

    def __init__(self, gid: str, resolve: Callable) -> None:
        super().__init__(id=gid)
        self.resolve = resolve

    def __call__(self, info, **args):
        return self.resolve(info)


def references(gids, resolve: Callable) -> LazyList:
    """Several such objects, for a list or a connection field: as data, their ids."""
    return LazyList(resolve, known=tuple({"id": gid} for gid in gids))
