"""Bulk import of orders (report 30104's first import) into SQLite or PostgreSQL.

    .venv/bin/python -m bench.import_orders [--orders 20000,200000] [--database sqlite|postgres|both]

For each size it starts a Shopify simulator with that many orders (unlimited plan), migrates a
fresh database, runs the bulk export, and measures the import's own code from the moment the JSONL
is ready: orders/s, queries per batch (COPY statements not counted), and peak RSS of the importing
process. Each run is a fresh process, so peak RSS is that run's own. PostgreSQL is reached through BENCH_POSTGRES_URL
(default postgres://postgres:postgres@127.0.0.1:5432/syncsite_bench, recreated each run).
Prints figures only.
"""
from __future__ import annotations

import argparse
import json
import resource
import time

from bench.import_harness import BatchQueries, bench_merchant, run_child, simulator


def measure(orders: int, database: str) -> dict:
    """Runs in a child process with DATABASE_URL set: import, then report figures as JSON."""
    merchant, client = bench_merchant()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from connectors.shopify import order_sync
    from connectors.shopify.bulk import start_bulk_export, wait_for_bulk_export
    from connectors.shopify.documents import document
    from connectors.shopify.importers.counts import ImportCounts

    gid = start_bulk_export(client, document("OrdersBulkExport"))
    operation = wait_for_bulk_export(client, gid)

    batch_done = BatchQueries()
    counts = ImportCounts()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as batch_done.queries:
        order_sync.import_bulk_result(merchant, operation["url"], counts, progress=batch_done)
    imported = counts.read
    seconds = time.perf_counter() - started
    return {
        "database": database, "orders": imported, "seconds": round(seconds, 1),
        "orders/s": round(imported / seconds),
        "queries/batch": f"{min(batch_done.per_batch)}-{max(batch_done.per_batch)}",
        "peak RSS MB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run(orders: int, database: str) -> dict:
    with simulator("--orders", str(orders), "--plan", "unlimited") as (port, token, _):
        return run_child("bench.import_orders", [str(orders), database], database=database, port=port, token=token)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", default="20000,200000")
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(int(args.child[0]), args.child[1])))
        return
    databases = ("sqlite", "postgres") if args.database == "both" else (args.database,)
    rows = [run(int(size), database) for size in args.orders.split(",") for database in databases]
    columns = list(rows[0])
    print("  ".join(f"{c:>14}" for c in columns))
    for row in rows:
        print("  ".join(f"{row[c]!s:>14}" for c in columns))


if __name__ == "__main__":
    main()
