"""The generated catalog of a shop, deterministic from the seed.

First the profile's own catalog, which the orders sell (same product and variant IDs, same SKUs):
one product per title, its variants under one option. Then, when a size asks for more, products
made up from word lists with Size variants, so a shop can hold 20,000 products and 100,000 variants.
Details (type, tags, weight, unit cost, images) come from the shop's own "catalog" random stream,
so they never change the orders.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from shopify_simulator.store.catalog import Catalog, Image, Product, Variant, handle_for
from shopify_simulator.store.profiles import CatalogItem, ShopProfile, hash_free_barcode
from shopify_simulator.store.random_source import RandomSource, stream_key

TYPES = ("Apparel", "Accessories", "Home", "Stationery", "Food")
TAGS = ("new", "bestseller", "eco", "limited", "sale")
_ADJECTIVES = ("Classic", "Organic", "Vintage", "Light", "Urban", "Coastal", "Alpine", "Soft", "Bold", "Everyday",
               "Heritage", "Studio", "Field", "Harbour", "Summit", "Linen", "Cotton", "Wool", "Cedar", "Copper")
_NOUNS = ("Shirt", "Mug", "Notebook", "Candle", "Cap", "Blanket", "Bottle", "Apron", "Socks", "Backpack",
          "Jacket", "Planter", "Tea Towel", "Poster", "Wallet", "Sweater", "Lamp", "Bowl", "Scarf", "Tote")
_SIZES = ("XS", "S", "M", "L", "XL", "XXL", "3XL", "4XL")
FIRST_EXTRA = 1_000          # extra products and variants are numbered from base + FIRST_EXTRA
IMAGE_ID_BASE = 31_000_000_000


@dataclass(frozen=True)
class CatalogSize:
    """How many products and variants a shop holds at least (the profile's own catalog is the floor)."""
    products: int = 0
    variants: int = 0


def generate_catalog(profile: ShopProfile, *, seed: int, opened: datetime,
                     size: CatalogSize = CatalogSize()) -> Catalog:
    key = stream_key(seed, profile.handle, "catalog")
    image_base = IMAGE_ID_BASE + (profile.product_id_base - 8_000_000_000)
    products, images = [], []
    by_title: dict[str, list[CatalogItem]] = {}
    for item in profile.catalog:
        by_title.setdefault(item.title, []).append(item)
    for number, items in enumerate(by_title.values()):
        rng = RandomSource(key, number)
        product = _profile_product(profile, items, rng, created=opened + timedelta(hours=number))
        products.append(product)
        images.append(_image(image_base + number, product, rng))
    extra_products = max(0, size.products - len(products))
    extra_variants = max(extra_products, size.variants - sum(len(p.variants) for p in products))
    next_variant = 0
    for offset in range(extra_products):
        rng = RandomSource(key, FIRST_EXTRA + offset)
        # Spread the variants evenly: the first (extra_variants % extra_products) products get one more.
        count = extra_variants // extra_products + (offset < extra_variants % extra_products)
        created = opened + timedelta(seconds=600 + offset * 60)
        product = _extra_product(profile, offset, next_variant, count, rng, created=created)
        next_variant += count
        products.append(product)
        images.append(_image(image_base + FIRST_EXTRA + offset, product, rng))
    return Catalog(products, images)


def _profile_product(profile: ShopProfile, items: list[CatalogItem], rng: RandomSource, *, created) -> Product:
    first = items[0]
    has_options = first.variant_title is not None
    product = Product(
        id=profile.product_id_base + first.key, title=first.title, handle=handle_for(first.title),
        vendor=first.vendor, product_type="Gift card" if first.is_gift_card else rng.choice(TYPES),
        tags=_tags(rng), status="ACTIVE", description_html=f"<p>{first.title} by {first.vendor}.</p>",
        is_gift_card=first.is_gift_card, options=("Variant",) if has_options else ("Title",),
        created=created, updated=created)
    for item in items:
        cost_share = rng.between(30, 55)
        product.variants.append(Variant(
            id=profile.variant_id_base + item.key, product_id=product.id,
            inventory_item_id=profile.inventory_item_id_base + item.key,
            option_values=(item.variant_title,) if has_options else (),
            sku=item.sku, barcode=item.barcode, price=item.price, compare_at_price=_compare_at(item.price, rng),
            taxable=not item.is_gift_card, grams=0 if item.is_gift_card else rng.between(50, 2000),
            unit_cost=None if item.is_gift_card else (item.price * cost_share / 100).quantize(Decimal("0.01")),
            tracked=not item.is_gift_card, requires_shipping=item.requires_shipping, created=created, updated=created))
    return product


def _extra_product(profile: ShopProfile, offset: int, first_variant: int, count: int, rng: RandomSource, *,
                   created) -> Product:
    title = f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)} {offset + 1}"
    vendor = profile.catalog[0].vendor
    status = "ARCHIVED" if offset % 25 == 24 else "DRAFT" if offset % 12 == 11 else "ACTIVE"
    tracked = offset % 15 != 14       # a few services and digital goods are not stocked
    product = Product(
        id=profile.product_id_base + FIRST_EXTRA + offset, title=title, handle=handle_for(title), vendor=vendor,
        product_type=rng.choice(TYPES), tags=_tags(rng), status=status, description_html=f"<p>{title}.</p>",
        is_gift_card=False, options=("Size",) if count > 1 else ("Title",), created=created, updated=created)
    price = Decimal(rng.between(500, 15000)) / 100
    for position in range(count):
        number = first_variant + position
        values = ((_SIZES[position] if count <= len(_SIZES) else f"Size {position + 1}"),) if count > 1 else ()
        sku_prefix = f"{profile.handle.upper()}-X"
        product.variants.append(Variant(
            id=profile.variant_id_base + FIRST_EXTRA + number, product_id=product.id,
            inventory_item_id=profile.inventory_item_id_base + FIRST_EXTRA + number, option_values=values,
            sku=f"{sku_prefix}{number + 1:06d}",
            barcode=f"{4_000_000_000_000 + hash_free_barcode(sku_prefix, number)}",
            price=price, compare_at_price=_compare_at(price, rng), taxable=True, grams=rng.between(50, 2000),
            unit_cost=(price * rng.between(30, 55) / 100).quantize(Decimal("0.01")), tracked=tracked,
            requires_shipping=tracked, created=created, updated=created))
    return product


def _tags(rng: RandomSource) -> tuple[str, ...]:
    return tuple(sorted({rng.choice(TAGS) for _ in range(rng.between(0, 2))}))


def _compare_at(price: Decimal, rng: RandomSource) -> Decimal | None:
    """One variant in five is on sale: its compare-at price a quarter above the price."""
    return (price * Decimal("1.25")).quantize(Decimal("0.01")) if rng.below(5) == 0 else None


def _image(image_id: int, product: Product, rng: RandomSource) -> Image:
    colour = (rng.between(40, 220), rng.between(40, 220), rng.between(40, 220))
    image = Image(id=image_id, alt=product.title, filename=f"{product.handle}.png", created=product.created,
                  updated=product.created, seed_colour=colour, product_ids=[product.id])
    product.image_ids.append(image.id)
    return image
