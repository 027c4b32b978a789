"""What the catalog tests set up and read: the shop's variants linked to ledger items, catalogs
marked for price sync, the fixed prices Shopify holds, and reports run as the queue runs them."""
from __future__ import annotations

from decimal import Decimal

from connectors.ledger.records import ItemData
from connectors.ledger.target import target_for
from connectors.shopify.models import ShopifyCatalog
from shopify_simulator.store.gids import gid_number
from syncjobs.catalogs.models import CatalogLink
from syncjobs.products.models import MappedBy, ProductLink, VariantLink
from syncjobs.queue.execution import run_now
from syncjobs.queue.models import RunTrigger


def link_every_variant(merchant, shop) -> dict[str, Decimal]:
    """Given: each variant of the shop's products (gift cards aside) linked to a ledger item of its own
    ("V" + its Shopify ID), whose unit price is the variant's Shopify price (what a product sync with
    auto-create would leave, in a fraction of its time). Variant GID -> that unit price."""
    products = [product for product in shop.catalog.products() if not product.is_gift_card]
    links = ProductLink.objects.bulk_create([ProductLink(merchant=merchant, shopify_gid=p.gid, title=p.title)
                                             for p in products])
    prices, variant_links, items = {}, [], []
    for link, product in zip(links, products):
        for variant in product.variants:
            number = item_no_of(variant.gid)
            items.append(ItemData(number=number, description=f"{product.title} {variant.title}".strip(),
                                  unit_price=variant.price))
            variant_links.append(VariantLink(merchant=merchant, product=link, shopify_gid=variant.gid,
                                             sku=variant.sku or "", item_no=number, mapped_by=MappedBy.ITEM_NO))
            prices[variant.gid] = variant.price
    target_for(merchant).create_items(merchant, items)
    VariantLink.objects.bulk_create(variant_links)
    return prices


def item_no_of(variant_gid: str) -> str:
    return f"V{gid_number(variant_gid, 'ProductVariant')}"


def catalog_titled(merchant, title: str) -> ShopifyCatalog:
    return ShopifyCatalog.objects.get(merchant=merchant, title=title)


def mark(merchant, *titles: str) -> list[str]:
    """Mark the catalogs of these titles for price sync; their GIDs."""
    assert CatalogLink.objects.filter(merchant=merchant, title__in=titles).update(sync_prices=True) == len(titles)
    return [catalog_titled(merchant, title).shopify_gid for title in titles]


def shopify_catalog(shop, gid: str):
    book = shop.price_lists
    return next(c for c in book.catalogs() if c.gid == gid)


def fixed_prices(shop, catalog_gid: str) -> dict[str, Decimal]:
    """The fixed prices Shopify holds for the catalog's price list: variant GID -> price."""
    price_list = shop.price_lists.price_list(shopify_catalog(shop, catalog_gid).price_list_id)
    return {f"gid://shopify/ProductVariant/{variant_id}": fixed.price for variant_id, fixed in price_list.fixed.items()}


def offered_variants(shop, catalog_gid: str, linked: dict[str, Decimal]) -> set[str]:
    """The linked variants of the catalog's products: its publication's active ones (all active ones
    when it publishes every product), as Shopify lists them."""
    book = shop.price_lists
    publication = book.publication(shopify_catalog(shop, catalog_gid).publication_id)
    return {variant.gid for product in shop.catalog.products() if not product.is_gift_card
            if product.status == "ACTIVE" and (publication is None or publication.offers(product.id))
            for variant in product.variants if variant.gid in linked}


def requests_to(shop) -> int:
    """The GraphQL requests the shop has answered so far, as its own statistics count them."""
    return shop.faults.statistics()["requests"]


def run_report(merchant, number: int, progress=None, **parameters):
    return run_now(merchant=merchant, report_number=number, raw_parameters=parameters, user=None,
                   trigger=RunTrigger.FOREGROUND, progress=progress)


def run_lines(run) -> list[str]:
    """The run's log, a line per note."""
    return [line for line in run.log.splitlines() if line]

