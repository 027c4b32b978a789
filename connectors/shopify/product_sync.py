"""Report 30108's import: products changed since the watermark, read page by page with their
variants and upserted; and, on demand, the products an order sells that are not imported yet.

As the customer import (customer_sync.py): a first import of a large store goes through a bulk
export, kept on the import state so a killed import resumes it; the watermark is taken before
reading and moved only once everything was read, and a small overlap re-reads the last minutes
(those products are counted as skipped). A page brings the first variants of each product; a
product with more has the rest read before it is imported, never imported without them. Linking
the variants to the accounting target's items is the sync domain's business, not this module's.
"""
from __future__ import annotations

import logging
import re
from datetime import timedelta
from decimal import Decimal
from typing import Callable, Iterable

from django.utils import timezone

from connectors.shopify.bulk import rebuild_objects, stream_lines
from connectors.shopify.client import ShopifyClient, page_problem
from connectors.shopify.documents import document
from connectors.shopify.first_import import bulk_first_import, refresh_planner_statistics
from connectors.shopify.importers.counts import ImportCounts, RecordError
from connectors.shopify.importers.products import import_products
from connectors.shopify.models import ImportState, ShopifyProduct, ShopifyVariant

logger = logging.getLogger(__name__)
WATERMARK_OVERLAP = timedelta(minutes=5)
# ProductsUpdatedSince costs 2 + 5 points a product (the product, its featured media and image, its
# variants' connection) + 4 a variant (the variant, its options, its inventory item and unit cost):
# 25 products with their first 8 variants ask 2 + 25 × (5 + 8 × 4) = 927 points, under the 1,000 a
# query may cost and a basic shop's bucket holds. ProductsByIds asks the same for 25 ids (925).
PRODUCTS_PER_PAGE = 25
VARIANTS_PER_PAGE = 8
# ProductVariantsPage: 3 + 4 points a variant; 200 ask 803.
VARIANTS_PER_FOLLOW = 200
BULK_THRESHOLD = 250         # a first import of more products than this uses a bulk export (10 pages)
BULK_BATCH = 1_000           # products a batch of a bulk import (about 5,000 variants in a large store)
BY_GID_BATCH = 250           # products an on-demand import writes a batch (nodes(ids:) takes 250 at most)
BULK_CHILD_FIELDS = {"ProductVariant": "variants"}
_PRODUCT_GID = re.compile(r"^gid://shopify/Product/\d+$")

Progress = Callable[[ImportCounts], None]


def sync_products(*, merchant, client: ShopifyClient | None = None, progress: Progress | None = None,
                  expect: Callable[[int], None] | None = None, bulk_threshold: int = BULK_THRESHOLD) -> ImportCounts:
    """Import the products changed since the last run (all of them the first time, by a bulk export
    when there are many), each with all its variants. `expect` hears how many a first import will
    read, once Shopify said."""
    client = client or ShopifyClient.for_merchant(merchant)
    state, _ = ImportState.objects.get_or_create(merchant=merchant, kind=ImportState.Kind.PRODUCTS)
    counts = ImportCounts()
    first_import_size = None
    if not state.bulk_operation_gid and state.watermark is None:
        first_import_size = _product_count(client)
        if expect:
            expect(first_import_size)
    if state.bulk_operation_gid or (first_import_size is not None and first_import_size > bulk_threshold):
        _bulk_import(merchant, client, state, counts, progress)
        state.refresh_from_db()
    started_at = timezone.now()
    query = None
    if state.watermark:
        since = (state.watermark - WATERMARK_OVERLAP).strftime("%Y-%m-%dT%H:%M:%SZ")
        query = f"updated_at:>='{since}'"
    variables = {"first": PRODUCTS_PER_PAGE, "variants": VARIANTS_PER_PAGE, "query": query}
    for page in client.pages(document("ProductsUpdatedSince"), variables, ("products",)):
        page = _with_every_variant(client, page, counts)
        counts.add(import_products(merchant=merchant, payloads=page))
        if progress:
            progress(counts)
    ImportState.objects.filter(pk=state.pk).update(watermark=started_at, updated_at=timezone.now())
    return counts


def import_products_by_gid(*, merchant, client: ShopifyClient, gids: Iterable[str]) -> ImportCounts:
    """Import the products `gids` names (e.g. those an order sells that are not imported yet), with
    all their variants, BY_GID_BATCH a batch; an id Shopify has no product for is counted as skipped,
    with why. The watermark is left alone: the next Sync products still reads whatever changed."""
    counts = ImportCounts()
    wanted = []
    for gid in dict.fromkeys(gids):
        if _PRODUCT_GID.match(gid or ""):
            wanted.append(gid)
        else:
            counts.skipped += 1
            counts.skipped_records.append(RecordError("product", str(gid), f"{gid!r} is not a Shopify product ID"))
    for batch in _chunks(wanted, BY_GID_BATCH):
        found: list[dict] = []
        for ids in _chunks(batch, PRODUCTS_PER_PAGE):
            found += _products_by_ids(client, ids, counts)
        found = _with_every_variant(client, found, counts)
        if found:
            counts.add(import_products(merchant=merchant, payloads=found))
    return counts


def _products_by_ids(client: ShopifyClient, ids: list[str], counts: ImportCounts) -> list[dict]:
    """The products of `ids` that Shopify has. nodes(ids:) answers null for an unknown id, but an
    answer can be wrong that way too: a null is asked again alone before it is believed."""
    def problem(data: dict) -> str | None:
        nodes = data.get("nodes") if isinstance(data, dict) else None
        if not isinstance(nodes, list) or len(nodes) != len(ids):
            return f"nodes holds {len(nodes) if isinstance(nodes, list) else 'no list'} of the {len(ids)} products"
        return None

    data = client.execute(document("ProductsByIds"), {"ids": ids, "variants": VARIANTS_PER_PAGE}, check=problem).data
    found = []
    for gid, node in zip(ids, data["nodes"]):
        node = node if node is not None else _read_alone(client, gid)
        if node is None:
            counts.skipped += 1
            counts.skipped_records.append(RecordError("product", gid, f"Shopify has no product {gid} (deleted?)"))
        else:
            found.append(node)
    return found


def _read_alone(client: ShopifyClient, gid: str) -> dict | None:
    """One product with its first variants, or None when Shopify has no such product."""
    data = client.execute(document("ProductDetail"), {"id": gid, "variants": VARIANTS_PER_PAGE},
                          check=lambda d: None if isinstance(d, dict) and "product" in d else "product is missing").data
    return data["product"]


def _with_every_variant(client: ShopifyClient, products: list[dict], counts: ImportCounts) -> list[dict]:
    """The products with the variants past their first page read (in place). A product deleted in
    Shopify while we read it is left out, counted as skipped with why."""
    kept = []
    for product in products:
        if _read_remaining_variants(client, product):
            kept.append(product)
        else:
            counts.skipped += 1
            counts.skipped_records.append(RecordError(
                "product", product["id"], f"product {product.get('title') or product['id']} was deleted in Shopify "
                                          "while it was read; what was imported of it is kept"))
    return kept


def _read_remaining_variants(client: ShopifyClient, product: dict) -> bool:
    """Append the further pages of the product's variants to its first page; False when Shopify no
    longer has the product. A first page that cannot be read is left as it is: the importer fails
    that product with the reason."""
    variants = product.get("variants") if isinstance(product, dict) else None
    info = variants.get("pageInfo") if isinstance(variants, dict) else None
    if not (isinstance(info, dict) and info.get("hasNextPage") is True and info.get("endCursor")
            and isinstance(variants.get("nodes"), list)):
        return True
    path = ("product", "variants")

    def problem(data: dict) -> str | None:
        if not isinstance(data, dict) or "product" not in data:
            return "product is missing"
        return None if data["product"] is None else page_problem(data, path)

    while info["hasNextPage"]:
        data = client.execute(document("ProductVariantsPage"), {
            "id": product["id"], "first": VARIANTS_PER_FOLLOW, "after": info["endCursor"]}, check=problem).data
        if data["product"] is None:
            return False
        page = data["product"]["variants"]
        variants["nodes"].extend(page["nodes"])
        info = page["pageInfo"]
    variants["pageInfo"] = {"hasNextPage": False, "endCursor": None}
    return True


def _product_count(client: ShopifyClient) -> int:
    def problem(data: dict) -> str | None:
        count = (data.get("productsCount") if isinstance(data, dict) else None) or {}
        return None if isinstance(count.get("count"), int) else "productsCount is missing"

    return client.execute(document("ProductsCount"), {"query": None}, check=problem).data["productsCount"]["count"]


def _bulk_import(merchant, client: ShopifyClient, state: ImportState, counts: ImportCounts,
                 progress: Progress | None) -> None:
    def read(url: str) -> None:
        import_bulk_result(merchant, url, counts, progress)
        # What maps variants by SKU or barcode right after would be planned as on empty tables.
        refresh_planner_statistics([ShopifyProduct, ShopifyVariant])

    bulk_first_import(client, state, "ProductsBulkExport", read)


def import_bulk_result(merchant, url: str, counts: ImportCounts, progress: Progress | None = None) -> None:
    """The products of a finished export, their variant lines put back under them, BULK_BATCH
    products at a time, each batch in a transaction of its own."""
    batch: list[dict] = []
    for product in rebuild_objects(stream_lines(url), BULK_CHILD_FIELDS):
        batch.append(product)
        if len(batch) == BULK_BATCH:
            counts.add(import_products(merchant=merchant, payloads=batch))
            batch = []
            if progress:
                progress(counts)
    if batch:
        counts.add(import_products(merchant=merchant, payloads=batch))
        if progress:
            progress(counts)


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def record_prices(merchant, prices: dict[str, Decimal]) -> None:
    """Variants whose price syncsite has just set in Shopify: their rows say what Shopify now holds,
    so the next run compares against it without reading the catalog again."""
    rows = list(ShopifyVariant.objects.filter(product__merchant=merchant, shopify_gid__in=list(prices)))
    for row in rows:
        row.price = prices[row.shopify_gid]
    ShopifyVariant.objects.bulk_update(rows, ["price"], batch_size=1000)
