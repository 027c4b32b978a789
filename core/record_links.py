"""Where a failed or skipped record of a run can be seen, and where what it needs is fixed.

The run log lives in the job queue, which knows no connector; each connector registers, at
start-up, a link for the records it knows ("order" → the imported order) and for the problems it
can name (a missing account mapping → the shop's account mappings).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    text: str
    url: str


RECORD_LINKS: dict[str, Callable[[int, str], Link | None]] = {}
FIX_LINKS: list[tuple[Callable[[str], bool], Callable[[int], Link]]] = []


def register_record_link(kind: str, link: Callable[[int, str], Link | None]) -> None:
    """`link(merchant_id, shopify_id)` for records of `kind` ("order", "payout")."""
    RECORD_LINKS[kind] = link


def register_fix_link(matches: Callable[[str], bool], link: Callable[[int], Link]) -> None:
    """`link(merchant_id)` for the failures whose reason `matches`."""
    FIX_LINKS.append((matches, link))


def record_link(kind: str, merchant_id: int, shopify_id: str) -> Link | None:
    make = RECORD_LINKS.get(kind)
    return make(merchant_id, shopify_id) if make and shopify_id else None


def fix_links(reason: str, merchant_id: int) -> list[Link]:
    return [link(merchant_id) for matches, link in FIX_LINKS if matches(reason)]
