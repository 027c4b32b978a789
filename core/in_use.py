"""What uses a record of the accounting target, asked before it is deleted.

The ledger's customers and items are named by their numbers in tables of the layers above it (a
customer link, a shop card's default customer, a default per country …): deleting one of them
would leave those pointing at nothing. The ledger cannot ask those layers, so each registers here,
at start-up, how to say what of theirs uses a number, and the ledger refuses a deletion they name.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

# kind ("customer", "item") -> [(merchant_id, numbers) -> sentences saying what uses them]
IN_USE: dict[str, list[Callable[[int, Collection[str]], list[str]]]] = {}


def register_in_use(kind: str, uses: Callable[[int, Collection[str]], list[str]]) -> None:
    """`uses(merchant_id, numbers)` names what uses those records of `kind`, one sentence each
    ("customer C00002 is the shop's default customer"); [] when nothing does."""
    registered = IN_USE.setdefault(kind, [])
    if uses not in registered:
        registered.append(uses)


def uses_of(kind: str, merchant_id: int, numbers: Collection[str]) -> list[str]:
    numbers = sorted(set(numbers))
    if not numbers:
        return []
    return [sentence for uses in IN_USE.get(kind, []) for sentence in uses(merchant_id, numbers)]


def uses_of_records(kind: str, records: Iterable[tuple[int, str]]) -> list[str]:
    """What uses any of `records`, (merchant_id, number) pairs of several shops perhaps."""
    numbers: dict[int, set[str]] = {}
    for merchant_id, number in records:
        numbers.setdefault(merchant_id, set()).add(number)
    return [use for merchant_id in sorted(numbers) for use in uses_of(kind, merchant_id, numbers[merchant_id])]
