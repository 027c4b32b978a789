"""Sync Catalogs (report 30115): import the shop's company-location and market catalogs
(connectors.shopify.catalog_sync), link each (syncjobs.catalogs.links), and, with the shop card's
auto-create catalog, give every mapped company location no catalog offers a catalog of its own
(syncjobs.catalogs.creation)."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q

from connectors.shopify.catalog_sync import sync_catalogs as import_catalogs
from connectors.shopify.client import ShopifyClient
from connectors.shopify.importers.counts import ImportCounts
from connectors.shopify.models import CatalogKind, ShopifyCatalog
from syncjobs.catalogs.creation import CreationCounts, create_company_catalogs
from syncjobs.catalogs.links import LinkCounts, link_catalogs
from syncjobs.catalogs.models import CatalogLink


@dataclass
class CatalogSyncResult:
    imported: ImportCounts = field(default_factory=ImportCounts)
    links: LinkCounts = field(default_factory=LinkCounts)
    creation: CreationCounts = field(default_factory=CreationCounts)
    # The shop's catalogs in Shopify once the run is done.
    company: int = 0
    market: int = 0
    priced: int = 0          # marked for price sync
    removed: int = 0         # no longer in Shopify (kept, never priced)

    @property
    def total(self) -> int:
        return self.company + self.market


def sync_catalogs(merchant, *, client: ShopifyClient | None = None, progress=None) -> CatalogSyncResult:
    client = client or ShopifyClient.for_merchant(merchant)
    result = CatalogSyncResult()
    result.imported = import_catalogs(merchant=merchant, client=client, progress=progress)
    result.links = link_catalogs(merchant)
    if merchant.auto_create_catalog:
        result.creation = create_company_catalogs(merchant, client=client, location_gids=None, catalogs_fresh=True)
    _count_catalogs(merchant, result)
    return result


def _count_catalogs(merchant, result: CatalogSyncResult) -> None:
    live = Q(removed_at__isnull=True)
    priced = CatalogLink.objects.filter(merchant=merchant, catalog_gid=OuterRef("shopify_gid"), sync_prices=True)
    counts = ShopifyCatalog.objects.filter(merchant=merchant).aggregate(
        company=Count("pk", filter=live & Q(kind=CatalogKind.COMPANY_LOCATION)),
        market=Count("pk", filter=live & Q(kind=CatalogKind.MARKET)),
        priced=Count("pk", filter=live & Q(Exists(priced))),
        removed=Count("pk", filter=~live))
    result.company, result.market, result.priced, result.removed = (
        counts["company"], counts["market"], counts["priced"], counts["removed"])
