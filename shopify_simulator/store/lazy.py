"""A list field worked out only when a query asks for it: as data (a JSON dump, a comparison) it is
what is known without asking, often nothing; the GraphQL resolver calls it, as any lazy field, and
gets the whole list. The store's views use it where the answer lives elsewhere in the shop (a
customer's company contacts, an order's disputes) and would cost a lookup nobody asked for."""
from __future__ import annotations

from typing import Callable


class LazyList(list):
    def __init__(self, resolve: Callable, known: tuple = ()) -> None:
        super().__init__(known)
        self.resolve = resolve

    def __call__(self, info, **args):
        return self.resolve(info)
