"""Where a failed or skipped record of a run can be seen, and where what it needs is fixed.

The run log lives in the job queue, which knows no connector; each connector registers, at
start-up, a link for the records it knows ("order" → the imported order) and for the problems it
can name (a missing account mapping → the shop's account mappings).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Link:
    text: str
    url: str


RECORD_LINKS: dict[str, Callable[[int, str], Link | None]] = {}
FIX_LINKS: list[tuple[Callable[[str], bool], Callable[[int], Link]]] = []
# What a record's page links to that another layer knows: "shopify order" → the journal that took
# it; "journal entry" → the orders and payouts behind it.
RELATED_LINKS: dict[str, list[Callable[[Any], list[Link]]]] = {}


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


def register_related_links(subject: str, links: Callable[[Any], list[Link]]) -> None:
    RELATED_LINKS.setdefault(subject, []).append(links)


def related_links(subject: str, obj) -> list[Link]:
    return [link for make in RELATED_LINKS.get(subject, []) for link in make(obj)]
