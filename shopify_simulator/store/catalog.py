"""The shop's catalog as Shopify holds it: products with their variants, each variant with its
inventory item, and the product images. Generated from the seed (store.catalog_generation), then
changed by the API's writes and the control API; every change moves the record's `updated`.

Records are plain mutable objects with slots, kept in dicts in ID order (new IDs are always higher),
so a list pages by walking a dict and 100,000 variants stay a few tens of megabytes.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Iterator


@dataclass(slots=True)
class Variant:
    id: int
    product_id: int
    inventory_item_id: int
    option_values: tuple[str, ...]     # one per product option, in option order
    sku: str | None
    barcode: str | None
    price: Decimal
    compare_at_price: Decimal | None
    taxable: bool
    grams: int
    unit_cost: Decimal | None
    tracked: bool
    requires_shipping: bool
    created: datetime
    updated: datetime
    image_id: int | None = None

    @property
    def gid(self) -> str:
        return f"gid://shopify/ProductVariant/{self.id}"

    @property
    def inventory_item_gid(self) -> str:
        return f"gid://shopify/InventoryItem/{self.inventory_item_id}"

    @property
    def title(self) -> str:
        return " / ".join(self.option_values) if self.option_values else "Default Title"


@dataclass(slots=True)
class Product:
    id: int
    title: str
    handle: str
    vendor: str
    product_type: str
    tags: tuple[str, ...]
    status: str                        # ACTIVE, DRAFT or ARCHIVED
    description_html: str
    is_gift_card: bool
    options: tuple[str, ...]           # option names; ("Title",) for a product with only a default variant
    created: datetime
    updated: datetime
    variants: list[Variant] = field(default_factory=list)
    image_ids: list[int] = field(default_factory=list)

    @property
    def gid(self) -> str:
        return f"gid://shopify/Product/{self.id}"

    @property
    def has_only_default_variant(self) -> bool:
        return self.options == ("Title",) and len(self.variants) == 1


@dataclass(slots=True)
class Image:
    """A product image (Shopify's MediaImage, also listed by `files`): generated ones are drawn from
    `seed_colour`; uploaded ones keep their bytes."""
    id: int
    alt: str
    filename: str
    created: datetime
    updated: datetime
    seed_colour: tuple[int, int, int] | None = None
    content: bytes | None = None
    status: str = "READY"              # READY or FAILED (a source the simulator could not read)
    error: tuple[str, str] | None = None   # (MediaErrorCode, message) when FAILED
    product_ids: list[int] = field(default_factory=list)

    @property
    def gid(self) -> str:
        return f"gid://shopify/MediaImage/{self.id}"


def handle_for(title: str) -> str:
    """Shopify's handle: lower case, every run of other characters one hyphen ("T-Shirt & Co" → "t-shirt-co")."""
    return re.sub(r"[^0-9a-z]+", "-", title.lower()).strip("-") or "product"


class Catalog:
    """Every product, variant and image of one shop, by ID."""

    def __init__(self, products: list[Product], images: list[Image]) -> None:
        self._products: dict[int, Product] = {}
        self._variants: dict[int, Variant] = {}
        self._by_inventory_item: dict[int, Variant] = {}
        self._images: dict[int, Image] = {image.id: image for image in images}
        self._skus: Counter[str] = Counter()
        for product in sorted(products, key=lambda p: p.id):
            self.add_product(product)
        self._next_id = max([*self._variants, *self._products, *self._by_inventory_item, *self._images, 0]) + 1

    # Reads
    def products(self) -> Iterator[Product]:
        return iter(list(self._products.values()))

    def variants(self) -> Iterator[Variant]:
        return iter(list(self._variants.values()))

    def images(self) -> Iterator[Image]:
        return iter(list(self._images.values()))

    def product(self, product_id: int) -> Product | None:
        return self._products.get(product_id)

    def variant(self, variant_id: int) -> Variant | None:
        return self._variants.get(variant_id)

    def variant_of_inventory_item(self, item_id: int) -> Variant | None:
        return self._by_inventory_item.get(item_id)

    def image(self, image_id: int) -> Image | None:
        return self._images.get(image_id)

    def product_count(self) -> int:
        return len(self._products)

    def variant_count(self) -> int:
        return len(self._variants)

    def variants_with_sku(self, sku: str | None) -> int:
        """How many variants carry `sku` (Shopify allows duplicates and reports them)."""
        return self._skus[sku] if sku else 0

    # Writes (the caller holds the shop's lock)
    def new_id(self) -> int:
        value = self._next_id
        self._next_id += 1
        return value

    def add_product(self, product: Product) -> None:
        self._products[product.id] = product
        for variant in product.variants:
            self.add_variant(variant)

    def add_variant(self, variant: Variant) -> None:
        self._variants[variant.id] = variant
        self._by_inventory_item[variant.inventory_item_id] = variant
        if variant.sku:
            self._skus[variant.sku] += 1

    def remove_variant(self, variant: Variant) -> None:
        if self._variants.pop(variant.id, None) is not None and variant.sku:
            self._skus[variant.sku] -= 1
        self._by_inventory_item.pop(variant.inventory_item_id, None)

    def set_sku(self, variant: Variant, sku: str | None) -> None:
        if variant.sku:
            self._skus[variant.sku] -= 1
        variant.sku = sku or None
        if variant.sku:
            self._skus[variant.sku] += 1

    def remove_product(self, product: Product) -> None:
        for variant in product.variants:
            self.remove_variant(variant)
        for image_id in product.image_ids:
            image = self._images.get(image_id)
            if image and product.id in image.product_ids:
                image.product_ids.remove(product.id)
        del self._products[product.id]

    def add_image(self, image: Image) -> None:
        self._images[image.id] = image

    def remove_image(self, image: Image) -> None:
        self._images.pop(image.id, None)
