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
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.databases import database_url

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres:postgres@127.0.0.1:5432/syncsite_bench")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def measure(orders: int, database: str) -> dict:
    """Runs in a child process with DATABASE_URL set: import, then report figures as JSON."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "syncsite.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from connectors.shopify import order_sync
    from connectors.shopify.bulk import start_bulk_export, wait_for_bulk_export
    from connectors.shopify.client import ClientSettings, ShopifyClient
    from connectors.shopify.documents import document
    from connectors.shopify.importers.counts import ImportCounts
    from merchants.models import Merchant

    call_command("migrate", verbosity=0)
    base_url, token = os.environ["BENCH_SIMULATOR"], os.environ["BENCH_TOKEN"]
    merchant = Merchant.objects.create(code="BENCH", name="Bench", shop_domain="demo-eu.myshopify.com",
                                       api_base_url=base_url, access_token=token)
    client = ShopifyClient.for_merchant(merchant, client_settings=ClientSettings(bulk_poll_min=0.2, bulk_poll_max=1))
    gid = start_bulk_export(client, document("OrdersBulkExport"))
    operation = wait_for_bulk_export(client, gid)

    queries_per_batch: list[int] = []
    counted = 0

    def batch_done(counts: ImportCounts) -> None:  # the import's progress, called after each full batch
        nonlocal counted
        queries_per_batch.append(len(queries) - counted)
        counted = len(queries)

    counts = ImportCounts()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        order_sync.import_bulk_result(merchant, operation["url"], counts, progress=batch_done)
    imported = counts.read
    seconds = time.perf_counter() - started
    return {
        "database": database, "orders": imported, "seconds": round(seconds, 1),
        "orders/s": round(imported / seconds), "queries/batch": f"{min(queries_per_batch)}-{max(queries_per_batch)}",
        "peak RSS MB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run(orders: int, database: str) -> dict:
    port = free_port()
    simulator = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "shopify_simulator", "--port", str(port), "--orders", str(orders),
         "--plan", "unlimited", "--anchor", "2025-03-12"],
        cwd=ROOT, env={**os.environ, "DEBUG": "true", "LOG_LEVEL": "WARNING"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        token = ""
        for line in simulator.stdout:
            if "demo-eu.myshopify.com" in line:
                token = line.split("token ")[1].split()[0]
                break
        with tempfile.TemporaryDirectory() as tmp:
            url = database_url(database, postgres_url=POSTGRES_URL, directory=tmp)
            env = {**os.environ, "DEBUG": "true", "LOG_LEVEL": "WARNING", "DATABASE_URL": url,
                   "BENCH_SIMULATOR": f"http://127.0.0.1:{port}", "BENCH_TOKEN": token}
            child = subprocess.run([sys.executable, "-m", "bench.import_orders", "--child", str(orders), database],
                                   cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600)
            if child.returncode != 0:
                raise RuntimeError(child.stderr[-2000:])
            return json.loads(child.stdout.strip().splitlines()[-1])
    finally:
        simulator.terminate()
        simulator.wait(timeout=10)


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
