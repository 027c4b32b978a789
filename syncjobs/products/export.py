"""Report 30108 towards Shopify: items added to the shop become products with a variant per item
variant (the SKU made by the card's SKU mapping, so the same rule maps them back), later item
changes update them, and an item taken out of the shop (or blocked) gets the card's action for
removed items once. "Only prices" sends just the prices that changed. A content hash per product
(and one of its prices) means a run with nothing changed sends nothing."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace

from django.db import transaction
from django.utils import timezone

from connectors.ledger.records import ItemData
from connectors.shopify.models import ShopifyProduct, ShopifyVariant
from connectors.shopify.product_export import (
    PriceChange,
    ProductDraft,
    VariantDraft,
    create_products,
    set_statuses,
    update_prices,
    update_products,
)
from connectors.shopify.product_sync import record_prices
from merchants.models import SyncItemDirection
from syncjobs.products.mapping import sku_of
from syncjobs.products.models import Direction, MappedBy, ProductLink, VariantLink

BATCH = 250
PRICE_BATCH = 2000      # mapped variants compared per batch: their price changes go in packed requests
MARKER = "syncsite-item-{}"


@dataclass
class ExportCounts:
    created: int = 0
    updated: int = 0
    prices: int = 0            # variants whose price was sent
    unchanged: int = 0
    removed: int = 0           # products given the action for removed items
    calls: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)    # (item no., why)


def product_draft(merchant, item: ItemData, *, status: str) -> ProductDraft:
    barcodes = {b.variant_code: b.barcode for b in reversed(item.barcodes)}
    tracked, taxable = item.type == "inventory", True
    if item.variants:
        variants = tuple(VariantDraft(sku=sku_of(merchant, item, v.code), price=item.unit_price,
                                      option_value=v.description or v.code, barcode=barcodes.get(v.code, ""),
                                      taxable=taxable, unit_cost=item.unit_cost, tracked=tracked)
                         for v in item.variants)
        option_name = "Variant"
    else:
        variants = (VariantDraft(sku=sku_of(merchant, item, ""), price=item.unit_price, option_value="Default Title",
                                 barcode=barcodes.get("", ""), taxable=taxable, unit_cost=item.unit_cost,
                                 tracked=tracked),)
        option_name = "Title"
    return ProductDraft(marker=MARKER.format(item.number), title=item.description, status=status,
                        variants=variants, option_name=option_name)


def content_hash(draft: ProductDraft) -> str:
    """What an update would send; the status is Shopify's to keep once the product exists."""
    return _hash(asdict(replace(draft, status="")))


def prices_hash(draft: ProductDraft) -> str:
    return _hash([[v.sku, str(v.price), str(v.compare_at_price)] for v in draft.variants])


def _hash(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def export_items(merchant, *, target, client, only_prices: bool = False) -> ExportCounts:
    """Send the shop's items to Shopify, BATCH products at a time; nothing when the card's item sync
    is not "to Shopify"."""
    counts = ExportCounts()
    if merchant.sync_item_direction != SyncItemDirection.TO_SHOPIFY:
        return counts
    links = ProductLink.objects.filter(merchant=merchant, direction=Direction.TO_SHOPIFY).order_by("pk")
    last = 0
    while True:
        batch = list(links.filter(pk__gt=last)[:BATCH])
        if not batch:
            break
        last = batch[-1].pk
        _export_batch(merchant, batch, target=target, client=client, only_prices=only_prices, counts=counts)
    if only_prices:
        _send_mapped_prices(merchant, target=target, client=client, counts=counts)
    return counts


def _send_mapped_prices(merchant, *, target, client, counts: ExportCounts) -> None:
    """Business Central's Sync Prices for products that came from Shopify: each variant mapped to an
    item takes the item's unit price where the price Shopify last reported differs (its compare-at
    price kept). Products the shop exported itself went by their price hash above."""
    mapped = (VariantLink.objects.filter(merchant=merchant).exclude(item_no="").exclude(product__shopify_gid="")
              .exclude(product__direction=Direction.TO_SHOPIFY).order_by("pk"))
    last = 0
    while True:
        batch = list(mapped.filter(pk__gt=last).values_list("pk", "shopify_gid", "item_no")[:PRICE_BATCH])
        if not batch:
            return
        last = batch[-1][0]
        items = target.get_items(merchant, {item_no for _, _, item_no in batch})
        held = {gid: (product_gid, price, compare_at) for gid, product_gid, price, compare_at in
                ShopifyVariant.objects.filter(product__merchant=merchant, shopify_gid__in=[gid for _, gid, _ in batch])
                .values_list("shopify_gid", "product__shopify_gid", "price", "compare_at_price")}
        changes = [PriceChange(held[gid][0], gid, items[item_no].unit_price, held[gid][2])
                   for _, gid, item_no in batch
                   if gid in held and item_no in items and held[gid][1] != items[item_no].unit_price]
        counts.unchanged += len(batch) - len(changes)
        if not changes:
            continue
        result = update_prices(client, changes)
        counts.calls += result.calls
        refused = {change.variant_gid for change in changes
                   if change.variant_gid in result.failed or change.product_gid in result.failed}
        item_of = {gid: item_no for _, gid, item_no in batch}
        for change in changes:
            if change.variant_gid in refused:
                why = result.failed.get(change.variant_gid) or result.failed.get(change.product_gid, "")
                counts.failed.append((item_of[change.variant_gid], why))
        record_prices(merchant, {c.variant_gid: c.price for c in changes if c.variant_gid not in refused})
        counts.prices += len(changes) - len(refused)


def _export_batch(merchant, batch: list[ProductLink], *, target, client, only_prices: bool,
                  counts: ExportCounts) -> None:
    items = target.get_items(merchant, [link.item_no for link in batch])
    statuses = dict(ShopifyProduct.objects.filter(merchant=merchant, shopify_gid__in=[
        link.shopify_gid for link in batch if link.shopify_gid]).values_list("shopify_gid", "status"))
    variants = _variant_gids(merchant, batch)
    leaving = {link.shopify_gid: link for link in batch if link.shopify_gid and not link.removed_status
               and (link.removed_at or link.item_no not in items or items[link.item_no].blocked)}
    staying = [link for link in batch if link.removed_at is None and link.item_no in items
               and not items[link.item_no].blocked]
    creates, updates, prices, drafts, refused = [], [], [], {}, []
    for link in staying:
        item = items[link.item_no]
        status = statuses.get(link.shopify_gid) or merchant.status_for_created_products
        draft = drafts[link.pk] = product_draft(merchant, item, status=status)
        problem = _sku_problem(merchant, draft)
        if problem:
            _failed(link, problem, counts)
            refused.append(link)
            continue
        if not link.shopify_gid:
            if not only_prices:
                creates.append((link, draft))
        elif only_prices:
            if prices_hash(draft) != link.prices_hash:
                known = variants.get(link.pk, {})
                prices.append((link, [PriceChange(link.shopify_gid, known[v.sku], v.price, v.compare_at_price)
                                      for v in draft.variants if v.sku in known]))
            else:
                counts.unchanged += 1
        elif content_hash(draft) != link.synced_hash:
            updates.append((link, draft))
        else:
            counts.unchanged += 1
    _save(refused)
    _send_creates(merchant, client, creates, items, counts)
    _send_updates(merchant, client, updates, variants, items, counts)
    _send_prices(client, prices, drafts, counts)
    _send_removals(merchant, client, leaving, counts)


def _sku_problem(merchant, draft: ProductDraft) -> str:
    """Why the draft's variants cannot be told apart by SKU (the key that maps them back), if so."""
    skus = [v.sku for v in draft.variants]
    rule = merchant.get_sku_mapping_display().lower()
    if "" in skus:
        return f"a variant would have no SKU under the SKU mapping '{rule}' (no {rule} to put in it)"
    repeated = next((sku for sku in skus if skus.count(sku) > 1), None)
    if repeated:
        return f"its variants would share the SKU {repeated} under the SKU mapping '{rule}'"
    return ""


def _variant_gids(merchant, links: list[ProductLink]) -> dict[int, dict[str, str]]:
    """Per product link: its Shopify variants' GIDs by SKU."""
    found: dict[int, dict[str, str]] = {}
    rows = VariantLink.objects.filter(merchant=merchant, product__in=[link for link in links if link.shopify_gid])
    for product_id, sku, gid in rows.values_list("product_id", "sku", "shopify_gid"):
        found.setdefault(product_id, {})[sku] = gid
    return found


def _send_creates(merchant, client, creates: list[tuple[ProductLink, ProductDraft]], items: dict[str, ItemData],
                  counts: ExportCounts) -> None:
    if not creates:
        return
    result = create_products(client, [draft for _, draft in creates])
    counts.calls += result.calls
    now = timezone.now()
    for link, draft in creates:
        made = result.done.get(draft.marker)
        if made is None:
            _failed(link, result.failed.get(draft.marker, "Shopify did not create the product"), counts)
            continue
        link.shopify_gid, link.synced_hash, link.prices_hash = made.gid, content_hash(draft), prices_hash(draft)
        link.failure, link.updated_at = "", now
        _write_variants(merchant, link, draft, made.variant_gids, items[link.item_no], now)
        counts.created += 1
    _save([link for link, _ in creates])


def _send_updates(merchant, client, updates: list[tuple[ProductLink, ProductDraft]], variants: dict,
                  items: dict[str, ItemData], counts: ExportCounts) -> None:
    if not updates:
        return
    result = update_products(client, [(link.shopify_gid, draft, variants.get(link.pk, {})) for link, draft in updates])
    counts.calls += result.calls
    now = timezone.now()
    for link, draft in updates:
        made = result.done.get(link.shopify_gid)
        if made is None:
            _failed(link, result.failed.get(link.shopify_gid, "Shopify did not update the product"), counts)
            continue
        link.synced_hash, link.prices_hash, link.failure, link.updated_at = (
            content_hash(draft), prices_hash(draft), "", now)
        link.title = items[link.item_no].description[:255]
        _write_variants(merchant, link, draft, made.variant_gids, items[link.item_no], now)
        counts.updated += 1
    _save([link for link, _ in updates])


def _send_prices(client, prices: list[tuple[ProductLink, list[PriceChange]]], drafts: dict,
                 counts: ExportCounts) -> None:
    if not prices:
        return
    result = update_prices(client, [change for _, changes in prices for change in changes])
    counts.calls += result.calls
    now = timezone.now()
    for link, changes in prices:
        refused = [result.failed[c.variant_gid] for c in changes if c.variant_gid in result.failed]
        refused += [result.failed[link.shopify_gid]] if link.shopify_gid in result.failed else []
        if refused:
            _failed(link, refused[0], counts)
            continue
        link.prices_hash, link.failure, link.updated_at = prices_hash(drafts[link.pk]), "", now
        counts.prices += len(changes)
    _save([link for link, _ in prices], fields=["prices_hash", "failure", "updated_at"])


def _send_removals(merchant, client, leaving: dict[str, ProductLink], counts: ExportCounts) -> None:
    if not leaving:
        return
    action = merchant.action_for_removed_items
    if action:
        result = set_statuses(client, {gid: action for gid in leaving})
        counts.calls += result.calls
    else:
        result = None
    now = timezone.now()
    done = []
    for gid, link in leaving.items():
        if result is not None and gid in result.failed:
            _failed(link, result.failed[gid], counts)
        else:
            link.removed_status = action or "kept"
            link.removed_at = link.removed_at or now
            counts.removed += 1
        link.updated_at = now
        done.append(link)
    _save(done)


def _failed(link: ProductLink, why: str, counts: ExportCounts) -> None:
    link.failure = why[:255]
    link.updated_at = timezone.now()
    counts.failed.append((link.item_no, why))


def _write_variants(merchant, link: ProductLink, draft: ProductDraft, gids: dict[str, str], item: ItemData,
                    now) -> None:
    """The exported product's variants, mapped to the item (and item variant) they came from."""
    codes = {sku_of(merchant, item, v.code): v.code for v in item.variants} if item.variants else {}
    link.pending_variants = [
        VariantLink(merchant=merchant, shopify_gid=gids[v.sku], sku=v.sku, title=v.option_value[:255],
                    item_no=link.item_no, variant_code=codes.get(v.sku, ""), mapped_by=MappedBy.EXPORTED,
                    mapped_at=now, updated_at=now)
        for v in draft.variants if v.sku in gids]


LINK_FIELDS = ["shopify_gid", "synced_hash", "prices_hash", "failure", "title", "removed_at", "removed_status",
               "updated_at"]


def _save(links: list[ProductLink], *, fields: list[str] = LINK_FIELDS) -> None:
    """The links as this run left them, with the variants of the products it created or updated."""
    if not links:
        return
    with transaction.atomic():
        ProductLink.objects.bulk_update(links, fields)
        fresh = [v for link in links for v in getattr(link, "pending_variants", [])]
        if fresh:
            for link in links:
                for variant in getattr(link, "pending_variants", []):
                    variant.product = link
            VariantLink.objects.filter(product__in=[link for link in links if getattr(link, "pending_variants", None)]
                                       ).delete()
            VariantLink.objects.filter(merchant=links[0].merchant_id,
                                       shopify_gid__in=[v.shopify_gid for v in fresh]).delete()
            VariantLink.objects.bulk_create(fresh)
