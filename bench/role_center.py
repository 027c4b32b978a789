"""The role center with millions of rows, on PostgreSQL: its response time and query count, and the
lists its tiles link to.

    .venv/bin/python -m bench.role_center [--orders 2000000] [--runs 500000] [--shops 20] [--requests 20]

It fills a fresh database (BENCH_POSTGRES_URL, default
postgres://postgres:postgres@127.0.0.1:5432/syncsite_bench_role_center) with SQL alone: `--orders`
imported orders spread over `--shops` shops and 90 days, all posted but the last day's (about one
in ninety); `--runs` sync runs, one in 197 failed and a third of those dismissed; a failing
and a disabled daily sync. Then it asks for the role center as staff (every shop) and as a merchant
user (one shop) through Django's test client with DEBUG off: median and p95 milliseconds over
`--requests` requests, and queries per page. Prints figures only.
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
import warnings
from pathlib import Path

from bench.databases import recreate_postgres

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL",
                              "postgres://postgres:postgres@127.0.0.1:5432/syncsite_bench_role_center")
DAYS = 90
TILE_SHOWN = re.compile(r'id="tile-(\w+)"[^>]*>\s*<span class="tile-count">([^<]+)<')


def _setup() -> None:
    os.environ.update({
        "DATABASE_URL": POSTGRES_URL, "DEBUG": "false", "SECRET_KEY": "bench-only", "LOG_LEVEL": "WARNING",
        "SYNCSITE_ENCRYPTION_KEY": "c3luY3NpdGUtZGV2ZWxvcG1lbnQta2V5LTMyYnl0ZXM=",
        "ALLOWED_HOSTS": "testserver",
    })
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "syncsite.settings")
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at")   # whitenoise: no collectstatic here
    import django

    django.setup()


def _filler(field) -> str:
    """An SQL value for a column the bench does not care about."""
    from django.db import models

    if isinstance(field, (models.DecimalField, models.IntegerField, models.FloatField)):
        return "0"
    if isinstance(field, models.BooleanField):
        return "false"
    if isinstance(field, models.DateTimeField):
        return "NULL" if field.null else "now()"
    if isinstance(field, models.JSONField):
        return "'{}'::jsonb"
    return "NULL" if field.null else "''"


def _insert_generated(model, rows: int, values: dict[str, str]) -> float:
    """INSERT … SELECT over generate_series(1, rows) AS g; `values` maps columns to SQL of g."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    selects = [values.get(f.column, _filler(f)) for f in fields]
    sql = (f'INSERT INTO "{model._meta.db_table}" ({", ".join(columns)}) '
           f"SELECT {', '.join(selects)} FROM generate_series(1, {rows}) AS g")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql)
    return time.perf_counter() - started


def fill(orders: int, runs: int, shops: int) -> dict:
    from datetime import date, timedelta

    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection

    from connectors.shopify.models import ShopifyOrder
    from merchants.models import Membership, Merchant
    from syncjobs.daily.models import DailySyncDay, DayStatus
    from syncjobs.queue.models import SyncRun

    call_command("migrate", verbosity=0)
    today = date.today()
    start = today - timedelta(days=DAYS)
    merchants = Merchant.objects.bulk_create(
        Merchant(code=f"SHOP{n:03d}", name=f"Shop {n}", shop_domain=f"shop{n}.myshopify.com", time_zone="UTC",
                 shop_currency="EUR", daily_sync_start_date=start, daily_sync_enabled=(n != 1))
        for n in range(shops))
    first_id = merchants[0].pk
    DailySyncDay.objects.bulk_create(
        DailySyncDay(merchant=m, day=start + timedelta(days=d),
                     status=DayStatus.FAILED if (m.pk == first_id and d == DAYS - 1) else DayStatus.SYNCED)
        for m in merchants for d in range(DAYS))
    User.objects.create_superuser("bench-admin", "admin@example.com", "bench")
    member = User.objects.create_user("bench-user", "user@example.com", "bench", is_staff=True)
    Membership.objects.create(user=member, merchant=merchants[0])

    span = DAYS * 86400
    # Order g belongs to shop g % shops and is processed at an even step through the 90 days, so the
    # last day's orders (about 1/90) are the ones the ledger has not taken yet.
    moment = f"(timestamptz '{start.isoformat()}' + ((g::bigint * {span} / {orders}) || ' seconds')::interval)"
    order_seconds = _insert_generated(ShopifyOrder, orders, {
        "merchant_id": f"{first_id} + g % {shops}", "shopify_gid": "'gid://shopify/Order/' || g",
        "legacy_id": "g", "name": "'#' || g", "created_at": moment, "processed_at": moment,
        "shopify_updated_at": moment, "currency": "'EUR'", "presentment_currency": "'EUR'",
        "processed": f"{moment} < timestamptz '{(today - timedelta(days=1)).isoformat()}'",
        "imported_at": "now()",
    })
    run_span = DAYS * 86400
    run_seconds = _insert_generated(SyncRun, runs, {
        "merchant_id": f"{first_id} + g % {shops}", "report_number": "CASE WHEN g % 96 = 0 THEN 1 ELSE 30104 END",
        "trigger": "'queue'", "parameters": "'{}'::jsonb",
        "started_at": f"now() - (({run_span} - g::bigint * {run_span} / {runs}) || ' seconds')::interval",
        "ended_at": "now()", "status": "CASE WHEN g % 197 = 0 THEN 'error' ELSE 'success' END",
        "message": "CASE WHEN g % 197 = 0 THEN 'the access token was rejected (401)' ELSE 'read=5' END",
        "dismissed": "g % 591 = 0",
    })
    with connection.cursor() as cursor:
        cursor.execute(f'ANALYZE "{ShopifyOrder._meta.db_table}", "{SyncRun._meta.db_table}"')
    return {"orders": orders, "runs": runs, "shops": shops, "insert_orders_s": order_seconds,
            "insert_runs_s": run_seconds}


def measure(path: str, username: str, requests: int) -> dict:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(User.objects.get(username=username))
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    timings.sort()
    return {"median_ms": statistics.median(timings), "p95_ms": timings[int(0.95 * (len(timings) - 1))],
            "queries": len(queries), "tiles": dict(TILE_SHOWN.findall(response.content.decode()))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=500_000)
    parser.add_argument("--shops", type=int, default=20)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()

    recreate_postgres(POSTGRES_URL)
    _setup()
    filled = fill(args.orders, args.runs, args.shops)
    print(f"filled PostgreSQL: {filled['orders']:,} orders in {filled['insert_orders_s']:.0f} s, "
          f"{filled['runs']:,} runs in {filled['insert_runs_s']:.0f} s, {filled['shops']} shops", flush=True)

    from core.tiles import TILES

    print(f"{'page':<62} {'user':<11} {'median ms':>9} {'p95 ms':>7} {'queries':>7}")
    for username in ("bench-admin", "bench-user"):
        index = measure("/admin/", username, args.requests)
        print(f"{'/admin/ (role center)':<62} {username:<11} {index['median_ms']:>9.1f} {index['p95_ms']:>7.1f} "
              f"{index['queries']:>7}   tiles {index['tiles']}", flush=True)
        for tile in sorted(TILES.values(), key=lambda t: t.position):
            listed = measure(tile.link(), username, max(3, args.requests // 4))
            print(f"{tile.link():<62} {username:<11} {listed['median_ms']:>9.1f} {listed['p95_ms']:>7.1f} "
                  f"{listed['queries']:>7}", flush=True)


if __name__ == "__main__":
    main()
