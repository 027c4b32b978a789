"""The daily journal of one day with many orders (report 1's posting step), on SQLite and PostgreSQL,
and a catch-up of many days.

    .venv/bin/python -m bench.daily_journal [--orders 10000,100000] [--database sqlite|postgres|both]
    .venv/bin/python -m bench.daily_journal --days 31 --orders 3000 --database postgres   # a 31-day catch-up

For each size it imports that many orders into each local day (two tax rates with prices that
include tax, shipping, discounts, tips, a gift card in fifty orders, a same-day refund in twenty,
card fees and a payout), then, in a fresh process, times the posting (`post_day`, or for several
days the daily sync's catch-up, each day on its own journal): seconds, queries, and that
process's peak RSS. PostgreSQL is reached through BENCH_POSTGRES_URL (default
postgres://postgres:postgres@127.0.0.1:5432/syncsite_bench_daily, recreated each run). Prints figures only.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.databases import database_url

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL",
                              "postgres://postgres:postgres@127.0.0.1:5432/syncsite_bench_daily")
DAY = date(2025, 3, 11)
ZONE = "Europe/Paris"
BATCH = 2000


def _setup():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "syncsite.settings")
    django.setup()


def load(orders: int, days: int) -> dict:
    """Child 1: a merchant with its books, and `orders` orders on each of `days` days from DAY."""
    _setup()
    from datetime import datetime, timedelta, timezone
    from zoneinfo import ZoneInfo

    from django.core.management import call_command

    from connectors.shopify.importers.orders import import_orders
    from connectors.shopify.order_sync import refresh_planner_statistics
    from merchants.models import Merchant
    from tests.factories.ledger import daily_books
    from tests.factories.order_payloads import line, order, refund, shipping, transaction
    from tests.factories.shopify import ShopifyPayoutFactory

    call_command("migrate", verbosity=0)
    merchant = Merchant.objects.create(code="BENCH", name="Bench", shop_domain="bench.myshopify.com",
                                       time_zone=ZONE, shop_currency="EUR", posting_mode="daily_summary",
                                       daily_sync_start_date=DAY)
    daily_books(merchant)
    start = datetime(DAY.year, DAY.month, DAY.day, tzinfo=ZoneInfo(ZONE)).astimezone(timezone.utc)
    step = 86_000 / orders

    def one(number: int) -> dict:
        day, n = divmod(number, orders)
        at = (start + timedelta(days=day, seconds=n * step)).isoformat().replace("+00:00", "Z")
        shirt = line("60.00", 2, [("VAT", 0.2, "18.00")], discount="12.00")
        book = line("21.10", 1, [("VAT", 0.055, "1.10")])
        lines = [shirt, book] + ([line("25.00", 1, gift_card=True)] if number % 50 == 0 else [])
        total = 108 + 21.10 + 6 + 2 + (25 if number % 50 == 0 else 0)
        refunds = ([refund(at, lines=[(book, 1, "21.10", "1.10")],
                           transactions=[transaction("REFUND", "21.10", at)])] if number % 20 == 0 else [])
        return order(at, total=f"{total:.2f}", tip="2.00", lines=lines, shipping_lines=[
            shipping("6.00", [("VAT", 0.2, "1.00")])], transactions=[transaction("SALE", f"{total:.2f}", at,
                                                                                 fee="2.10")], refunds=refunds)

    total = orders * days
    for first in range(0, total, BATCH):
        import_orders(merchant=merchant, payloads=[one(n) for n in range(first, min(first + BATCH, total))])
    for day in range(days):
        ShopifyPayoutFactory(merchant=merchant, issued_at=start + timedelta(days=day, hours=6), net="1000.00")
    refresh_planner_statistics()   # as after a bulk import; autovacuum does it for day-to-day imports
    return {"loaded": total}


def post(days: int) -> dict:
    """Child 2, a fresh process: post the day(s) and measure only that."""
    _setup()
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from connectors.ledger.models import JournalEntry, JournalLine
    from connectors.shopify.importers.counts import ImportCounts
    from merchants.models import Merchant
    from syncjobs.daily.lifecycle import days_to_sync, post_days

    merchant = Merchant.objects.get(code="BENCH")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    counts = ImportCounts()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        failures = post_days(merchant, days_to_sync(merchant, DAY + timedelta(days=days - 1)), counts=counts,
                             run_id=None, log=lambda message: None)
    seconds = time.perf_counter() - started
    if failures:
        raise RuntimeError("; ".join(map(str, failures)))
    return {
        "days": days, "seconds": round(seconds, 2), "queries": len(queries),
        "journals": JournalEntry.objects.count(), "lines": JournalLine.objects.count(), "orders": counts.read,
        "peak RSS MB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "RSS growth MB": round((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024, 1),
    }


def child(step: str, env: dict, *args) -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.daily_journal", "--child", step, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(orders: int, days: int, database: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url(database, postgres_url=POSTGRES_URL, directory=tmp)
        env = {**os.environ, "DEBUG": "true", "LOG_LEVEL": "WARNING", "DATABASE_URL": url}
        child("load", env, str(orders), str(days))
        return {"database": database, **child("post", env, str(days))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", default="10000,100000", help="orders a day")
    parser.add_argument("--days", type=int, default=1)
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        step, *rest = args.child
        print(json.dumps(load(int(rest[0]), int(rest[1])) if step == "load" else post(int(rest[0]))))
        return
    databases = ("sqlite", "postgres") if args.database == "both" else (args.database,)
    rows = [run(int(size), args.days, database) for size in args.orders.split(",") for database in databases]
    columns = list(rows[0])
    print("  ".join(f"{c:>13}" for c in columns))
    for row in rows:
        print("  ".join(f"{row[c]!s:>13}" for c in columns))


if __name__ == "__main__":
    main()
