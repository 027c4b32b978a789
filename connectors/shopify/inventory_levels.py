"""Shopify's stock as syncsite last heard it (ShopifyInventoryLevel): imported, reported by webhook,
or answered to our own writes; and the import of it (report 30102 reads it before comparing).

A full read of a large shop is one bulk export, not hundreds of pages per location; a list of items
(the variant filter, a re-read) is read by id. Rows are written a batch at a time, a fixed number of
queries per batch, and a row Shopify reported later than what is being written (a webhook that came
while we read) is kept.
"""
from __future__ import annotations

import logging
import re
from collections import defaultdict
from itertools import chain, islice
from typing import Callable, Iterable, Iterator

from django.db import IntegrityError, transaction
from django.db.models import Q

from connectors.shopify.client import ShopifyClient
from connectors.shopify.documents import document
from connectors.shopify.inventory_reads import (
    INVENTORY_ITEM_GID,
    LOCATION_GID,
    LevelReport,
    NoLevel,
    exported_levels,
    levels_at_location,
    levels_by_item,
)
from connectors.shopify.models import ShopifyInventoryLevel

logger = logging.getLogger(__name__)
STORE_BATCH = 1_000
# A full read pages through at most this many levels (10 pages of 250) before a bulk export, which
# waits for Shopify to write its file, is the quicker way.
BULK_THRESHOLD = 2_500


def import_inventory_levels(merchant, client: ShopifyClient, *, location_gids: list[str],
                            inventory_item_gids: list[str] | None = None,
                            progress: Callable[[int], None] | None = None,
                            bulk_threshold: int = BULK_THRESHOLD) -> int:
    """Shopify's stock of tracked items at `location_gids` into ShopifyInventoryLevel; the number of
    levels read and stored (`progress` hears the running total after each batch).

    None for `inventory_item_gids` reads every item; a list reads just those, by id, and forgets a
    stored level Shopify no longer holds (item deleted, untracked, or no longer stocked there). An
    answer that cannot be fully read raises once the client's retries are spent."""
    locations = _valid(location_gids, LOCATION_GID)
    if not locations:
        return 0
    if inventory_item_gids is None:
        reports = _every_level(client, locations, bulk_threshold)
    else:
        reports = _levels_of_items(merchant, client, locations, _valid(inventory_item_gids, INVENTORY_ITEM_GID))
    stored = 0
    for batch in _batches(reports, STORE_BATCH):
        store_levels(merchant, batch)
        stored += len(batch)
        if progress is not None:
            progress(stored)
    return stored


def _valid(gids: list[str], pattern: re.Pattern) -> list[str]:
    """The GIDs of the kind asked for, each once; another (Shopify would refuse the whole query) has
    no stock to read and is left out."""
    valid = [gid for gid in dict.fromkeys(gids) if isinstance(gid, str) and pattern.match(gid)]
    if len(valid) < len(set(gids)):
        logger.warning("inventory import left out what is not a Shopify ID: %s",
                       sorted(str(gid) for gid in set(gids) - set(valid))[:5])
    return valid


def _every_level(client: ShopifyClient, locations: list[str], bulk_threshold: int) -> Iterator[LevelReport]:
    if _variant_count(client) * len(locations) > bulk_threshold:
        return exported_levels(client, set(locations))
    return chain.from_iterable(page for location in locations for page in levels_at_location(client, location))


def _levels_of_items(merchant, client: ShopifyClient, locations: list[str], items: list[str]) -> Iterator[LevelReport]:
    for location in locations:
        for start in range(0, len(items), STORE_BATCH):
            found = levels_by_item(client, location, items[start:start + STORE_BATCH])
            forget_levels(merchant, [(location, item) for item, level in found.items() if isinstance(level, NoLevel)])
            yield from (level for level in found.values() if isinstance(level, LevelReport))


def _variant_count(client: ShopifyClient) -> int:
    def problem(data) -> str | None:
        count = (data.get("productVariantsCount") if isinstance(data, dict) else None) or {}
        return None if isinstance(count.get("count"), int) else "productVariantsCount is missing"

    return client.execute(document("InventoryVariantsCount"), check=problem).data["productVariantsCount"]["count"]


# The stored levels ------------------------------------------------------------------------------------
def store_levels(merchant, reports: Iterable[LevelReport]) -> None:
    """Upsert what Shopify reported, STORE_BATCH levels a batch (a query for what is held, then the
    upsert); a level held with a later report stays as it is."""
    for batch in _batches(iter(reports), STORE_BATCH):
        latest: dict[tuple[str, str], LevelReport] = {}
        for report in batch:   # the last of equal reports wins: a write's answer after the read before it
            held = latest.get(report.key)
            if held is None or held.reported_at <= report.reported_at:
                latest[report.key] = report
        held_at = {(location, item): at for location, item, at in ShopifyInventoryLevel.objects.filter(
            merchant=merchant, location_gid__in={k[0] for k in latest}, inventory_item_gid__in={k[1] for k in latest},
        ).values_list("location_gid", "inventory_item_gid", "reported_at")}
        rows = [ShopifyInventoryLevel(merchant=merchant, inventory_item_gid=r.inventory_item_gid,
                                      location_gid=r.location_gid, available=r.available, on_hand=r.on_hand,
                                      reported_at=r.reported_at)
                for key, r in latest.items() if key not in held_at or held_at[key] <= r.reported_at]
        with transaction.atomic():
            ShopifyInventoryLevel.objects.bulk_create(
                rows, batch_size=500, update_conflicts=True,
                unique_fields=["merchant", "location_gid", "inventory_item_gid"],
                update_fields=["available", "on_hand", "reported_at"])


def forget_levels(merchant, keys: Iterable[tuple[str, str]]) -> None:
    """Delete the stored levels of (location GID, item GID) Shopify holds no stock for: one query a location."""
    by_location: dict[str, list[str]] = defaultdict(list)
    for location, item in keys:
        by_location[location].append(item)
    for location, items in by_location.items():
        ShopifyInventoryLevel.objects.filter(merchant=merchant, location_gid=location,
                                             inventory_item_gid__in=items).delete()


def record_reported_level(merchant, report: LevelReport) -> bool:
    """One level as a webhook reported it; False when syncsite holds as late a report already (the
    webhooks of one level may come in any order, and late)."""
    levels = ShopifyInventoryLevel.objects.filter(merchant=merchant, location_gid=report.location_gid,
                                                  inventory_item_gid=report.inventory_item_gid)
    # Later than what is held; or as late but saying otherwise (two changes within Shopify's second).
    newer = Q(reported_at__lt=report.reported_at) | (Q(reported_at=report.reported_at) & ~Q(available=report.available))
    values = {"available": report.available, "on_hand": report.on_hand, "reported_at": report.reported_at}
    if levels.filter(newer).update(**values):
        return True
    if levels.exists():
        return False
    try:
        with transaction.atomic():
            levels.create(merchant=merchant, location_gid=report.location_gid,
                          inventory_item_gid=report.inventory_item_gid, **values)
    except IntegrityError:   # another delivery of this level created it at the same moment
        return bool(levels.filter(newer).update(**values))
    return True


def _batches(items: Iterator, size: int) -> Iterator[list]:
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch
