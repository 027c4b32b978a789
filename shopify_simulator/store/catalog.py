"""The shop's catalog: its products and their variants, built from the profile's catalog so that
every order line points at a real variant (same ID, same SKU). Deterministic from the seed.

A product is the variants of one title; its details (type, tags, weight, unit cost) come from the
shop's own "catalog" random stream, so they never change the orders.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from shopify_simulator.store.profiles import CatalogItem, ShopProfile
from shopify_simulator.store.random_source import RandomSource, stream_key

_TYPES = ("Apparel", "Accessories", "Home", "Stationery", "Food")
_TAGS = ("new", "bestseller", "eco", "limited", "sale")


@dataclass(frozen=True)
class CatalogVariant:
    item: CatalogItem
    id: int
    product_id: int
    position: int            # 1-based, within its product
    inventory_item_id: int
    unit_cost: Decimal | None
    grams: int

    @property
    def gid(self) -> str:
        return f"gid://shopify/ProductVariant/{self.id}"

    @property
    def inventory_item_gid(self) -> str:
        return f"gid://shopify/InventoryItem/{self.inventory_item_id}"


@dataclass(frozen=True)
class CatalogProduct:
    id: int
    title: str
    vendor: str
    product_type: str
    tags: tuple[str, ...]
    status: str              # ACTIVE, DRAFT or ARCHIVED
    created: datetime
    variants: tuple[CatalogVariant, ...]

    @property
    def gid(self) -> str:
        return f"gid://shopify/Product/{self.id}"

    @property
    def handle(self) -> str:
        return "-".join("".join(c for c in word if c.isalnum()) for word in self.title.lower().split())

    @property
    def is_gift_card(self) -> bool:
        return self.variants[0].item.is_gift_card


class Catalog:
    def __init__(self, profile: ShopProfile, *, seed: int, opened: datetime) -> None:
        key = stream_key(seed, profile.handle, "catalog")
        by_title: dict[str, list[CatalogItem]] = {}
        for item in profile.catalog:
            by_title.setdefault(item.title, []).append(item)
        products = []
        for number, (title, items) in enumerate(by_title.items()):
            rng = RandomSource(key, number)
            product_id = profile.product_id_base + items[0].key   # as the orders name it
            variants = tuple(CatalogVariant(
                item=item, id=profile.variant_id_base + item.key, product_id=product_id, position=position,
                inventory_item_id=profile.inventory_item_id_base + item.key,
                unit_cost=None if item.is_gift_card else (item.price * Decimal(rng.between(30, 55)) / 100).quantize(
                    Decimal("0.01")),
                grams=0 if item.is_gift_card else rng.between(50, 2000))
                for position, item in enumerate(items, 1))
            products.append(CatalogProduct(
                id=product_id, title=title, vendor=items[0].vendor,
                product_type="Gift card" if items[0].is_gift_card else rng.choice(_TYPES),
                tags=tuple(sorted({rng.choice(_TAGS) for _ in range(rng.between(0, 2))})),
                status="ACTIVE", created=opened + timedelta(hours=number), variants=variants))
        self.products: tuple[CatalogProduct, ...] = tuple(products)
        self.variants: tuple[CatalogVariant, ...] = tuple(v for p in products for v in p.variants)
        self._products = {p.id: p for p in products}
        self._variants = {v.id: v for v in self.variants}
        self._by_inventory_item = {v.inventory_item_id: v for v in self.variants}

    def product(self, product_id: int) -> CatalogProduct | None:
        return self._products.get(product_id)

    def variant(self, variant_id: int) -> CatalogVariant | None:
        return self._variants.get(variant_id)

    def variant_of_inventory_item(self, item_id: int) -> CatalogVariant | None:
        return self._by_inventory_item.get(item_id)
