"""Stock to Shopify (report 30102): set each level's available quantity with inventorySetQuantities,
guarded by the quantity we believe Shopify has (compareQuantity).

Shopify applies a call all or nothing and names the refused entries. A stale compare quantity (a
sale in Shopify since we read it) has its level read again: one already at the wanted quantity is
UNCHANGED (our own earlier write whose answer was lost, say); the others are sent once more with
what Shopify now has, and stale again they are STALE, naming both quantities, and not sent. Any
other refusal of an entry is REFUSED in Shopify's words. The rest of the call is sent again without
them. Quantities are set, never adjusted, so a call sent twice (an answer lost and retried) cannot
add twice: the second finds its compare quantity stale. What Shopify answers and what is read again
update ShopifyInventoryLevel, a batch at a time.

The shop's locations and the import of its stock live in locations.py and inventory_levels.py; this
module is the one the inventory sync imports them from.
"""
from __future__ import annotations

import enum
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from connectors.shopify.client import ShopifyClient
from connectors.shopify.documents import document
from connectors.shopify.inventory_levels import forget_levels, import_inventory_levels, store_levels
from connectors.shopify.inventory_reads import (
    INVENTORY_ITEM_GID,
    LOCATION_GID,
    LevelReport,
    NoLevel,
    levels_by_item,
    moment_of,
)
from connectors.shopify.locations import import_locations

__all__ = ["QuantityResult", "QuantityToSet", "SetOutcome", "import_inventory_levels", "import_locations",
           "set_available_quantities"]

logger = logging.getLogger(__name__)
QUANTITIES_PER_CALL = 250          # Shopify's limit for inventorySetQuantities
MAX_QUANTITY = 1_000_000_000       # Shopify refuses more
STALE = "COMPARE_QUANTITY_STALE"


@dataclass(frozen=True)
class QuantityToSet:
    inventory_item_gid: str
    location_gid: str
    quantity: int                 # >= 0
    compare_quantity: int | None  # what we believe Shopify has (None: no level known; it is read first)


class SetOutcome(enum.StrEnum):
    SET = "set"
    UNCHANGED = "unchanged"
    STALE = "stale"
    REFUSED = "refused"


@dataclass(frozen=True)
class QuantityResult:
    wanted: QuantityToSet
    outcome: SetOutcome
    shopify_quantity: int | None   # STALE: what Shopify had at the last read; SET: quantity after
    reason: str = ""               # STALE/REFUSED: words a bookkeeper can act on


@dataclass
class _Entry:
    position: int                  # in the caller's list
    wanted: QuantityToSet
    compare: int | None
    stale_answers: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return self.wanted.location_gid, self.wanted.inventory_item_gid


@dataclass
class _Run:
    """One call of set_available_quantities: its outcomes so far and what Shopify told us."""

    client: ShopifyClient
    reason: str
    reference: str | None
    results: dict[int, QuantityResult]
    reports: list[LevelReport]
    gone: list[tuple[str, str]]

    def end(self, entry: _Entry, outcome: SetOutcome, quantity: int | None, reason: str = "") -> None:
        self.results[entry.position] = QuantityResult(entry.wanted, outcome, quantity, reason)


def set_available_quantities(merchant, client: ShopifyClient, quantities: list[QuantityToSet], *,
                             reason: str = "correction", reference: str | None = None) -> list[QuantityResult]:
    """Set each quantity's available stock in Shopify; one result per quantity, in their order."""
    run = _Run(client, reason, reference, results={}, reports=[], gone=[])
    entries = _checked(quantities, run)
    try:
        unknown = [entry for entry in entries if entry.compare is None]
        entries = [entry for entry in entries if entry.compare is not None] + _decide_on_fresh_levels(run, unknown)
        while entries:
            stale: list[_Entry] = []
            for start in range(0, len(entries), QUANTITIES_PER_CALL):
                _send(run, entries[start:start + QUANTITIES_PER_CALL], stale)
            entries = _decide_on_fresh_levels(run, stale)
    finally:   # what Shopify said is kept, also when a call gave up half-way
        store_levels(merchant, run.reports)
        forget_levels(merchant, run.gone)
    return [run.results[position] for position in range(len(quantities))]


def _checked(quantities: list[QuantityToSet], run: _Run) -> list[_Entry]:
    """The quantities that can be sent; the others REFUSED with why (Shopify would refuse the whole call)."""
    entries: list[_Entry] = []
    seen: set[tuple[str, str]] = set()
    for position, wanted in enumerate(quantities):
        entry = _Entry(position, wanted, wanted.compare_quantity)
        problem = _problem(wanted)
        if not problem and entry.key in seen:
            problem = "the same item and location are given twice; the first is set"
        if problem:
            run.end(entry, SetOutcome.REFUSED, None, problem)
            continue
        seen.add(entry.key)
        entries.append(entry)
    return entries


def _problem(wanted: QuantityToSet) -> str:
    if not INVENTORY_ITEM_GID.match(str(wanted.inventory_item_gid)):
        return f"{wanted.inventory_item_gid!r} is not the ID of a Shopify inventory item"
    if not LOCATION_GID.match(str(wanted.location_gid)):
        return f"{wanted.location_gid!r} is not the ID of a Shopify location"
    if not _is_int(wanted.quantity) or not 0 <= wanted.quantity <= MAX_QUANTITY:
        return f"{wanted.quantity!r} cannot be set: Shopify takes a whole number from 0 to {MAX_QUANTITY:,}"
    if wanted.compare_quantity is not None and not _is_int(wanted.compare_quantity):
        return f"the compare quantity {wanted.compare_quantity!r} is not a whole number"
    return ""


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _decide_on_fresh_levels(run: _Run, entries: list[_Entry]) -> list[_Entry]:
    """Read the levels of `entries` (no compare quantity yet, or stale) and decide each: those to send
    (again) with the quantity read as their compare quantity are returned."""
    by_location: dict[str, list[_Entry]] = defaultdict(list)
    for entry in entries:
        by_location[entry.wanted.location_gid].append(entry)
    to_send = []
    for location, waiting in by_location.items():
        levels = levels_by_item(run.client, location, [entry.wanted.inventory_item_gid for entry in waiting])
        for entry in waiting:
            level = levels[entry.wanted.inventory_item_gid]
            if isinstance(level, NoLevel):
                run.gone.append(entry.key)
                run.end(entry, SetOutcome.REFUSED, None, str(level))
                continue
            run.reports.append(level)
            if level.available == entry.wanted.quantity:
                run.end(entry, SetOutcome.UNCHANGED, level.available)
            elif entry.stale_answers >= 2:
                run.end(entry, SetOutcome.STALE, level.available, (
                    "Shopify's stock changed while syncsite set it, twice (sales in Shopify?): "
                    f"{entry.wanted.quantity} was to be set, Shopify has {level.available}; the next sync tries again"))
            else:
                entry.compare = level.available
                to_send.append(entry)
    return to_send


def _send(run: _Run, entries: list[_Entry], stale: list[_Entry]) -> None:
    """Send `entries` until Shopify takes what is left of them. A call sent again after a lost answer
    is safe: were it done, its compare quantities are stale now and those levels are read again."""
    pending = list(entries)
    while pending:
        payload = run.client.execute(document("InventorySetQuantities"), {"input": _input(run, pending)},
                                     check=_answer_problem).data["inventorySetQuantities"]
        if not payload["userErrors"]:
            _taken(run, pending, payload["inventoryAdjustmentGroup"])
            return
        named, general = _errors_by_entry(payload["userErrors"], len(pending))
        if general:   # the call itself (its reason or reference): no entry can be sent
            words = "; ".join(error.get("message") or "refused" for error in general)
            for entry in pending:
                run.end(entry, SetOutcome.REFUSED, None, f"Shopify refused the request: {words}")
            return
        for position, errors in named.items():
            entry = pending[position]
            refusals = [error for error in errors if error.get("code") != STALE]
            if refusals:
                run.end(entry, SetOutcome.REFUSED, None,
                        "Shopify refused it: " + "; ".join(error.get("message") or "refused" for error in refusals))
            else:
                entry.stale_answers += 1
                stale.append(entry)
        pending = [entry for position, entry in enumerate(pending) if position not in named]


def _input(run: _Run, entries: list[_Entry]) -> dict:
    return {"name": "available", "reason": run.reason, "referenceDocumentUri": run.reference,
            "quantities": [{"inventoryItemId": entry.wanted.inventory_item_gid,
                            "locationId": entry.wanted.location_gid, "quantity": entry.wanted.quantity,
                            "compareQuantity": entry.compare} for entry in entries]}


def _taken(run: _Run, entries: list[_Entry], group: dict | None) -> None:
    """Shopify set every entry. A group without a change for a level (or no group: nothing changed)
    leaves the quantity that was sent."""
    group = group or {}
    after = {(c["location"]["id"], c["item"]["id"], c["name"]): c["quantityAfterChange"]
             for c in group.get("changes") or []}
    reported_at = moment_of(group.get("createdAt")) or timezone.now()
    for entry in entries:
        location, item = entry.key
        available = after.get((location, item, "available"), entry.wanted.quantity)
        run.reports.append(LevelReport(item, location, available, after.get((location, item, "on_hand")),
                                       reported_at))
        outcome = SetOutcome.UNCHANGED if entry.compare == entry.wanted.quantity else SetOutcome.SET
        run.end(entry, outcome, available)


def _errors_by_entry(errors: list[dict], count: int) -> tuple[dict[int, list[dict]], list[dict]]:
    """userErrors by the position of the entry their field names (["input", "quantities", "3", ...]),
    and those naming none."""
    named: dict[int, list[dict]] = defaultdict(list)
    general = []
    for error in errors:
        field = error.get("field") or []
        if len(field) >= 3 and list(field[:2]) == ["input", "quantities"] and str(field[2]).isdigit() \
                and int(field[2]) < count:
            named[int(field[2])].append(error)
        else:
            general.append(error)
    return named, general


def _answer_problem(data) -> str | None:
    """What keeps the answer from saying, entry by entry, what Shopify did."""
    payload = data.get("inventorySetQuantities") if isinstance(data, dict) else None
    if not isinstance(payload, dict) or not isinstance(payload.get("userErrors"), list):
        return "inventorySetQuantities gave no payload"
    if payload["userErrors"]:
        return None if all(isinstance(error, dict) for error in payload["userErrors"]) else "unreadable userErrors"
    group = payload.get("inventoryAdjustmentGroup")
    if group is None:
        return None
    changes = group.get("changes") if isinstance(group, dict) else None
    if not isinstance(changes, list):
        return "the adjustment group lists no changes"
    for change in changes:
        if not (isinstance(change, dict) and isinstance(change.get("name"), str)
                and _is_int(change.get("quantityAfterChange"))
                and isinstance((change.get("item") or {}).get("id"), str)
                and isinstance((change.get("location") or {}).get("id"), str)):
            return "a change cannot be read"
    return None
