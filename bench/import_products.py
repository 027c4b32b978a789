"""The first import of a store's products (report 30108) into SQLite or PostgreSQL.

    .venv/bin/python -m bench.import_products [--products 20000 --variants 100000]
                                              [--database sqlite|postgres|both] [--plan unlimited|basic]
                                              [--with-links]

It starts a Shopify simulator with that many products and variants per shop, migrates a fresh
database and runs `sync_products` as a first import (a bulk export above its threshold), then a
second run (what changed since: nothing but the overlap). It measures the whole first import, the
export's wait included: seconds, products/s and variants/s, seconds until the first batch is in
(mostly Shopify writing the export), requests, the query cost Shopify charged and what that is
against a basic shop's bucket (1,000 points, 100 a second), what reading the same products by pages
would cost there, queries per batch of 1,000 products (COPY statements not counted; the first
batch's extra queries, the import's setup and polling, apart), and the peak RSS of the importing
process (a fresh process per run). What listens to the import (the product links of
syncjobs.products) is muted unless --with-links: those are the sync domain's figures.
PostgreSQL is reached through BENCH_POSTGRES_URL (default
postgres://postgres:postgres@127.0.0.1:5432/syncsite_bench, recreated each run). Prints figures only.
"""
from __future__ import annotations

import argparse
import json
import math
import resource
import time
from contextlib import nullcontext

from bench.import_harness import BASIC_BUCKET, BASIC_RESTORE, BatchQueries, bench_merchant, run_child, simulator


def measure(products: int, variants: int, database: str, plan: str, with_links: bool) -> dict:
    """Runs in a child process with DATABASE_URL set: import, then report figures as JSON."""
    merchant, client = bench_merchant()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from factory.django import mute_signals

    from connectors.shopify.client import ShopifyClient
    from connectors.shopify.models import ShopifyProduct, ShopifyVariant
    from connectors.shopify.product_sync import PRODUCTS_PER_PAGE, sync_products
    from connectors.shopify.signals import products_imported

    batch_done = BatchQueries()
    muted = nullcontext() if with_links else mute_signals(products_imported)
    started = time.perf_counter()
    with muted, CaptureQueriesContext(connection) as batch_done.queries:
        counts = sync_products(merchant=merchant, client=client, progress=batch_done)
    seconds = time.perf_counter() - started
    first = client.stats
    held = ShopifyVariant.objects.filter(product__merchant=merchant).count()
    assert ShopifyProduct.objects.filter(merchant=merchant).count() == products == counts.created, counts.summary()
    assert held == variants, held

    again = ShopifyClient.for_merchant(merchant)
    second_started = time.perf_counter()
    with mute_signals(products_imported) if not with_links else nullcontext():
        second = sync_products(merchant=merchant, client=again)
    second_seconds = time.perf_counter() - second_started

    # The first batch also holds the import's own setup (its state, the count, the export's polling).
    queries_per_batch = batch_done.per_batch
    batches = queries_per_batch[1:] or queries_per_batch
    # By pages (ProductsUpdatedSince, 25 a page), each page costs 2 points, each product 5, each variant 4.
    pages = math.ceil(products / PRODUCTS_PER_PAGE)
    paging_cost = pages * 2 + products * 5 + variants * 4
    return {
        "database": database, "plan": plan, "products": counts.created, "variants": held,
        "seconds": round(seconds, 1), "products/s": round(counts.created / seconds),
        "variants/s": round(held / seconds), "export s": round(batch_done.first_batch_at - started, 1),
        "requests": first.calls, "cost": round(first.actual_cost),
        "basic bucket s": round(max(0, first.actual_cost - BASIC_BUCKET) / BASIC_RESTORE, 1),
        "paging cost": paging_cost, "paging basic min": round((paging_cost - BASIC_BUCKET) / BASIC_RESTORE / 60, 1),
        "queries/batch": f"{min(batches)}-{max(batches)}", "setup queries": queries_per_batch[0] - min(batches),
        "peak RSS MB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "2nd run": f"{second.read} read, {again.stats.calls} req, {second_seconds:.2f} s",
    }


def run(products: int, variants: int, database: str, plan: str, with_links: bool) -> dict:
    options = ("--orders", "20", "--products", str(products), "--variants", str(variants), "--plan", plan)
    with simulator(*options) as (port, token, printed):
        # The shop holds its own catalog besides the products asked for: the import must read them all.
        served = next(line for line in printed if " products / " in line).split(" products / ")
        products = int(served[0].rsplit(", ", 1)[1].replace(",", ""))
        variants = int(served[1].split(" variants")[0].replace(",", ""))
        return run_child("bench.import_products",
                         [str(products), str(variants), database, plan, "links" if with_links else "muted"],
                         database=database, port=port, token=token)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--variants", type=int, default=100_000)
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--plan", choices=("unlimited", "basic"), default="unlimited")
    parser.add_argument("--with-links", action="store_true", help="let the product links listen to the import")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        products, variants, database, plan, links = args.child
        print(json.dumps(measure(int(products), int(variants), database, plan, links == "links")))
        return
    databases = ("sqlite", "postgres") if args.database == "both" else (args.database,)
    rows = [run(args.products, args.variants, database, args.plan, args.with_links) for database in databases]
    columns = list(rows[0])
    print("  ".join(f"{c:>14}" for c in columns))
    for row in rows:
        print("  ".join(f"{row[c]!s:>14}" for c in columns))


if __name__ == "__main__":
    main()
