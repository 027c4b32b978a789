"""Auto-create catalog (the shop card's B2B setting): a company location linked to a ledger customer
and offered by no catalog gets a catalog of its own in Shopify (every product, a price list in its
currency), marked for price sync from its customer's prices. Report 30115 asks for every such
location, report 30114 for the locations it has just mapped."""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count

from connectors.shopify.catalog_create import CatalogNotCreated, CatalogVanished, CompanyLocationMissing, create_catalog
from connectors.shopify.catalog_sync import sync_catalogs as import_catalogs
from connectors.shopify.client import ShopifyClient
from connectors.shopify.models import CatalogKind, ShopifyCatalog, ShopifyCompanyLocation
from syncjobs.catalogs.links import link_catalogs
from syncjobs.catalogs.models import CatalogLink
from syncjobs.companies.selectors import customers_of_locations


@dataclass
class CreationCounts:
    created: int = 0                                              # catalogs created in Shopify
    titles: list[str] = field(default_factory=list)               # their titles
    failed: list[tuple[str, str]] = field(default_factory=list)   # (company location GID, why)


def create_company_catalogs(merchant, *, client: ShopifyClient, location_gids: Collection[str] | None = None,
                            catalogs_fresh: bool = False) -> CreationCounts:
    """A catalog for each mapped company location of `location_gids` (every one of the shop's when
    None) that no catalog offers yet (the shop's catalogs are imported first, unless the caller has
    just done so: `catalogs_fresh`), titled by its company ("company — location" when the company
    has several locations), in the location's currency (else the shop's), its link marked for price
    sync and naming the location's customer. A location Shopify refuses a catalog for fails alone
    (its reason in `failed`); a transient failure the client gave up on ends the call (ShopifyError)
    and the next one goes on, finishing in Shopify a catalog it had half made."""
    counts = CreationCounts()
    locations = ShopifyCompanyLocation.objects.filter(merchant=merchant).select_related("company").order_by("pk")
    if location_gids is not None:
        locations = locations.filter(shopify_gid__in=list(location_gids))
    locations = list(locations)
    if not locations:
        return counts
    customers = customers_of_locations(merchant, [location.shopify_gid for location in locations])
    if not any(customers.values()):
        return counts
    if not catalogs_fresh:    # a location may have a catalog in Shopify that was never imported here
        import_catalogs(merchant=merchant, client=client)
        link_catalogs(merchant)
    mapped = [loc for loc in locations if customers.get(loc.shopify_gid)]
    siblings = dict(ShopifyCompanyLocation.objects.filter(merchant=merchant, company_id__in={
        loc.company_id for loc in mapped}).values("company_id").annotate(n=Count("pk")).values_list("company_id", "n"))
    titles = {loc.shopify_gid: loc.company.name if siblings.get(loc.company_id, 1) == 1 else
              f"{loc.company.name} — {loc.name}" for loc in mapped}
    offered = _catalogs_of_locations(merchant)
    _adopt_unlinked(merchant, mapped, offered, titles, customers)
    # A location offered only by a catalog without a price list (one this made and a run stopped half
    # way through, say) still gets its own: create_catalog finishes one of the same title.
    wanted = [loc for loc in mapped if not any(c.price_list_gid for c in offered.get(loc.shopify_gid, ()))]
    for location in wanted:
        title = titles[location.shopify_gid]
        try:
            catalog = create_catalog(merchant=merchant, client=client, company_location_gid=location.shopify_gid,
                                     title=title, currency=location.currency or merchant.shop_currency)
        except (CatalogNotCreated, CompanyLocationMissing, CatalogVanished) as exc:
            counts.failed.append((location.shopify_gid, f"{title}: {exc}"))
            continue
        # Written once the catalog is whole in Shopify (no transaction held over the calls); a run
        # killed just before is made good by the next one (_adopt_unlinked).
        CatalogLink.objects.update_or_create(
            merchant=merchant, catalog_gid=catalog.shopify_gid,
            defaults={"title": catalog.title, "sync_prices": True, "customer_no": customers[location.shopify_gid]})
        counts.created += 1
        counts.titles.append(catalog.title)
    return counts


def _catalogs_of_locations(merchant) -> dict[str, list[ShopifyCatalog]]:
    """The catalogs still in Shopify offering each company location (a shop has few catalogs: read
    whole, one query)."""
    offered: dict[str, list[ShopifyCatalog]] = {}
    for catalog in ShopifyCatalog.objects.filter(merchant=merchant, kind=CatalogKind.COMPANY_LOCATION,
                                                 removed_at__isnull=True).only(
            "shopify_gid", "title", "price_list_gid", "company_location_gids"):
        for gid in catalog.company_location_gids or ():
            offered.setdefault(gid, []).append(catalog)
    return offered


def _adopt_unlinked(merchant, locations, offered: dict[str, list[ShopifyCatalog]], titles: dict[str, str],
                    customers: dict[str, str]) -> None:
    """A catalog this made whose link was never written (the run was killed between Shopify's answer
    and our write; Sync catalogs then linked it as any other, unmarked, naming no customer) is the one
    offering only its location under the title this gives it: marked for price sync, with its customer.
    A link someone unmarked keeps its customer, so it is never marked again here. Two queries."""
    candidates = {catalog.shopify_gid: loc.shopify_gid for loc in locations
                  for catalog in offered.get(loc.shopify_gid, ())
                  if catalog.title == titles[loc.shopify_gid] and catalog.company_location_gids == [loc.shopify_gid]}
    if not candidates:
        return
    with transaction.atomic():
        for link in CatalogLink.objects.select_for_update().filter(
                merchant=merchant, catalog_gid__in=list(candidates), customer_no="", sync_prices=False):
            link.sync_prices, link.customer_no = True, customers[candidates[link.catalog_gid]]
            link.save(update_fields=["sync_prices", "customer_no", "updated_at"])
