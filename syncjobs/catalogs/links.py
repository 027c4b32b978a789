"""One CatalogLink per imported Shopify catalog: what syncsite does with it (whether its prices come
from the ledger, from which price list) and how its last price sync went."""
from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from connectors.shopify.models import ShopifyCatalog
from syncjobs.catalogs.models import CatalogLink

BATCH = 500


@dataclass
class LinkCounts:
    new: int = 0          # catalogs linked for the first time (prices not synced until someone marks them)
    retitled: int = 0     # links whose title followed the catalog's


def link_catalogs(merchant) -> LinkCounts:
    """A link for each of the shop's imported catalogs that has none (prices not synced: a person
    marks the catalogs syncsite prices; only the ones it creates itself start marked), and each
    link's title kept to its catalog's. Three queries, whatever the number of catalogs."""
    counts = LinkCounts()
    titles = dict(ShopifyCatalog.objects.filter(merchant=merchant).values_list("shopify_gid", "title"))
    links = {link.catalog_gid: link for link in CatalogLink.objects.filter(merchant=merchant)}
    now = timezone.now()
    new = [CatalogLink(merchant=merchant, catalog_gid=gid, title=title, sync_prices=False)
           for gid, title in titles.items() if gid not in links]
    retitled = []
    for gid, link in links.items():
        if gid in titles and link.title != titles[gid]:
            link.title, link.updated_at = titles[gid], now
            retitled.append(link)
    # A link made meanwhile (a catalog created for a company) stays as it was made.
    CatalogLink.objects.bulk_create(new, batch_size=BATCH, ignore_conflicts=True)
    CatalogLink.objects.bulk_update(retitled, ["title", "updated_at"], batch_size=BATCH)
    counts.new, counts.retitled = len(new), len(retitled)
    return counts
