"""Report 30100's work: import Shopify's customers as the shop card says (none / those of imported
orders / all), link every imported customer to a ledger customer (syncjobs.customers.linking), and,
when the card asks, send the ledger's own customers to Shopify (syncjobs.customers.export). The
books are reached through the accounting target only."""
from __future__ import annotations

from dataclasses import dataclass, field

from connectors.ledger.target import target_for
from connectors.shopify.client import ShopifyClient
from connectors.shopify.customer_sync import sync_customers as import_customers
from connectors.shopify.importers.counts import ImportCounts
from merchants.models import CustomerImport
from syncjobs.customers.export import ExportCounts, export_customers
from syncjobs.customers.linking import LinkCounts, counting_links, link_customers


@dataclass
class CustomerSyncResult:
    imported: ImportCounts = field(default_factory=ImportCounts)
    links: LinkCounts = field(default_factory=LinkCounts)
    exported: ExportCounts = field(default_factory=ExportCounts)


def sync_customers(merchant, *, client: ShopifyClient | None = None, progress=None, expect=None) -> CustomerSyncResult:
    result = CustomerSyncResult()
    target = target_for(merchant)
    if merchant.customer_import != CustomerImport.NONE or merchant.export_customers_to_shopify:
        client = client or ShopifyClient.for_merchant(merchant)
    with counting_links() as result.links:   # linked as they are imported, then whatever is left
        if merchant.customer_import != CustomerImport.NONE:
            # "With order import": the customers came with their orders; only they are kept up to date.
            result.imported = import_customers(
                merchant=merchant, client=client, progress=progress, expect=expect,
                only_known=merchant.customer_import == CustomerImport.WITH_ORDER_IMPORT)
        link_customers(merchant, target=target)
    result.exported = export_customers(merchant, target=target, client=client)
    return result
