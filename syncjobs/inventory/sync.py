"""Sync Inventory (report 30102): the ledger's stock of each mapped variant → Shopify, per Shopify
location that syncs stock.

Shopify's stock is imported first (unless the request page skips it), so what is compared is fresh;
only a quantity that differs from what Shopify last reported is sent, as an absolute quantity with
the one Shopify reported as its compare quantity (connectors.shopify.inventory): a sale in Shopify
between our read and our write is caught there, never overwritten blindly, and a quantity is never
added twice. Negative ledger stock goes as 0. Work goes a chunk of variants at a time: a fixed number
of queries per chunk, whatever the shop's size.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Iterator

from connectors.ledger.records import ItemData
from connectors.ledger.target import AccountingTarget
from connectors.shopify.client import ShopifyClient
from connectors.shopify.inventory import (
    QuantityResult,
    QuantityToSet,
    SetOutcome,
    import_inventory_levels,
    set_available_quantities,
)
from connectors.shopify.models import ShopifyInventoryLevel, ShopifyVariant
from syncjobs.inventory.locations import ledger_codes_for, refresh_shop_locations, synced_locations, why_not_synced
from syncjobs.inventory.models import ShopLocation
from syncjobs.products.models import VariantLink

VARIANTS_PER_CHUNK = 5_000      # variants compared at once: bounds memory and the size of each IN (...)
QUANTITIES_PER_CALL = 250       # Shopify's limit for inventorySetQuantities


@dataclass(frozen=True)
class MappedVariant:
    gid: str
    name: str                   # the SKU, else the Shopify ID: what a bookkeeper searches by
    item_no: str
    variant_code: str
    inventory_item_gid: str
    tracked: bool


@dataclass
class InventoryCounts:
    read: int = 0               # variant × location pairs compared
    updated: int = 0            # quantities set in Shopify
    unchanged: int = 0          # Shopify already showed the ledger's stock
    skipped: int = 0            # not sent: see the skipped records (stale or refused)
    failed: int = 0
    created: int = 0
    sent_as_zero: int = 0       # negative ledger stock sent as 0
    untracked: int = 0          # variants whose stock Shopify does not track, or service items
    not_stocked: int = 0        # variant × location pairs Shopify holds no stock level for
    calls: int = 0              # requests to Shopify, the imports' included
    levels_read: int = 0
    locations: list[str] = field(default_factory=list)      # the names of the locations synced
    left_out: list[str] = field(default_factory=list)       # why each other location was not
    skipped_records: list[tuple[str, str, str]] = field(default_factory=list)   # (record, reason, Shopify ID)
    errors: list[tuple[str, str, str]] = field(default_factory=list)            # (object, Shopify ID, reason)


def sync_inventory(merchant, *, target: AccountingTarget, client: ShopifyClient | None = None,
                   skip_import: bool = False, variant_filter: list[str] | None = None,
                   progress: Callable[[InventoryCounts], None] | None = None,
                   expect: Callable[[int], None] | None = None, reference: str | None = None) -> InventoryCounts:
    client = client or ShopifyClient.for_merchant(merchant)
    counts = InventoryCounts()
    shop_locations = refresh_shop_locations(merchant, client)
    synced = _with_ledger_codes(merchant, synced_locations(shop_locations), counts)
    counts.left_out += [why_not_synced(s) for s in shop_locations if why_not_synced(s)]
    mapped = mapped_variants(merchant, variant_filter)
    variants = [v for v in mapped if v.tracked]
    counts.untracked = len(mapped) - len(variants)
    if not synced or not variants:
        return counts
    if expect is not None:
        expect(len(variants) * len(synced))
    if not skip_import:
        counts.levels_read = import_inventory_levels(
            merchant, client, location_gids=[s.location.shopify_gid for s, _ in synced],
            inventory_item_gids=[v.inventory_item_gid for v in variants] if variant_filter else None)
    counts.locations += [shop_location.location.name for shop_location, _ in synced]
    for chunk in _chunks(variants, VARIANTS_PER_CHUNK):
        items = target.get_items(merchant, {v.item_no for v in chunk})   # read once for every location
        for shop_location, codes in synced:
            _sync_chunk(merchant, target, client, shop_location, codes, chunk, items, counts, reference)
            if progress is not None:
                progress(counts)
    counts.calls = client.stats.calls
    return counts


def mapped_variants(merchant, variant_filter: list[str] | None = None) -> list[MappedVariant]:
    """The shop's variants linked to a ledger item, with their inventory items (two queries). The
    filter names variants by Shopify ID (a number or a GID) or by SKU."""
    links = VariantLink.objects.filter(merchant=merchant).exclude(item_no="")
    if variant_filter:
        gids = {_variant_gid(v) for v in variant_filter if _variant_gid(v)}
        skus = {v for v in variant_filter if not _variant_gid(v)}
        links = links.filter(shopify_gid__in=gids) | links.filter(sku__in=skus)
    linked = {row[0]: row[1:] for row in links.values_list("shopify_gid", "sku", "item_no", "variant_code")}
    items = ShopifyVariant.objects.filter(product__merchant=merchant, shopify_gid__in=linked) if variant_filter \
        else ShopifyVariant.objects.filter(product__merchant=merchant)
    found = []
    for gid, inventory_item, tracked in items.values_list("shopify_gid", "inventory_item_gid", "tracked") \
            .order_by("inventory_item_gid"):
        if gid in linked and inventory_item:
            sku, item_no, variant_code = linked[gid]
            found.append(MappedVariant(gid, sku or gid, item_no, variant_code, inventory_item, tracked))
    return found


def _variant_gid(text: str) -> str:
    text = text.strip()
    if text.startswith("gid://shopify/ProductVariant/"):
        return text
    return f"gid://shopify/ProductVariant/{text}" if text.isdigit() else ""


def _with_ledger_codes(merchant, shop_locations: list[ShopLocation],
                       counts: InventoryCounts) -> list[tuple[ShopLocation, list[str]]]:
    """Each location with the ledger codes it stands for; one naming a code the books lack fails alone."""
    ready = []
    for shop_location in shop_locations:
        codes, problem = ledger_codes_for(merchant, shop_location.ledger_locations)
        if problem:
            counts.failed += 1
            counts.errors.append(("shop location", shop_location.location.shopify_gid,
                                  f"{shop_location.location.name}: {problem}; correct its ledger locations"))
        else:
            ready.append((shop_location, codes))
    return ready


def _sync_chunk(merchant, target: AccountingTarget, client: ShopifyClient, shop_location: ShopLocation,
                codes: list[str], chunk: list[MappedVariant], items: dict[str, ItemData], counts: InventoryCounts,
                reference: str | None) -> None:
    location = shop_location.location
    stock = target.stock_levels(merchant, locations=codes, calculation=shop_location.stock_calculation,
                                items={v.item_no for v in chunk})
    known = dict(ShopifyInventoryLevel.objects.filter(
        merchant=merchant, location_gid=location.shopify_gid,
        inventory_item_gid__in=[v.inventory_item_gid for v in chunk]).values_list("inventory_item_gid", "available"))
    wanted: list[tuple[MappedVariant, QuantityToSet]] = []
    for variant in chunk:
        counts.read += 1
        item = items.get(variant.item_no)
        if item is None or item.type != "inventory":
            counts.untracked += 1
            continue
        have = known.get(variant.inventory_item_gid)
        if have is None:
            counts.not_stocked += 1
            continue
        quantity = stock.get((variant.item_no, variant.variant_code), Decimal(0))
        to_send = max(0, int(quantity // 1))   # Shopify counts whole units; a part unit is not for sale
        if to_send == have:
            counts.unchanged += 1
            continue
        if quantity < 0:
            counts.sent_as_zero += 1
        wanted.append((variant, QuantityToSet(variant.inventory_item_gid, location.shopify_gid, to_send, have)))
    for batch in _chunks(wanted, QUANTITIES_PER_CALL):
        by_key = {(q.inventory_item_gid, q.location_gid): v for v, q in batch}
        results = set_available_quantities(merchant, client, [q for _, q in batch], reference=reference)
        for result in results:
            _tally(counts, result, by_key[(result.wanted.inventory_item_gid, result.wanted.location_gid)],
                   location.name)


def _tally(counts: InventoryCounts, result: QuantityResult, variant: MappedVariant, location: str) -> None:
    if result.outcome == SetOutcome.SET:
        counts.updated += 1
    elif result.outcome == SetOutcome.UNCHANGED:
        counts.unchanged += 1
    else:
        counts.skipped += 1
        counts.skipped_records.append((f"variant {variant.name} at {location}", result.reason, variant.gid))


def _chunks(rows: list, size: int) -> Iterator[list]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]
