"""Stock per inventory item and location (Shopify's inventory levels): on hand, committed to open
orders, incoming, and available (on hand less committed).

A generated item is stocked at every own location and, one in four, at the fulfillment service's
warehouse; its quantities come from the shop's "inventory" stream and are worked out when read, so a
catalog of 100,000 variants costs nothing until it changes. A level that changed, or that
inventoryActivate or a new variant created, is kept; reads never add to what is kept.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shopify_simulator.store.catalog import Catalog
from shopify_simulator.store.profiles import Location
from shopify_simulator.store.random_source import RandomSource, stream_key


@dataclass(slots=True)
class Level:
    item_id: int
    location: Location
    on_hand: int
    committed: int
    incoming: int
    updated: datetime

    @property
    def available(self) -> int:
        return self.on_hand - self.committed

    @property
    def location_number(self) -> int:
        return int(self.location.gid.rsplit("/", 1)[1])

    @property
    def gid(self) -> str:
        return f"gid://shopify/InventoryLevel/{self.location_number}?inventory_item_id={self.item_id}"


def inventory_key(seed: int, handle: str) -> int:
    return stream_key(seed, handle, "inventory")


def is_stocked_by_service(key: int, item_id: int) -> bool:
    """Whether the fulfillment service's warehouse stocks a generated item (one in four do); the
    orders send the goods it stocks there (store.order_view)."""
    return RandomSource(key, item_id).below(4) == 0


@dataclass(slots=True)
class Drift:
    delta: int
    times: int


class Inventory:
    def __init__(self, catalog: Catalog, locations: tuple[Location, ...], *, service_location: Location,
                 seed: int, handle: str, stamp: datetime) -> None:
        self._catalog = catalog
        self._key = inventory_key(seed, handle)
        self.locations = locations
        self._by_gid = {location.gid: location for location in locations}
        self._service = service_location
        self._stamp = stamp
        self._generated_below = max((v.inventory_item_id for v in catalog.variants()), default=0) + 1
        self._kept: dict[tuple[int, str], Level] = {}
        self._stocked: dict[int, list[str]] = {}      # items made after generation: where they are stocked
        self._drifts: dict[tuple[int, str], Drift] = {}

    def is_tracked(self, item_id: int) -> bool:
        variant = self._catalog.variant_of_inventory_item(item_id)
        return variant is not None and variant.tracked

    def knows_location(self, location_gid: str) -> bool:
        return location_gid in self._by_gid

    def of_item(self, item_id: int) -> list[Level]:
        return [level for gid in self._stocked_at(item_id) if (level := self.level(item_id, gid)) is not None]

    def level(self, item_id: int, location_gid: str) -> Level | None:
        kept = self._kept.get((item_id, location_gid))
        if kept is not None:
            return kept
        if location_gid not in self._stocked_at(item_id):
            return None
        return self._generated(item_id, self._by_gid[location_gid])

    def at(self, location_gid: str) -> "LevelsAt":
        return LevelsAt(self, location_gid)

    # Writes (the caller holds the shop's lock)
    def keep(self, level: Level) -> None:
        """Remember a level that changed; from now on reads return it."""
        self._kept[(level.item_id, level.location.gid)] = level

    def activate(self, item_id: int, location_gid: str, *, now: datetime, on_hand: int = 0) -> Level:
        """Stock an item at a location (inventoryActivate, or a new variant): an existing level is kept."""
        existing = self.level(item_id, location_gid)
        if existing is not None:
            return existing
        self._stocked.setdefault(item_id, [gid for gid in self._stocked_at(item_id)]).append(location_gid)
        level = Level(item_id, self._by_gid[location_gid], on_hand=on_hand, committed=0, incoming=0, updated=now)
        self.keep(level)
        return level

    def drift(self, item_id: int, location_gid: str, *, delta: int, times: int) -> None:
        """Before each of the next `times` writes that touch the level, move it by `delta` first: a
        sale (or a restock) between a sync's read and its write."""
        if times > 0:
            self._drifts[(item_id, location_gid)] = Drift(delta, times)
        else:
            self._drifts.pop((item_id, location_gid), None)

    def drift_before_write(self, keys: list[tuple[int, str]], *, now: datetime) -> list[Level]:
        """Move the drifting levels among `keys` (item id, location GID) as their drift says; the
        levels moved."""
        moved = []
        for key in dict.fromkeys(keys):
            drift = self._drifts.get(key)
            level = self.level(*key) if drift else None
            if level is None:
                continue
            if drift.delta < 0:   # a sale: committed to the order, no longer available
                level.committed -= drift.delta
            else:                 # a restock
                level.on_hand += drift.delta
            level.updated = now
            self.keep(level)
            moved.append(level)
            drift.times -= 1
            if drift.times == 0:
                del self._drifts[key]
        return moved

    def forget_item(self, item_id: int) -> None:
        for gid in self._stocked_at(item_id):
            self._kept.pop((item_id, gid), None)
        self._stocked[item_id] = []

    # Generation
    def _stocked_at(self, item_id: int) -> list[str]:
        stocked = self._stocked.get(item_id)
        if stocked is not None:
            return stocked
        variant = self._catalog.variant_of_inventory_item(item_id)
        if variant is None or item_id >= self._generated_below or not variant.tracked:
            return []
        own = [location.gid for location in self.locations if location != self._service]
        return [*own, self._service.gid] if is_stocked_by_service(self._key, item_id) else own

    def _generated(self, item_id: int, location: Location) -> Level:
        rng = RandomSource(self._key, item_id * 64 + self.locations.index(location) + 1)
        on_hand = rng.between(0, 60)
        return Level(item_id=item_id, location=location, on_hand=on_hand, committed=rng.between(0, min(4, on_hand)),
                     incoming=rng.choice((0, 0, 0, 12, 24)), updated=self._stamp)


class LevelsAt:
    """The levels of one location, in item order, worked out as they are read (a warehouse may stock
    100,000 items: a page must not build them all)."""

    def __init__(self, inventory: Inventory, location_gid: str) -> None:
        self.inventory, self.location_gid = inventory, location_gid

    def __iter__(self):
        for variant in self.inventory._catalog.variants():
            level = self.inventory.level(variant.inventory_item_id, self.location_gid)
            if level is not None:
                yield level
