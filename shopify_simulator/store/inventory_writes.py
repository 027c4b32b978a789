"""inventorySetQuantities as Shopify applies it: every quantity checked first (all or nothing), the
compare quantity guarding against a stale read, then the levels set and the changes reported."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shopify_simulator.store.gids import gid_number
from shopify_simulator.store.inventory import Inventory, Level

# Shopify's reasons for an inventory change (a subset: the ones a sync sends).
REASONS = frozenset({"correction", "cycle_count_available", "damaged", "movement_created", "movement_updated",
                     "movement_received", "movement_canceled", "other", "promotion", "quality_control",
                     "received", "reservation_created", "reservation_deleted", "reservation_updated",
                     "restock", "safety_stock", "shrinkage"})
SETTABLE = ("available", "on_hand")
MAX_QUANTITY = 1_000_000_000


@dataclass(frozen=True)
class Refusal:
    field: list[str]
    message: str
    code: str


@dataclass(frozen=True)
class Change:
    level: Level
    name: str
    delta: int
    after: int


def touched_levels(request: dict) -> list[tuple[int, str]]:
    """(item id, location GID) of each quantity the mutation's input names, as far as they can be read."""
    keys = []
    for entry in request.get("quantities") or []:
        item = gid_number(entry.get("inventoryItemId"), "InventoryItem")
        if item is not None:
            keys.append((item, entry.get("locationId", "")))
    return keys


def set_quantities(inventory: Inventory, request: dict, *, now: datetime) -> tuple[list[Change], list[Refusal]]:
    """Apply the mutation's input to `inventory`; nothing is changed when anything is refused."""
    refusals = []
    name = request.get("name", "")
    if name not in SETTABLE:
        refusals.append(Refusal(["input", "name"], "The quantity name must be available or on_hand.", "INVALID_NAME"))
    if request.get("reason") not in REASONS:
        refusals.append(Refusal(["input", "reason"], "The reason is not valid.", "INVALID_REASON"))
    wanted: list[tuple[Level, int]] = []
    seen = set()
    for index, entry in enumerate(request.get("quantities") or []):
        at = ["input", "quantities", str(index)]
        item, location = gid_number(entry.get("inventoryItemId"), "InventoryItem"), entry.get("locationId", "")
        if item is None or not inventory.is_tracked(item):
            refusals.append(Refusal([*at, "inventoryItemId"], "The specified inventory item could not be found.",
                                    "INVALID_INVENTORY_ITEM"))
            continue
        level = inventory.level(item, location)
        if level is None:
            if inventory.knows_location(location):
                refusals.append(Refusal([*at, "locationId"], "The item is not stocked at the location.",
                                        "ITEM_NOT_STOCKED_AT_LOCATION"))
            else:
                refusals.append(Refusal([*at, "locationId"], "The specified location could not be found.",
                                        "INVALID_LOCATION"))
            continue
        if (item, location) in seen:
            refusals.append(Refusal(at, "The same item and location are given twice.",
                                    "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR"))
            continue
        seen.add((item, location))
        quantity = entry.get("quantity")
        if quantity < 0 and name == "on_hand":
            refusals.append(Refusal([*at, "quantity"], "The quantity can't be negative.", "INVALID_QUANTITY_NEGATIVE"))
            continue
        if abs(quantity) > MAX_QUANTITY:
            refusals.append(Refusal([*at, "quantity"], "The quantity is too high or too low.",
                                    "INVALID_QUANTITY_TOO_HIGH" if quantity > 0 else "INVALID_QUANTITY_TOO_LOW"))
            continue
        if not request.get("ignoreCompareQuantity"):
            compare = entry.get("compareQuantity")
            current = level.available if name == "available" else level.on_hand
            if compare is None:
                refusals.append(Refusal([*at, "compareQuantity"], "The compareQuantity argument must be given to "
                                        "each quantity or ignored using ignoreCompareQuantity.",
                                        "COMPARE_QUANTITY_REQUIRED"))
                continue
            if compare != current:
                refusals.append(Refusal([*at, "compareQuantity"], "The compareQuantity argument no longer matches the "
                                        "persisted quantity.", "COMPARE_QUANTITY_STALE"))
                continue
        wanted.append((level, quantity))
    if refusals:
        return [], refusals
    changes = []
    for level, quantity in wanted:
        before_available, before_on_hand = level.available, level.on_hand
        level.on_hand = quantity + level.committed if name == "available" else quantity
        level.updated = now
        inventory.keep(level)
        changes.append(Change(level, "available", level.available - before_available, level.available))
        changes.append(Change(level, "on_hand", level.on_hand - before_on_hand, level.on_hand))
    return changes, []
