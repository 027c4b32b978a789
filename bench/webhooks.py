"""How fast POST /webhooks/shopify/ answers, on SQLite and PostgreSQL.

    .venv/bin/python -m bench.webhooks [--deliveries 2000] [--database sqlite|postgres|both]

One shop with Auto sync orders on receives `--deliveries` signed orders/create deliveries of
distinct events while its import is running (so the first starts an entry and the rest find it
pending), then the same number of duplicates. For each: median and p95 milliseconds per delivery
through Django's test client (the full request path, DEBUG off) and queries per delivery.
PostgreSQL is reached through BENCH_POSTGRES_URL (default
postgres://postgres:postgres@127.0.0.1:5432/syncsite_bench_webhooks, recreated each run).
Prints figures only.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

from bench.databases import database_url

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL",
                              "postgres://postgres:postgres@127.0.0.1:5432/syncsite_bench_webhooks")
KEY = "shpss_bench"


def run(deliveries: int) -> dict:
    """In a child process whose DATABASE_URL is the bench database."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "syncsite.settings")
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from connectors.shopify.webhooks.verification import signature
    from core.secrets import Secret
    from merchants.models import Merchant
    from syncjobs.queue.categories import default_category_for
    from syncjobs.queue.models import EntryStatus, JobQueueEntry

    call_command("migrate", verbosity=0)
    merchant = Merchant.objects.create(code="HOOKS", name="Hooks", shop_domain="hooks.myshopify.com",
                                       api_secret_key=Secret(KEY), auto_sync_orders=True)
    JobQueueEntry.objects.create(merchant=merchant, report_number=30104, category=default_category_for(merchant),
                                 status=EntryStatus.IN_PROCESS, description="the running import")
    client = Client()
    body = json.dumps({"id": 1, "admin_graphql_api_id": "gid://shopify/Order/1", "name": "#1001",
                       "line_items": [{"title": "Item", "quantity": 1, "price": "10.00"}] * 20}).encode()
    headers = {"X-Shopify-Topic": "orders/create", "X-Shopify-Hmac-Sha256": signature(body, KEY),
               "X-Shopify-Shop-Domain": merchant.shop_domain}

    def deliver(event: str, delivery: str) -> float:
        started = time.perf_counter()
        response = client.post("/webhooks/shopify/", data=body, content_type="application/json", headers={
            **headers, "X-Shopify-Event-Id": event, "X-Shopify-Webhook-Id": delivery})
        assert response.status_code == 200, response.status_code
        return (time.perf_counter() - started) * 1000

    figures = {}
    for kind, event_of in (("new events", lambda n: f"event-{n}"), ("duplicates", lambda n: f"event-{n}")):
        timings = [deliver(event_of(n), f"{kind}-{n}") for n in range(deliveries)]
        with CaptureQueriesContext(connection) as queries:
            deliver(event_of(deliveries) if kind == "new events" else event_of(0), f"{kind}-last")
        timings.sort()
        figures[kind] = {"median_ms": statistics.median(timings), "p95_ms": timings[int(0.95 * (len(timings) - 1))],
                         "queries": len(queries)}
    figures["entries"] = JobQueueEntry.objects.filter(merchant=merchant).count()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deliveries", type=int, default=2000)
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run(args.deliveries)))
        return
    databases = ("sqlite", "postgres") if args.database == "both" else (args.database,)
    print(f"{'database':<10} {'deliveries':<12} {'median ms':>9} {'p95 ms':>7} {'queries':>7}")
    for database in databases:
        with tempfile.TemporaryDirectory() as directory:
            env = {**os.environ, "DEBUG": "false", "SECRET_KEY": "bench-only", "LOG_LEVEL": "WARNING",
                   "SYNCSITE_ENCRYPTION_KEY": "c3luY3NpdGUtZGV2ZWxvcG1lbnQta2V5LTMyYnl0ZXM=",
                   "ALLOWED_HOSTS": "testserver",
                   "DATABASE_URL": database_url(database, postgres_url=POSTGRES_URL, directory=directory)}
            done = subprocess.run([sys.executable, "-m", "bench.webhooks", "--child", "--deliveries",
                                   str(args.deliveries)], cwd=ROOT, env=env, capture_output=True, text=True)
            if done.returncode != 0:
                sys.exit(done.stderr)
            figures = json.loads(done.stdout.strip().splitlines()[-1])
        for kind in ("new events", "duplicates"):
            f = figures[kind]
            print(f"{database:<10} {kind:<12} {f['median_ms']:>9.2f} {f['p95_ms']:>7.2f} {f['queries']:>7}")
        print(f"{database:<10} job queue entries afterwards: {figures['entries']} (the running import and one more)")


if __name__ == "__main__":
    main()
