"""Keeping the links between imported Shopify products and ledger items: new products and unmapped
variants are mapped (syncjobs.products.mapping), and an item created from Shopify takes the
product's later changes when the card syncs items from Shopify. Batches throughout: a few queries
per batch, none per product."""
from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Iterator

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from connectors.shopify.models import ShopifyProduct, ShopifyVariant
from merchants.models import SyncItemDirection
from syncjobs.products.mapping import ProductFacts, VariantFacts, map_products
from syncjobs.products.models import Direction, MappedBy, ProductLink, VariantLink

BATCH = 250


@dataclass
class LinkCounts:
    read: int = 0              # products looked at
    created: int = 0           # ledger items created from Shopify products
    mapped: int = 0            # variants linked to an existing item
    updated: int = 0           # items that took a Shopify change
    unmapped: list[tuple[str, str, str]] = field(default_factory=list)   # (variant gid, name, why)
    handled: set[str] = field(default_factory=set, repr=False)   # product GIDs linked in this run


def facts_of(product: ShopifyProduct, item_no: str = "") -> ProductFacts:
    return ProductFacts(gid=product.shopify_gid, title=product.title, item_no=item_no, variants=tuple(
        VariantFacts(gid=v.shopify_gid, title=v.title, sku=v.sku, barcode=v.barcode, price=v.price,
                     unit_cost=v.unit_cost, tracked=v.tracked)
        for v in product.variants.all()))


def pending(merchant):
    """Imported products whose links need work: none yet, a variant unmapped or not linked, or an
    item created from Shopify whose product changed since. Gift cards are no items: a gift card sold
    goes to the gift card account."""
    links = ProductLink.objects.filter(merchant=merchant, shopify_gid=OuterRef("shopify_gid"))
    variant_links = VariantLink.objects.filter(merchant=merchant, shopify_gid=OuterRef("shopify_gid"))
    unlinked_variant = ShopifyVariant.objects.filter(product=OuterRef("pk")).filter(
        ~Exists(variant_links) | Exists(variant_links.filter(item_no="")))
    return ShopifyProduct.objects.filter(merchant=merchant, is_gift_card=False).filter(
        ~Exists(links) | Exists(unlinked_variant) |
        Exists(links.filter(direction=Direction.FROM_SHOPIFY, updated_at__lt=OuterRef("updated_at"))))


_counting: ContextVar[LinkCounts | None] = ContextVar("product_link_counts", default=None)


@contextmanager
def counting_links() -> Iterator[LinkCounts]:
    """Every link made in the block, also by the importers' listener, counted in one place (a run's)."""
    counts = LinkCounts()
    token = _counting.set(counts)
    try:
        yield counts
    finally:
        _counting.reset(token)


def link_products(merchant, *, target, rows=None, auto_create: bool | None = None) -> LinkCounts:
    """Map what is pending (or just `rows`), BATCH products at a time."""
    counts = _counting.get() or LinkCounts()
    auto_create = merchant.auto_create_unknown_items if auto_create is None else auto_create
    with_variants = Prefetch("variants", queryset=ShopifyVariant.objects.order_by("position", "pk"))
    last = 0
    while True:
        if rows is not None:
            chosen, rows = list(rows[:BATCH]), list(rows[BATCH:])
            batch = list(ShopifyProduct.objects.filter(pk__in=[r.pk for r in chosen]).prefetch_related(with_variants)
                         .order_by("pk"))
        else:
            batch = list(pending(merchant).filter(pk__gt=last).prefetch_related(with_variants).order_by("pk")[:BATCH])
        if not batch:
            return counts
        last = batch[-1].pk
        gift_cards = [row.shopify_gid for row in batch if row.is_gift_card]
        if gift_cards:   # linked before gift cards were told apart: no item stands for them
            ProductLink.objects.filter(merchant=merchant, shopify_gid__in=gift_cards).exclude(
                direction=Direction.TO_SHOPIFY).delete()
        batch = [row for row in batch if row.shopify_gid not in counts.handled and not row.is_gift_card]
        if batch:
            _link_batch(merchant, batch, target=target, counts=counts, auto_create=auto_create)


VARIANT_FIELDS = ["product", "sku", "title", "item_no", "variant_code", "mapped_by", "unmapped_reason", "mapped_at",
                  "updated_at"]


@dataclass
class _Writes:
    """What one batch writes, gathered before the few bulk statements that write it."""
    new_links: list[ProductLink] = field(default_factory=list)
    changed_links: list[ProductLink] = field(default_factory=list)
    new_variants: list[VariantLink] = field(default_factory=list)
    changed_variants: list[VariantLink] = field(default_factory=list)


def _link_batch(merchant, batch: list[ShopifyProduct], *, target, counts: LinkCounts, auto_create: bool) -> None:
    counts.read += len(batch)
    counts.handled.update(row.shopify_gid for row in batch)
    gids = [row.shopify_gid for row in batch]
    links = {link.shopify_gid: link for link in ProductLink.objects.filter(merchant=merchant, shopify_gid__in=gids)}
    variant_links = {link.shopify_gid: link for link in VariantLink.objects.filter(
        merchant=merchant, shopify_gid__in=[v.shopify_gid for row in batch for v in row.variants.all()])}
    to_map = [facts_of(row, links[row.shopify_gid].item_no if row.shopify_gid in links else "") for row in batch
              if any(not getattr(variant_links.get(v.shopify_gid), "item_no", "") for v in row.variants.all())]
    now, writes = timezone.now(), _Writes()
    with transaction.atomic():
        outcome = map_products(merchant, to_map, target=target, auto_create=auto_create) if to_map else None
        mappings = outcome.variants if outcome else {}
        created = set(outcome.created_items) if outcome else set()
        counts.created += len(created)
        for row in batch:
            link = links.get(row.shopify_gid) or ProductLink(merchant=merchant, shopify_gid=row.shopify_gid)
            item_nos = [_link_variant(merchant, variant, variant_links.get(variant.shopify_gid),
                                      mappings.get(variant.shopify_gid), link, writes, counts, now)
                        for variant in row.variants.all()]
            if not link.item_no:   # the product stands for the item its first mapped variant is
                link.item_no = next((number for number in item_nos if number), "")
                link.mapped_at = now if link.item_no else None
            if link.item_no in created and not link.direction:
                link.direction, link.synced_hash = Direction.FROM_SHOPIFY, product_hash(row)
            link.title, link.updated_at = row.title[:255], now
            (writes.changed_links if link.pk else writes.new_links).append(link)
        counts.updated += _follow_shopify(merchant, batch, links, target=target)
        _write(merchant, batch, writes)


def _link_variant(merchant, variant: ShopifyVariant, held: VariantLink | None, mapping, link: ProductLink,
                  writes: _Writes, counts: LinkCounts, now) -> str:
    """Keep or make the variant's link; the item no. it stands for ("" while unmapped)."""
    if mapping is None or (held is not None and held.item_no):   # a mapping, once made, stays
        if held is not None and (held.sku, held.title) != (variant.sku, variant.title):
            held.sku, held.title, held.updated_at = variant.sku, variant.title, now
            writes.changed_variants.append(held)
        return held.item_no if held else ""
    vlink = held or VariantLink(merchant=merchant, shopify_gid=variant.shopify_gid)
    vlink.sku, vlink.title = variant.sku, variant.title
    vlink.item_no, vlink.variant_code, vlink.mapped_by = mapping.item_no, mapping.variant_code, mapping.mapped_by
    vlink.unmapped_reason, vlink.mapped_at, vlink.updated_at = mapping.reason, now if mapping.item_no else None, now
    vlink.product_link = link   # joined once the product link has its key
    (writes.changed_variants if vlink.pk else writes.new_variants).append(vlink)
    if not mapping.item_no:
        counts.unmapped.append((variant.shopify_gid, str(variant), mapping.reason))
    elif mapping.mapped_by != MappedBy.CREATED:
        counts.mapped += 1
    return mapping.item_no


def _write(merchant, batch: list[ShopifyProduct], writes: _Writes) -> None:
    gids = [row.shopify_gid for row in batch]
    ProductLink.objects.bulk_create(writes.new_links)
    if any(link.pk is None for link in writes.new_links):   # backends that do not return keys
        keys = dict(ProductLink.objects.filter(merchant=merchant, shopify_gid__in=gids)
                    .values_list("shopify_gid", "pk"))
        for link in writes.new_links:
            link.pk = keys[link.shopify_gid]
    ProductLink.objects.bulk_update(writes.changed_links, ["item_no", "direction", "title", "synced_hash", "mapped_at",
                                                           "updated_at"])
    for vlink in writes.new_variants + writes.changed_variants:
        if getattr(vlink, "product_link", None) is not None:
            vlink.product_id = vlink.product_link.pk
    VariantLink.objects.bulk_create(writes.new_variants)
    VariantLink.objects.bulk_update(writes.changed_variants, VARIANT_FIELDS)
    # Variants removed in Shopify leave no link behind.
    kept = [v.shopify_gid for row in batch for v in row.variants.all()]
    VariantLink.objects.filter(merchant=merchant, product__shopify_gid__in=gids).exclude(
        shopify_gid__in=kept).delete()


def _follow_shopify(merchant, batch: list[ShopifyProduct], links: dict[str, ProductLink], *, target) -> int:
    """Items created from Shopify take the product's later changes (description, price, cost) when
    the card syncs items from Shopify; never the other way round."""
    if merchant.sync_item_direction != SyncItemDirection.FROM_SHOPIFY:
        return 0
    moved = {row.shopify_gid: row for row in batch if row.shopify_gid in links
             and links[row.shopify_gid].direction == Direction.FROM_SHOPIFY and links[row.shopify_gid].item_no
             and links[row.shopify_gid].synced_hash != product_hash(row)}
    if not moved:
        return 0
    items = target.get_items(merchant, [links[gid].item_no for gid in moved])
    records = []
    for gid, row in moved.items():
        item = items.get(links[gid].item_no)
        links[gid].synced_hash = product_hash(row)
        if item is None:
            continue
        first = row.variants.all()[0] if row.variants.all() else None
        records.append(replace(item, description=row.title[:100] if len(row.variants.all()) != 1 or first is None
                               or first.title in ("", "Default Title") else f"{row.title} {first.title}"[:100],
                               unit_price=first.price if first else item.unit_price,
                               unit_cost=first.unit_cost if first and first.unit_cost is not None else item.unit_cost))
    return len(target.update_items(merchant, records)) if records else 0


def product_hash(row: ShopifyProduct) -> str:
    """What of a Shopify product an item created from it follows."""
    facts = [row.title, [(v.title, v.sku, v.barcode, str(v.price), str(v.unit_cost)) for v in row.variants.all()]]
    return hashlib.sha256(json.dumps(facts).encode()).hexdigest()


def unmapped_variants(merchants):
    """The role center's "Unmapped products": variant links without an item, of shops whose orders
    become documents (in a daily-summary shop the item does not matter)."""
    return VariantLink.objects.filter(item_no="", merchant__in=merchants, merchant__posting_mode="documents")
