"""Report 30114's work: import Shopify's B2B companies as the shop card says, link each company
location to a ledger customer (syncjobs.companies.linking), and send the ledger's B2B customers to
Shopify as companies (syncjobs.companies.export). The books are reached through the accounting
target only.

Company import "with order import": every company is read (Shopify has no filter for companies that
ordered), but only the locations an imported order was placed for are linked; "all": every
location; "none": nothing is imported, and B2B orders go to the shop's default company.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef

from connectors.ledger.target import target_for
from connectors.shopify.client import ShopifyClient
from connectors.shopify.company_sync import CompanyImportCounts
from connectors.shopify.company_sync import sync_companies as import_companies
from connectors.shopify.models import ShopifyCompanyLocation
from merchants.models import CustomerImport
from syncjobs.companies.export import ExportCounts, export_companies
from syncjobs.companies.linking import LinkCounts, counting_links, link_locations
from syncjobs.companies.models import CompanyLink


@dataclass
class CompanySyncResult:
    imported: CompanyImportCounts = field(default_factory=CompanyImportCounts)
    links: LinkCounts = field(default_factory=LinkCounts)
    exported: ExportCounts = field(default_factory=ExportCounts)
    has_b2b: bool = True           # False: the shop has no B2B companies (or no B2B at all)
    forgotten: int = 0             # unmapped links of locations no longer in Shopify, removed


def sync_companies(merchant, *, client: ShopifyClient | None = None, progress=None) -> CompanySyncResult:
    result = CompanySyncResult()
    target = target_for(merchant)
    client = client or ShopifyClient.for_merchant(merchant)
    with counting_links() as result.links:   # linked as they are imported, then whatever is left
        if merchant.company_import != CustomerImport.NONE:
            result.imported = import_companies(merchant=merchant, client=client, progress=progress)
            result.has_b2b = result.imported.has_b2b
        link_locations(merchant, target=target)
    result.forgotten = forget_unmapped_links_of_gone_locations(merchant)
    result.exported = export_companies(merchant, target=target, client=client)
    return result


def forget_unmapped_links_of_gone_locations(merchant) -> int:
    """Unmapped links whose location Shopify no longer has (the import deleted it): nothing is left
    to map, so they leave the Unmapped companies tile. A mapped link stays (it names a customer)."""
    gone = CompanyLink.objects.filter(merchant=merchant, customer_no="").exclude(Exists(
        ShopifyCompanyLocation.objects.filter(merchant=merchant, shopify_gid=OuterRef("company_location_gid"))))
    return gone.delete()[0]
