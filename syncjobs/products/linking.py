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


def _link_batch(merchant, batch: list[ShopifyProduct], *, target, counts: LinkCounts, auto_create: bool) -> None:
    counts.read += len(batch)
    counts.handled.update(row.shopify_gid for row in batch)
    gids = [row.shopify_gid for row in batch]
    links = {link.shopify_gid: link for link in ProductLink.objects.filter(merchant=merchant, shopify_gid__in=gids)}
    variant_links = {link.shopify_gid: link for link in VariantLink.objects.filter(
        merchant=merchant, shopify_gid__in=[v.shopify_gid for row in batch for v in row.variants.all()])}
    to_map = []
    for row in batch:
        link = links.get(row.shopify_gid)
        if any(v.shopify_gid not in variant_links or not variant_links[v.shopify_gid].item_no
               for v in row.variants.all()):
            to_map.append(facts_of(row, link.item_no if link else ""))
    now = timezone.now()
    with transaction.atomic():
        outcome = map_products(merchant, to_map, target=target, auto_create=auto_create) if to_map else None
        created = set(outcome.created_items) if outcome else set()
        counts.created += len(created)
        new_links, changed_links, new_variants, changed_variants = [], [], [], []
        for row in batch:
            link = links.get(row.shopify_gid) or ProductLink(merchant=merchant, shopify_gid=row.shopify_gid)
            item_nos = []
            for variant in row.variants.all():
                held = variant_links.get(variant.shopify_gid)
                mapping = outcome.variants.get(variant.shopify_gid) if outcome else None
                if mapping is None or (held is not None and held.item_no):   # a mapping, once made, stays
                    item_nos.append(held.item_no if held else "")
                    if held is not None and (held.sku, held.title) != (variant.sku, variant.title):
                        held.sku, held.title, held.updated_at = variant.sku, variant.title, now
                        changed_variants.append(held)
                    continue
                item_nos.append(mapping.item_no)
                vlink = held or VariantLink(merchant=merchant, shopify_gid=variant.shopify_gid)
                vlink.sku, vlink.title = variant.sku, variant.title
                vlink.item_no, vlink.variant_code, vlink.mapped_by = (mapping.item_no, mapping.variant_code,
                                                                      mapping.mapped_by)
                vlink.unmapped_reason, vlink.mapped_at, vlink.updated_at = (
                    mapping.reason, now if mapping.item_no else None, now)
                (changed_variants if vlink.pk else new_variants).append(vlink)
                vlink.product_link = link   # joined once the product link has its key
                if not mapping.item_no:
                    counts.unmapped.append((variant.shopify_gid, str(variant), mapping.reason))
                elif mapping.mapped_by != MappedBy.CREATED:
                    counts.mapped += 1
            if not link.item_no:
                link.item_no = next((number for number in item_nos if number), "")
                link.mapped_at = now if link.item_no else None
            if link.item_no in created and not link.direction:
                link.direction = Direction.FROM_SHOPIFY
                link.synced_hash = product_hash(row)
            link.title = row.title[:255]
            link.updated_at = now
            (changed_links if link.pk else new_links).append(link)
        counts.updated += _follow_shopify(merchant, batch, links, target=target)
        ProductLink.objects.bulk_create(new_links)
        if any(link.pk is None for link in new_links):   # backends that do not return keys
            keys = dict(ProductLink.objects.filter(merchant=merchant, shopify_gid__in=gids)
                        .values_list("shopify_gid", "pk"))
            for link in new_links:
                link.pk = keys[link.shopify_gid]
        ProductLink.objects.bulk_update(changed_links, ["item_no", "direction", "title", "synced_hash", "mapped_at",
                                                        "updated_at"])
        for vlink in new_variants + changed_variants:
            if getattr(vlink, "product_link", None) is not None:
                vlink.product_id = vlink.product_link.pk
        VariantLink.objects.bulk_create(new_variants)
        VariantLink.objects.bulk_update(changed_variants, ["product", "sku", "title", "item_no", "variant_code",
                                                           "mapped_by", "unmapped_reason", "mapped_at", "updated_at"])
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
