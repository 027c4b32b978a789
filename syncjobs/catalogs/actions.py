"""What the Catalogs admin's actions do."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils import timezone

from connectors.shopify.models import ShopifyCatalog
from syncjobs.catalogs.models import CatalogLink


@dataclass(frozen=True)
class PriceSyncMarks:
    changed: int
    # Catalogs left unmarked: not imported, no longer in Shopify, or without a price list to hold prices.
    not_priceable: list[str] = field(default_factory=list)


def set_price_sync(links, *, on: bool) -> PriceSyncMarks:
    """Mark the selected catalogs for price sync, those that can hold prices (or take the mark off
    them all). Three queries at most."""
    chosen = CatalogLink.objects.filter(pk__in=links.values("pk"))
    not_priceable = []
    if on:
        priceable = ShopifyCatalog.objects.filter(merchant=OuterRef("merchant"), shopify_gid=OuterRef("catalog_gid"),
                                                  removed_at__isnull=True).exclude(price_list_gid="")
        chosen = chosen.filter(Exists(priceable))
        not_priceable = [str(link) for link in CatalogLink.objects.filter(pk__in=links.values("pk"))
                         .exclude(pk__in=chosen.values("pk")).order_by("title")]
    changed = chosen.exclude(sync_prices=on).update(sync_prices=on, updated_at=timezone.now())
    return PriceSyncMarks(changed, not_priceable)
