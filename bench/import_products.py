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
import os
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

from bench.databases import database_url
from bench.import_orders import free_port

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres:postgres@127.0.0.1:5432/syncsite_bench")
BASIC_BUCKET, BASIC_RESTORE = 1_000, 100      # a basic shop's bucket: points, and points restored a second


def measure(products: int, variants: int, database: str, plan: str, with_links: bool) -> dict:
    """Runs in a child process with DATABASE_URL set: import, then report figures as JSON."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "syncsite.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from factory.django import mute_signals

    from connectors.shopify.client import ClientSettings, ShopifyClient
    from connectors.shopify.importers.counts import ImportCounts
    from connectors.shopify.models import ShopifyProduct, ShopifyVariant
    from connectors.shopify.product_sync import PRODUCTS_PER_PAGE, sync_products
    from connectors.shopify.signals import products_imported
    from merchants.models import Merchant

    call_command("migrate", verbosity=0)
    base_url, token = os.environ["BENCH_SIMULATOR"], os.environ["BENCH_TOKEN"]
    merchant = Merchant.objects.create(code="BENCH", name="Bench", shop_domain="demo-eu.myshopify.com",
                                       api_base_url=base_url, access_token=token)
    client = ShopifyClient.for_merchant(merchant, client_settings=ClientSettings(bulk_poll_min=0.2, bulk_poll_max=1))

    queries_per_batch: list[int] = []
    counted = 0
    first_batch_at = 0.0

    def batch_done(counts: ImportCounts) -> None:  # the import's progress, called after each batch
        nonlocal counted, first_batch_at
        first_batch_at = first_batch_at or time.perf_counter()
        queries_per_batch.append(len(queries) - counted)
        counted = len(queries)

    muted = nullcontext() if with_links else mute_signals(products_imported)
    started = time.perf_counter()
    with muted, CaptureQueriesContext(connection) as queries:
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
    batches = queries_per_batch[1:] or queries_per_batch
    # By pages (ProductsUpdatedSince, 25 a page), each page costs 2 points, each product 5, each variant 4.
    pages = math.ceil(products / PRODUCTS_PER_PAGE)
    paging_cost = pages * 2 + products * 5 + variants * 4
    return {
        "database": database, "plan": plan, "products": counts.created, "variants": held,
        "seconds": round(seconds, 1), "products/s": round(counts.created / seconds),
        "variants/s": round(held / seconds), "export s": round(first_batch_at - started, 1),
        "requests": first.calls, "cost": round(first.actual_cost),
        "basic bucket s": round(max(0, first.actual_cost - BASIC_BUCKET) / BASIC_RESTORE, 1),
        "paging cost": paging_cost, "paging basic min": round((paging_cost - BASIC_BUCKET) / BASIC_RESTORE / 60, 1),
        "queries/batch": f"{min(batches)}-{max(batches)}", "setup queries": queries_per_batch[0] - min(batches),
        "peak RSS MB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "2nd run": f"{second.read} read, {again.stats.calls} req, {second_seconds:.2f} s",
    }


def run(products: int, variants: int, database: str, plan: str, with_links: bool) -> dict:
    port = free_port()
    simulator = subprocess.Popen(
        [sys.executable, "-m", "shopify_simulator", "--port", str(port), "--orders", "20",
         "--products", str(products), "--variants", str(variants), "--plan", plan, "--anchor", "2025-03-12"],
        cwd=ROOT, env={**os.environ, "LOG_LEVEL": "WARNING"}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        token, served = "", ""
        for line in simulator.stdout:
            if " products / " in line:
                served = line
            if "demo-eu.myshopify.com" in line:
                token = line.split("token ")[1].split()[0]
                break
        # The shop holds its own catalog besides the products asked for: the import must read them all.
        held = served.split(" products / ")
        products = int(held[0].rsplit(", ", 1)[1].replace(",", ""))
        variants = int(held[1].split(" variants")[0].replace(",", ""))
        with tempfile.TemporaryDirectory() as tmp:
            url = database_url(database, postgres_url=POSTGRES_URL, directory=tmp)
            env = {**os.environ, "DEBUG": "true", "LOG_LEVEL": "WARNING", "DATABASE_URL": url,
                   "BENCH_SIMULATOR": f"http://127.0.0.1:{port}", "BENCH_TOKEN": token}
            child = subprocess.run(
                [sys.executable, "-m", "bench.import_products", "--child", str(products), str(variants), database,
                 plan, "links" if with_links else "muted"],
                cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600)
            if child.returncode != 0:
                raise RuntimeError(child.stderr[-2000:])
            return json.loads(child.stdout.strip().splitlines()[-1])
    finally:
        simulator.terminate()
        simulator.wait(timeout=10)


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
