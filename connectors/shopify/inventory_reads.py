"""Reading Shopify's stock levels: by inventory item ids at one location, every level of a location a
page at a time, or every level of the shop through a bulk export.

Every answer is checked whole before it is used: one that cannot be read is asked again (the
client's retries) and never taken for "no level" or "no more levels". A null among nodes(ids:) is
asked again, then alone, before it is believed.
"""
from __future__ import annotations

import enum
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Iterator

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from connectors.shopify.bulk import start_bulk_export, stream_lines, wait_for_bulk_export
from connectors.shopify.client import ShopifyClient, page_problem
from connectors.shopify.documents import document
from connectors.shopify.errors import ShopifyIncompleteAnswer

logger = logging.getLogger(__name__)
ITEMS_PER_READ = 250          # InventoryLevelsByItemIds: 3 points an item, 750 for 250 (nodes takes 250 at most)
LEVELS_PER_PAGE = 250         # InventoryLevelsAtLocation: 3 + 3 points a level, 753 a page
INVENTORY_ITEM_GID = re.compile(r"^gid://shopify/InventoryItem/\d+$")
LOCATION_GID = re.compile(r"^gid://shopify/Location/\d+$")


@dataclass(frozen=True)
class LevelReport:
    """What Shopify says of one item's stock at one location."""

    inventory_item_gid: str
    location_gid: str
    available: int
    on_hand: int | None
    reported_at: datetime      # Shopify's updatedAt of the level, else when it was read

    @property
    def key(self) -> tuple[str, str]:
        return self.location_gid, self.inventory_item_gid


class NoLevel(enum.StrEnum):
    """Why Shopify holds no stock of an item at a location, in words a bookkeeper can act on."""

    UNKNOWN_ITEM = "Shopify has no such inventory item (was its variant deleted?)"
    UNTRACKED = "Shopify does not track this item's stock (turn on Track quantity for its variant)"
    NOT_STOCKED = "the item is not stocked at this location in Shopify"


# By inventory item ---------------------------------------------------------------------------------
def levels_by_item(client: ShopifyClient, location_gid: str,
                   item_gids: Iterable[str]) -> dict[str, LevelReport | NoLevel]:
    """Each item's level at the location, ITEMS_PER_READ items a call."""
    found: dict[str, LevelReport | NoLevel] = {}
    wanted = list(dict.fromkeys(item_gids))
    for start in range(0, len(wanted), ITEMS_PER_READ):
        ids = wanted[start:start + ITEMS_PER_READ]
        nodes = _items(client, ids, location_gid)
        nulls = [gid for gid in ids if nodes[gid] is None]
        if nulls:   # unknown items, or an answer that lost them: asked again together, then each alone
            again = _items(client, nulls, location_gid)
            for gid in nulls:
                nodes[gid] = again[gid] if again[gid] is not None else _item_alone(client, gid, location_gid)
        read_at = timezone.now()
        for gid in ids:
            found[gid] = _level_of_item(nodes[gid], location_gid, read_at)
    return found


def _items(client: ShopifyClient, ids: list[str], location_gid: str) -> dict[str, dict | None]:
    def problem(data) -> str | None:
        nodes = data.get("nodes") if isinstance(data, dict) else None
        if not isinstance(nodes, list) or len(nodes) != len(ids):
            return f"nodes holds {len(nodes) if isinstance(nodes, list) else 'no list'} of the {len(ids)} items"
        return next((p for gid, node in zip(ids, nodes) if node is not None and (p := _item_problem(node, gid))), None)

    data = client.execute(document("InventoryLevelsByItemIds"), {"ids": ids, "location": location_gid},
                          check=problem).data
    return dict(zip(ids, data["nodes"]))


def _item_alone(client: ShopifyClient, gid: str, location_gid: str) -> dict | None:
    def problem(data) -> str | None:
        if not isinstance(data, dict) or "inventoryItem" not in data:
            return "inventoryItem is missing"
        return None if data["inventoryItem"] is None else _item_problem(data["inventoryItem"], gid)

    return client.execute(document("InventoryLevelOfItem"), {"id": gid, "location": location_gid},
                          check=problem).data["inventoryItem"]


def _item_problem(node, gid: str) -> str | None:
    if not isinstance(node, dict) or node.get("id") != gid or not isinstance(node.get("tracked"), bool):
        return f"the inventory item {gid} cannot be read"
    level = node.get("inventoryLevel")
    return None if level is None else _level_problem(level, gid)


def _level_of_item(node: dict | None, location_gid: str, read_at: datetime) -> LevelReport | NoLevel:
    if node is None:
        return NoLevel.UNKNOWN_ITEM
    if not node["tracked"]:
        return NoLevel.UNTRACKED
    if node["inventoryLevel"] is None:
        return NoLevel.NOT_STOCKED
    return _report(node["id"], location_gid, node["inventoryLevel"], read_at)


# Every level of a location ---------------------------------------------------------------------------
def levels_at_location(client: ShopifyClient, location_gid: str) -> Iterator[list[LevelReport]]:
    """The tracked items' levels at the location, a page at a time; none when the shop no longer has
    the location."""
    path = ("location", "inventoryLevels")

    def problem(data) -> str | None:
        if not isinstance(data, dict) or "location" not in data:
            return "location is missing"
        if data["location"] is None:
            return None
        return page_problem(data, path) or next(
            (p for node in data["location"]["inventoryLevels"]["nodes"] if (p := _listed_level_problem(node))), None)

    after = None
    while True:
        data = client.execute(document("InventoryLevelsAtLocation"),
                              {"location": location_gid, "first": LEVELS_PER_PAGE, "after": after}, check=problem).data
        if data["location"] is None:
            logger.warning("shopify location %s shop=%s: no longer in the shop, no levels read", location_gid,
                           client.shop_label)
            return
        connection = data["location"]["inventoryLevels"]
        read_at = timezone.now()
        yield [_report(node["item"]["id"], location_gid, node, read_at)
               for node in connection["nodes"] if node["item"]["tracked"]]
        if not connection["pageInfo"]["hasNextPage"]:
            return
        after = connection["pageInfo"]["endCursor"]


# Every level of the shop --------------------------------------------------------------------------------
def exported_levels(client: ShopifyClient, location_gids: set[str]) -> Iterator[LevelReport]:
    """The tracked items' levels at `location_gids`, from a bulk export of every location's levels
    (a bulk query takes no arguments; the others' lines are passed over as they stream by)."""
    operation = wait_for_bulk_export(client, start_bulk_export(client, document("InventoryLevelsBulkExport")))
    if not operation.get("url"):   # Shopify gives no file for an export with nothing in it
        return
    read_at = timezone.now()
    for line in stream_lines(operation["url"]):
        location_gid = line.get("__parentId")
        if location_gid not in location_gids:
            continue
        problem = _listed_level_problem(line)
        if problem:
            raise ShopifyIncompleteAnswer("InventoryLevelsBulkExport", problem)
        if line["item"]["tracked"]:
            yield _report(line["item"]["id"], location_gid, line, read_at)


# Parsing --------------------------------------------------------------------------------------------------
def _listed_level_problem(node) -> str | None:
    item = node.get("item") if isinstance(node, dict) else None
    if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not isinstance(item.get("tracked"), bool):
        return "a level names no readable inventory item"
    return _level_problem(node, item["id"])


def _level_problem(level, item_gid: str) -> str | None:
    quantities = level.get("quantities") if isinstance(level, dict) else None
    if not isinstance(quantities, list) or not all(isinstance(q, dict) for q in quantities):
        return f"the level of {item_gid} has no quantities"
    available = {q.get("name"): q.get("quantity") for q in quantities}.get("available")
    if not isinstance(available, int) or isinstance(available, bool):
        return f"the level of {item_gid} has no available quantity"
    return None


def _report(item_gid: str, location_gid: str, level: dict, read_at: datetime) -> LevelReport:
    quantities = {q["name"]: q.get("quantity") for q in level["quantities"]}
    on_hand = quantities.get("on_hand")
    return LevelReport(item_gid, location_gid, quantities["available"],
                       on_hand if isinstance(on_hand, int) and not isinstance(on_hand, bool) else None,
                       moment_of(level.get("updatedAt")) or read_at)


def moment_of(value) -> datetime | None:
    """A time Shopify gave with its zone, or None."""
    try:
        moment = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:   # well formed, but no date (a 13th month)
        return None
    return moment if moment is not None and moment.tzinfo is not None else None
