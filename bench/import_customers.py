"""The first import of a store's customers (report 30100) into SQLite or PostgreSQL.

    .venv/bin/python -m bench.import_customers [--customers 20000,100000] [--database sqlite|postgres|both]
                                               [--plan unlimited|basic]

For each size it starts a Shopify simulator with that many customers per shop, migrates a fresh
database and runs `sync_customers` as a first import (a bulk export above its threshold), then a
second run (what changed since: nothing but the overlap). It measures the whole first import, the
export's wait included: seconds, customers/s, seconds until the first batch is in (mostly Shopify
writing the export), requests, the query cost Shopify charged and what that is against a basic
shop's bucket (1,000 points, 100 a second), what reading the same customers by pages would cost
there, queries per batch of 2,000 (COPY statements not counted; the first batch's extra queries,
the import's setup and polling, apart), and the peak RSS of the importing process (a fresh process
per run). PostgreSQL is reached through BENCH_POSTGRES_URL (default
postgres://postgres:postgres@127.0.0.1:5432/syncsite_bench, recreated each run).
Prints figures only.
"""
from __future__ import annotations

import argparse
import json
import math
import resource
import time

from bench.import_harness import BASIC_BUCKET, BASIC_RESTORE, BatchQueries, bench_merchant, run_child, simulator


def measure(customers: int, database: str, plan: str) -> dict:
    """Runs in a child process with DATABASE_URL set: import, then report figures as JSON."""
    merchant, client = bench_merchant()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from connectors.shopify.client import ShopifyClient
    from connectors.shopify.customer_sync import CUSTOMERS_PER_PAGE, sync_customers
    from connectors.shopify.models import ShopifyCustomer

    batch_done = BatchQueries()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as batch_done.queries:
        counts = sync_customers(merchant=merchant, client=client, progress=batch_done)
    seconds = time.perf_counter() - started
    first = client.stats
    assert ShopifyCustomer.objects.filter(merchant=merchant).count() == customers == counts.created

    again = ShopifyClient.for_merchant(merchant)
    second_started = time.perf_counter()
    second = sync_customers(merchant=merchant, client=again)
    second_seconds = time.perf_counter() - second_started

    # The first batch also holds the import's own setup (its state, the export's polling).
    queries_per_batch = batch_done.per_batch
    batches = queries_per_batch[1:] or queries_per_batch
    # By pages, each customer costs 3 points and each page 2 (CustomersUpdatedSince's requested cost).
    pages = math.ceil(customers / CUSTOMERS_PER_PAGE)
    paging_cost = pages * 2 + customers * 3
    return {
        "database": database, "plan": plan, "customers": counts.created, "seconds": round(seconds, 1),
        "customers/s": round(counts.created / seconds), "export s": round(batch_done.first_batch_at - started, 1),
        "requests": first.calls,
        "cost": round(first.actual_cost),
        "basic bucket s": round(max(0, first.actual_cost - BASIC_BUCKET) / BASIC_RESTORE, 1),
        "paging cost": paging_cost, "paging basic min": round((paging_cost - BASIC_BUCKET) / BASIC_RESTORE / 60, 1),
        "queries/batch": f"{min(batches)}-{max(batches)}", "setup queries": queries_per_batch[0] - min(batches),
        "peak RSS MB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "2nd run": f"{second.read} read, {again.stats.calls} req, {second_seconds:.2f} s",
    }


def run(customers: int, database: str, plan: str) -> dict:
    with simulator("--orders", "20", "--customers", str(customers), "--plan", plan) as (port, token, _):
        return run_child("bench.import_customers", [str(customers), database, plan], database=database, port=port,
                         token=token)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", default="20000,100000")
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--plan", choices=("unlimited", "basic"), default="unlimited")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(int(args.child[0]), args.child[1], args.child[2])))
        return
    databases = ("sqlite", "postgres") if args.database == "both" else (args.database,)
    rows = [run(int(size), database, args.plan) for size in args.customers.split(",") for database in databases]
    columns = list(rows[0])
    print("  ".join(f"{c:>14}" for c in columns))
    for row in rows:
        print("  ".join(f"{row[c]!s:>14}" for c in columns))


if __name__ == "__main__":
    main()
