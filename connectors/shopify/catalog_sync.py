"""Report 30115's import: the shop's B2B catalogs (company-location and market catalogs), each with
its price list, its publication's products and the company locations or markets it is for.

Shopify has no `updated_at` filter on catalogs, and a shop has few: every run reads them all, then
writes them in one transaction. A catalog no longer listed is marked removed (and comes back if it
reappears). Everything is read before anything is written, and an answer that cannot be read whole
(a missing connection, a node without its ID, unusable pageInfo) is retried by the client, never
taken for "no more catalogs": a catalog is marked removed only after a listing read to its end.

A catalog whose price list changed in Shopify loses its price mirror (ShopifyCatalogPrice), which
described the old list: the next price sync reads the new one first.
"""
from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from django.db import IntegrityError, transaction
from django.utils import timezone

from connectors.shopify.client import ShopifyClient, page_problem
from connectors.shopify.documents import document
from connectors.shopify.importers.counts import ImportCounts
from connectors.shopify.models import CatalogKind, ShopifyCatalog, ShopifyCatalogPrice
from connectors.shopify.signals import catalogs_imported

logger = logging.getLogger(__name__)

# CatalogsOfType asks 802 points for 25 catalogs, each with its first 25 company locations or 5 markets
# (the CatalogFields fragment); a catalog for more is read further, 250 at a time (253 points).
CATALOGS_PER_PAGE = 25
NESTED_PER_PAGE = 250
TYPENAMES = {"CompanyLocationCatalog": CatalogKind.COMPANY_LOCATION, "MarketCatalog": CatalogKind.MARKET}
# What a catalog read from Shopify sets on its row (a change to any of them makes the row "updated").
CATALOG_FIELDS = ["title", "kind", "status", "company_location_gids", "market_names", "price_list_gid",
                  "price_list_name", "currency", "adjustment_type", "adjustment_value", "fixed_prices_count",
                  "publication_gid", "product_gids", "removed_at"]

Progress = Callable[[ImportCounts], None]


def sync_catalogs(*, merchant, client: ShopifyClient | None = None, progress: Progress | None = None) -> ImportCounts:
    """Import every company-location and market catalog of the shop; mark the ones gone as removed.

    `read` counts the catalogs Shopify listed, `created`/`updated` the rows written (a catalog marked
    removed, or back again, is updated), `skipped` the unchanged ones. A shop without B2B or markets
    reads none: zero counts. Sends `catalogs_imported` with the GIDs of the new or changed catalogs."""
    client = client or ShopifyClient.for_merchant(merchant)
    counts = ImportCounts()
    rows: dict[str, dict] = {}
    for kind in (CatalogKind.COMPANY_LOCATION, CatalogKind.MARKET):
        for page in _catalog_pages(client, kind):
            for node in page:
                row = read_catalog(client, node)
                if row is not None:
                    rows[row["shopify_gid"]] = row
            counts.read = len(rows)
            if progress:
                progress(counts)
    written = store_catalogs(merchant=merchant, rows=rows, listed_whole=True)
    counts.created, counts.updated, counts.skipped = written.created, written.updated, written.skipped
    logger.info("catalogs of merchant %s: %s", merchant.code, counts.summary("catalogs"))
    return counts


def import_catalog(*, merchant, client: ShopifyClient, gid: str) -> ShopifyCatalog | None:
    """Read one catalog from Shopify and write it (a catalog just created); None when Shopify has none
    by that ID (its row, if any, is left as it is)."""
    data = client.execute(document("CatalogById"), {"id": gid}, check=_single_catalog_problem).data
    row = read_catalog(client, data["catalog"]) if data["catalog"] is not None else None
    if row is None:
        return None
    store_catalogs(merchant=merchant, rows={row["shopify_gid"]: row}, listed_whole=False)
    return ShopifyCatalog.objects.get(merchant=merchant, shopify_gid=row["shopify_gid"])


# Reading ------------------------------------------------------------------------------------------
def _catalog_pages(client: ShopifyClient, kind: str):
    variables = {"type": kind, "first": CATALOGS_PER_PAGE}
    yield from connection_pages(client, "CatalogsOfType", variables, ("catalogs",), node_problem=catalog_problem)


def read_catalog(client: ShopifyClient, node: dict) -> dict | None:
    """A catalog's row (column names) from its CatalogFields, with the locations, markets and products
    read further where Shopify has more; None when the catalog went away while it was being read."""
    gid, kind = node["id"], TYPENAMES[node["__typename"]]
    price_list = node["priceList"] or {}
    adjustment = (price_list.get("parent") or {}).get("adjustment") or {}
    row = {
        "shopify_gid": gid, "title": node["title"][:255], "kind": kind, "status": str(node.get("status") or "")[:20],
        "price_list_gid": price_list.get("id") or "", "price_list_name": str(price_list.get("name") or "")[:255],
        "currency": str(price_list.get("currency") or "")[:3],
        "adjustment_type": str(adjustment.get("type") or "")[:32],
        "adjustment_value": _adjustment(adjustment.get("value")),
        "fixed_prices_count": int(price_list.get("fixedPricesCount") or 0),
        "publication_gid": (node["publication"] or {}).get("id") or "",
        "company_location_gids": [], "market_names": [], "removed_at": None,
    }
    if kind == CatalogKind.COMPANY_LOCATION:
        locations = _rest_of(client, node, "companyLocations", "CatalogCompanyLocations", ("id",))
        if locations is None:
            return None
        row["company_location_gids"] = sorted({location["id"] for location in locations})
    else:
        markets = _rest_of(client, node, "markets", "CatalogMarkets", ("name",))
        if markets is None:
            return None
        row["market_names"] = sorted({market["name"] for market in markets})
    row["product_gids"] = publication_products(client, row["publication_gid"]) if row["publication_gid"] else None
    if row["product_gids"] is None:
        row["publication_gid"] = ""    # none, or gone since the catalog was read: it offers every product
    return row


def _rest_of(client: ShopifyClient, node: dict, field: str, document_name: str,
             keys: tuple[str, ...]) -> list[dict] | None:
    """The whole of a catalog's nested connection `field`: its first page, then the rest by pages."""
    connection = node[field]
    nodes = list(connection["nodes"])
    if connection["pageInfo"]["hasNextPage"]:
        rest = all_nodes(client, document_name, {"id": node["id"], "first": NESTED_PER_PAGE}, "catalog", field,
                         keys=keys, after=connection["pageInfo"]["endCursor"])
        if rest is None:
            return None
        nodes += rest
    return nodes


def publication_products(client: ShopifyClient, publication_gid: str) -> list[str] | None:
    """The GIDs of the products a publication offers, sorted; None when Shopify has no such publication."""
    products = all_nodes(client, "PublicationProducts", {"id": publication_gid, "first": NESTED_PER_PAGE},
                         "publication", "products", keys=("id",))
    return None if products is None else sorted({product["id"] for product in products})


def connection_pages(client: ShopifyClient, document_name: str, variables: dict, path: tuple[str, ...], *,
                     node_problem: Callable[[dict], str | None]):
    """The nodes of a connection, a page at a time; a page with an unreadable node is retried."""
    after = variables.get("after")
    while True:
        data = client.execute(document(document_name), {**variables, "after": after},
                              check=lambda d: _page_and_nodes_problem(d, path, node_problem)).data
        connection = _dig(data, path)
        yield connection["nodes"]
        if not connection["pageInfo"]["hasNextPage"]:
            return
        after = connection["pageInfo"]["endCursor"]


def all_nodes(client: ShopifyClient, document_name: str, variables: dict, root: str, field: str, *,
              keys: tuple[str, ...], after: str | None = None) -> list[dict] | None:
    """Every node of `root.field` from `after` on, each carrying a text in each of `keys` (else the
    page is retried); None when `root` is null (Shopify has no such object, e.g. a catalog deleted
    meanwhile)."""
    nodes: list[dict] = []
    while True:
        data = client.execute(document(document_name), {**variables, "after": after},
                              check=lambda d: _nested_problem(d, root, field, keys)).data
        if data[root] is None:
            return None
        connection = data[root][field]
        nodes += connection["nodes"]
        if not connection["pageInfo"]["hasNextPage"]:
            return nodes
        after = connection["pageInfo"]["endCursor"]


# What makes an answer incomplete ------------------------------------------------------------------
def catalog_problem(node: dict) -> str | None:
    """What keeps a CatalogFields node from being read whole, or None."""
    if not isinstance(node.get("id"), str) or node.get("__typename") not in TYPENAMES:
        return "a catalog without its ID or type"
    if not isinstance(node.get("title"), str) or "priceList" not in node or "publication" not in node:
        return f"catalog {node['id']} without its title, price list or publication"
    price_list = node["priceList"]
    if price_list is not None and not (isinstance(price_list, dict) and isinstance(price_list.get("id"), str)
                                       and isinstance(price_list.get("currency"), str)):
        return f"catalog {node['id']} has an unreadable price list"
    if node["publication"] is not None and not isinstance((node["publication"] or {}).get("id"), str):
        return f"catalog {node['id']} has an unreadable publication"
    field, key = ("companyLocations", "id") if node["__typename"] == "CompanyLocationCatalog" else ("markets", "name")
    return page_problem(node, (field,)) or _items_problem(node[field]["nodes"], (key,),
                                                          f"catalog {node['id']}.{field}")


def _single_catalog_problem(data: Any) -> str | None:
    if not isinstance(data, dict) or "catalog" not in data:
        return "catalog is missing"
    if data["catalog"] is None:
        return None        # Shopify has no such catalog: an answer, not a failure
    return catalog_problem(data["catalog"]) if isinstance(data["catalog"], dict) else "catalog is not an object"


def _page_and_nodes_problem(data: Any, path: tuple[str, ...], node_problem: Callable[[dict], str | None]) -> str | None:
    problem = page_problem(data, path)
    if problem:
        return problem
    return next(filter(None, (node_problem(node) for node in _dig(data, path)["nodes"])), None)


def _nested_problem(data: Any, root: str, field: str, keys: tuple[str, ...]) -> str | None:
    if not isinstance(data, dict) or root not in data:
        return f"{root} is missing"
    if data[root] is None:
        return None
    return page_problem(data, (root, field)) or _items_problem(data[root][field]["nodes"], keys, f"{root}.{field}")


def _items_problem(nodes: list, keys: tuple[str, ...], where: str) -> str | None:
    for key in keys:
        if any(not isinstance(node, dict) or not isinstance(node.get(key), str) or not node[key] for node in nodes):
            return f"{where} lists a node without its {key}"
    return None


def _dig(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _adjustment(value) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.0001"))
    except InvalidOperation:
        return None


# Writing ------------------------------------------------------------------------------------------
def store_catalogs(*, merchant, rows: dict[str, dict], listed_whole: bool) -> ImportCounts:
    """Upsert catalog rows by GID in one transaction; with `listed_whole` (every catalog of the shop
    was read), the merchant's catalogs not among them are marked removed."""
    try:
        return _store(merchant, rows, listed_whole)
    except IntegrityError:
        # Another import of the shop inserted some of them meanwhile: what is held now decides.
        logger.warning("catalogs of merchant %s were inserted concurrently; written again", merchant.code)
        return _store(merchant, rows, listed_whole)


@transaction.atomic
def _store(merchant, rows: dict[str, dict], listed_whole: bool) -> ImportCounts:
    now = timezone.now()
    held_rows = ShopifyCatalog.objects.filter(merchant=merchant)
    if not listed_whole:
        held_rows = held_rows.filter(shopify_gid__in=list(rows))
    held = {catalog.shopify_gid: catalog for catalog in held_rows}
    counts = ImportCounts(read=len(rows))
    new, changed, relisted = [], [], []
    for gid, row in rows.items():
        catalog = held.get(gid)
        if catalog is None:
            new.append(ShopifyCatalog(merchant=merchant, **row, imported_at=now, updated_at=now))
            continue
        if all(getattr(catalog, name) == row[name] for name in CATALOG_FIELDS):
            counts.skipped += 1
            continue
        if catalog.price_list_gid != row["price_list_gid"]:
            relisted.append(catalog.pk)       # its price mirror described another price list
            catalog.prices_read_at = None
        for name in CATALOG_FIELDS:
            setattr(catalog, name, row[name])
        catalog.updated_at = now
        changed.append(catalog)
    if listed_whole:
        for gid, catalog in held.items():
            if gid not in rows and catalog.removed_at is None:
                catalog.removed_at = catalog.updated_at = now
                changed.append(catalog)
                logger.info("catalog %s of merchant %s is no longer in Shopify: marked removed", gid, merchant.code)
    if relisted:
        ShopifyCatalogPrice.objects.filter(catalog_id__in=relisted).delete()
    ShopifyCatalog.objects.bulk_create(new, batch_size=500)
    ShopifyCatalog.objects.bulk_update(changed, [*CATALOG_FIELDS, "prices_read_at", "updated_at"], batch_size=500)
    counts.created, counts.updated = len(new), len(changed)
    if new or changed:
        catalogs_imported.send(sender=ShopifyCatalog, merchant_id=merchant.pk,
                               gids=[catalog.shopify_gid for catalog in (*new, *changed)])
    return counts
