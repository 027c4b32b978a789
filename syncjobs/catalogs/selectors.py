"""What the catalog sync reads for others: the catalogs a price sync can be narrowed to, which of
them name a ledger price list (registered with core.in_use, so the ledger refuses to delete a price
list a catalog is priced from), and the shop card's summary."""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, Max, OuterRef, Q

from connectors.shopify.models import ShopifyCatalog
from syncjobs.catalogs.models import CatalogLink


def priced_catalog_choices(merchant) -> list[tuple[str, str]]:
    """(catalog GID, what a person reads) of the shop's catalogs marked for price sync, by title:
    what report 30116's request page offers. Two queries."""
    links = list(CatalogLink.objects.filter(merchant=merchant, sync_prices=True).values_list("catalog_gid", "title"))
    facts = {gid: (currency, removed) for gid, currency, removed in ShopifyCatalog.objects.filter(
        merchant=merchant, shopify_gid__in=[gid for gid, _ in links]).values_list("shopify_gid", "currency",
                                                                                  "removed_at")}
    choices = []
    for gid, title in sorted(links, key=lambda pair: (pair[1].lower(), pair[0])):
        currency, removed = facts.get(gid, ("", None))
        said = f"{title or gid} ({currency})" if currency else title or gid
        choices.append((gid, f"{said}, no longer in Shopify" if removed else said))
    return choices


def price_list_uses(merchant_id: int, codes: Collection[str]) -> list[str]:
    """One sentence per catalog of the shop priced from one of the price lists `codes`. One query."""
    rows = CatalogLink.objects.filter(merchant_id=merchant_id, price_list_code__in=set(codes)).order_by(
        "price_list_code", "title").values_list("price_list_code", "title", "catalog_gid")
    return [f"price list {code} prices the catalog {title or gid} (Catalogs)" for code, title, gid in rows]


@dataclass(frozen=True)
class CatalogSummary:
    catalogs: int            # in Shopify (not removed)
    priced: int              # of those, marked for price sync
    last_price_sync: datetime | None


def catalog_summary(merchant) -> CatalogSummary:
    """The shop's catalogs still in Shopify, how many take their prices from the ledger, and when a
    price sync last finished one. One query."""
    live = ShopifyCatalog.objects.filter(merchant=merchant, shopify_gid=OuterRef("catalog_gid"),
                                         removed_at__isnull=True)
    counts = CatalogLink.objects.filter(merchant=merchant).filter(Exists(live)).aggregate(
        catalogs=Count("pk"), priced=Count("pk", filter=Q(sync_prices=True)),
        last=Max("prices_synced_at", filter=Q(sync_prices=True)))
    return CatalogSummary(counts["catalogs"], counts["priced"], counts["last"])
