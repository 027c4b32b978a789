"""Report 30108's work: import Shopify's products and link every variant to a ledger item
(syncjobs.products.linking), then, when the card syncs items to Shopify, send the shop's items
(syncjobs.products.export). "Only prices" skips the import and sends just changed prices. The
books are reached through the accounting target only."""
from __future__ import annotations

from dataclasses import dataclass, field

from connectors.ledger.target import target_for
from connectors.shopify.client import ShopifyClient
from connectors.shopify.importers.counts import ImportCounts
from connectors.shopify.product_sync import sync_products as import_products
from syncjobs.products.export import ExportCounts, export_items
from syncjobs.products.images import ImageCounts
from syncjobs.products.images import sync_images as sync_item_images
from syncjobs.products.linking import LinkCounts, counting_links, link_products


@dataclass
class ProductSyncResult:
    imported: ImportCounts = field(default_factory=ImportCounts)
    links: LinkCounts = field(default_factory=LinkCounts)
    exported: ExportCounts = field(default_factory=ExportCounts)


def sync_products(merchant, *, client: ShopifyClient | None = None, progress=None, expect=None,
                  only_prices: bool = False) -> ProductSyncResult:
    result = ProductSyncResult()
    target = target_for(merchant)
    client = client or ShopifyClient.for_merchant(merchant)
    if not only_prices:
        with counting_links() as result.links:   # linked as they are imported, then whatever is left
            result.imported = import_products(merchant=merchant, client=client, progress=progress, expect=expect)
            link_products(merchant, target=target)
    result.exported = export_items(merchant, target=target, client=client, only_prices=only_prices)
    return result


def sync_images(merchant, *, client: ShopifyClient | None = None) -> ImageCounts:
    return sync_item_images(merchant, target=target_for(merchant),
                            client=client or ShopifyClient.for_merchant(merchant))
