"""Stock per inventory item and location (Shopify's inventory levels): on hand, committed to open
orders, incoming, and available (on hand less committed). Generated from the shop's own
"inventory" stream; gift cards are not tracked."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shopify_simulator.store.catalog import Catalog
from shopify_simulator.store.profiles import Location
from shopify_simulator.store.random_source import RandomSource, stream_key


@dataclass
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


class Inventory:
    def __init__(self, catalog: Catalog, locations: tuple[Location, ...], *, seed: int, handle: str,
                 stamp: datetime) -> None:
        key = stream_key(seed, handle, "inventory")
        self._levels: dict[tuple[int, str], Level] = {}
        self._by_item: dict[int, list[Level]] = {}
        self._by_location: dict[str, list[Level]] = {}
        for variant in catalog.variants:
            if variant.item.is_gift_card:
                continue
            rng = RandomSource(key, variant.item.key)
            for location in locations:
                on_hand = rng.between(0, 60)
                level = Level(item_id=variant.inventory_item_id, location=location, on_hand=on_hand,
                              committed=rng.between(0, min(4, on_hand)), incoming=rng.choice((0, 0, 0, 12, 24)),
                              updated=stamp)
                self._levels[(variant.inventory_item_id, location.gid)] = level
                self._by_item.setdefault(variant.inventory_item_id, []).append(level)
                self._by_location.setdefault(location.gid, []).append(level)

    def is_tracked(self, item_id: int) -> bool:
        return item_id in self._by_item

    def of_item(self, item_id: int) -> list[Level]:
        return list(self._by_item.get(item_id, ()))

    def at(self, location_gid: str) -> list[Level]:
        return list(self._by_location.get(location_gid, ()))

    def level(self, item_id: int, location_gid: str) -> Level | None:
        return self._levels.get((item_id, location_gid))
