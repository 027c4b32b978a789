"""Report 30105 Sync Payments over a year of Shopify Payments, then report 1's catch-up of that year
and the payout reconciliation, on SQLite and PostgreSQL.

    .venv/bin/python -m bench.sync_payments [--orders 30000] [--seed 42] [--database sqlite|postgres|both]
                                            [--plan basic|advanced|plus|unlimited] [--statements]

It starts a Shopify simulator (its own process) whose shops hold --orders generated orders over the
400 days before 2025-03-12 (half of them in the last 30): demo-eu (Paris, EUR) then has a payout a
day with Shopify Payments activity, each holding that day's balance transactions (charges, refunds,
disputes opened and won with their fees, a rolling reserve, adjustments, a payout failing each month
and coming back in a later one) and its disputes. Each step below runs in a fresh process on one
fresh database (its peak RSS its own):
 1. setup, timed apart: a daily-summary shop with the daily journal's books, its orders imported
    (report 30104's sync_orders, a bulk export on an unlimited bucket: not the subject here) and the
    daily sync's start date set to its first order's day;
 2. sync_payments (30105's import), the first one, on --plan's bucket (plus unless said: basic's
    restore rate would make it a half-hour run; the seconds each plan's restore rate alone needs
    for the actual cost are printed beside it): seconds, and of them our CPU time (SQLite's
    included), the time in statements, in HTTP (the simulator's answers) and waiting for the bucket;
    requests by GraphQL operation, THROTTLED answers, requested and actual cost; per page of each
    connection its actual cost and statements (min-max); the process's peak RSS; what was stored.
    Then, in the same process, a second (incremental) run: requests, cost, seconds;
 3. report 1's catch-up of that year (post_days over every day from the start date to three days
    after the last payout, as report 1 runs it after its imports): days posted and settled quiet,
    seconds, statements per posted day (min / median / max), journal lines, and how many balance
    transactions got a line of their own (disputes, fees, reserves, adjustments), how many order
    transactions and payouts were posted, reversals of failed payouts;
 4. reconcile_payouts over every payout (as 30105 and report 1 run it): seconds, statements in all
    and per run taken apart (500 payouts read at a time, taken apart in runs holding at most
    reconciliation.MAX_PARTS balance transactions), peak RSS, the payouts per state; every PAID
    payout should be reconciled: for a few that are not, what their row says. Then, in a process of
    its own, the same with no bound on a run (one per 500 payouts, as before this bench), for its
    peak RSS.
With --statements, each measured step's statements by SQL text. PostgreSQL is reached through
BENCH_POSTGRES_URL (default postgres://postgres:postgres@127.0.0.1:5432/syncsite_bench, recreated each
run). Prints figures only.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections import Counter, defaultdict
from datetime import timedelta
from zoneinfo import ZoneInfo

import requests

from bench.import_harness import bench_merchant, run_children, simulator
from bench.sync_measures import MeasuredClient, Step, TimedStatements, process_peak_mb, restore_bound_seconds

SHOP = "demo-eu.myshopify.com"
ZONE = "Europe/Paris"


def _set_plan(plan: str) -> None:
    answer = requests.post(f"{os.environ['BENCH_SIMULATOR']}/_simulator/settings", json={"shop": SHOP, "plan": plan},
                           timeout=30)
    answer.raise_for_status()


def _setup():
    """In a child after the first: Django set up, no query log, the bench's merchant."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "syncsite.settings")
    django.setup()
    from django.conf import settings

    from merchants.models import Merchant

    settings.DEBUG = False   # no log of every statement, as in a worker (the setup ran with it)
    settings.DAILY_SYNC_MAX_HISTORY_DAYS = 2000
    return Merchant.objects.get(code="BENCH")


def _statements_by_text(statements: TimedStatements, per: int) -> list:
    return [(round(n / max(per, 1), 2), text) for text, n in statements.by_text.most_common(20)]


def load() -> dict:
    """Child 1: the shop with the daily journal's books, its orders imported on an unlimited bucket."""
    merchant, client = bench_merchant()
    from connectors.ledger.models import Customer
    from connectors.shopify.models import ShopifyOrder
    from connectors.shopify.order_sync import sync_orders
    from tests.factories.ledger import daily_books

    for name, value in {"time_zone": ZONE, "shop_currency": "EUR", "posting_mode": "daily_summary",
                        "auto_create_accounts": True, "auto_create_code_from": "9000",
                        "auto_create_code_to": "9099", "default_customer_no": "WEB",
                        "customer_import": "none"}.items():
        setattr(merchant, name, value)
    merchant.save()
    daily_books(merchant)
    Customer.objects.create(merchant=merchant, number="WEB", name="Web shop customers")
    _set_plan("unlimited")
    started = time.perf_counter()
    orders = sync_orders(merchant=merchant, client=client)
    first = ShopifyOrder.objects.filter(merchant=merchant).order_by("created_at").values_list(
        "created_at", flat=True).first()
    merchant.daily_sync_start_date = first.astimezone(ZoneInfo(ZONE)).date()
    merchant.save(update_fields=["daily_sync_start_date"])
    return {"orders": orders.read, "orders failed": orders.failed, "orders s": round(time.perf_counter() - started, 1),
            "start date": str(merchant.daily_sync_start_date)}


def import_payments(plan: str, keep_sql: bool) -> dict:
    """Child 2: the first sync_payments on `plan`'s bucket, measured; then a second run."""
    merchant = _setup()
    from django.db import connection
    from django.db.models import Count

    from connectors.shopify.models import ShopifyBalanceTransaction, ShopifyDispute, ShopifyPayout
    from connectors.shopify.payout_sync import sync_payments

    _set_plan(plan)
    statements = TimedStatements(keep_sql=keep_sql)
    measured = MeasuredClient(merchant)
    sent_before: Counter[str] = Counter()
    marks = {"statements": 0, "cost": 0.0}
    per_page: dict[str, list[tuple[int, float]]] = defaultdict(list)    # operation -> (statements, actual cost)

    def page_done(counts) -> None:
        sent = measured.session.sent
        operation = next((name for name in sent if sent[name] > sent_before[name]), "?")
        sent_before.update(sent - sent_before)
        cost = measured.client.stats.actual_cost
        per_page[operation].append((statements.count - marks["statements"], cost - marks["cost"]))
        marks.update(statements=statements.count, cost=cost)

    with connection.execute_wrapper(statements):
        with Step(statements) as step:
            marks["statements"] = statements.count
            counts = sync_payments(merchant=merchant, client=measured.client, progress=page_done)
    http = measured.figures()
    pages = {operation: {"pages": len(rows),
                         "statements": f"{min(s for s, _ in rows)}-{max(s for s, _ in rows)}",
                         "actual cost": f"{round(min(c for _, c in rows))}-{round(max(c for _, c in rows))}",
                         "cost": round(sum(c for _, c in rows))}
             for operation, rows in per_page.items()}
    stored = {
        "payouts": dict(ShopifyPayout.objects.filter(merchant=merchant).values_list("status").annotate(n=Count("pk"))
                        .values_list("status", "n")),
        "balance transactions": ShopifyBalanceTransaction.objects.filter(merchant=merchant).count(),
        "by type": dict(ShopifyBalanceTransaction.objects.filter(merchant=merchant).values_list("type")
                        .annotate(n=Count("pk")).order_by("-n").values_list("type", "n")),
        "disputes": dict(ShopifyDispute.objects.filter(merchant=merchant).values_list("status")
                         .annotate(n=Count("pk")).values_list("status", "n")),
    }

    again = MeasuredClient(merchant)
    started = time.perf_counter()
    second = sync_payments(merchant=merchant, client=again.client)
    second_s = time.perf_counter() - started
    again_figures = again.figures()
    return {
        "plan": plan, "read": counts.read, "created": counts.created, "updated": counts.updated,
        "failed": counts.failed, "reasons": [str(error)[:200] for error in counts.errors[:3]],
        **step.figures(), **http, "pages": pages, "stored": stored,
        "restore-bound s": restore_bound_seconds(http["actual cost"]),
        "records/s": round(counts.read / max(step.seconds, 1e-9)),
        "statements/record": round(step.queries / max(counts.read, 1), 3),
        "second run": f"{second.read:,} read ({second.created} new, {second.updated} changed), "
                      f"{again_figures['requests']} requests {again_figures['operations']}, "
                      f"actual cost {again_figures['actual cost']:,}, {second_s:.2f} s",
        "process peak RSS MB": process_peak_mb(),
        "statements": _statements_by_text(statements, counts.read),
    }


def post(keep_sql: bool) -> dict:
    """Child 3: report 1's catch-up of every day from the start date, measured."""
    merchant = _setup()
    from django.db import connection
    from django.db.models import Max

    from connectors.ledger.models import JournalEntry, JournalLine
    from connectors.shopify.importers.counts import ImportCounts
    from connectors.shopify.models import ShopifyBalanceTransaction, ShopifyPayout
    from syncjobs.daily import lifecycle
    from syncjobs.daily.balance_moves import NOT_OWN_LINE, TREATMENTS
    from syncjobs.daily.models import DailySyncDay, PostedBalanceTransaction, PostedPayout, PostedTransaction

    last_issued = ShopifyPayout.objects.filter(merchant=merchant).aggregate(last=Max("issued_at"))["last"]
    planned = last_issued.astimezone(ZoneInfo(ZONE)).date() + timedelta(days=3)
    statements = TimedStatements(keep_sql=keep_sql)
    per_day: list[tuple[int, float, int]] = []      # (statements, seconds, orders) of each day posted
    post_day = lifecycle.post_day

    def measured_post_day(**arguments):
        before, started = statements.count, time.perf_counter()
        posted = post_day(**arguments)
        if posted.journal is not None:
            per_day.append((statements.count - before, time.perf_counter() - started, posted.orders))
        return posted

    lifecycle.post_day = measured_post_day
    from syncjobs.daily import journal
    balance_amounts, balance_seconds = journal.balance_amounts, []

    def measured_balance_amounts(*arguments, **keywords):
        started = time.perf_counter()
        try:
            return balance_amounts(*arguments, **keywords)
        finally:
            balance_seconds.append(time.perf_counter() - started)

    journal.balance_amounts = measured_balance_amounts
    counts = ImportCounts()
    with connection.execute_wrapper(statements):
        with Step(statements) as step:
            days = lifecycle.days_to_sync(merchant, planned)
            failures = lifecycle.post_days(merchant, days, counts=counts, run_id=None, log=lambda message: None)
    own_kinds = [treatment for treatment in TREATMENTS if treatment not in NOT_OWN_LINE] + ["other_adjustments"]
    lines = JournalLine.objects.filter(journal__merchant=merchant)
    per_statements = sorted(n for n, _, _ in per_day)
    return {
        **step.figures(), "days": len(days), "from": str(days[0].day) if days else "-", "to": str(planned),
        "posted": counts.created, "nothing to post": counts.skipped, "failed": counts.failed,
        "failures": [str(failure)[:200] for failure in failures[:3]],
        "statuses": dict(Counter(DailySyncDay.objects.filter(merchant=merchant).values_list("status", flat=True))),
        "orders posted": counts.read, "journals": JournalEntry.objects.filter(merchant=merchant).count(),
        "journal lines": lines.count(),
        "balance-transaction lines": lines.filter(money_kind__in=own_kinds).count(),
        "balance transactions with a line": PostedBalanceTransaction.objects.count(),
        "balance transactions": ShopifyBalanceTransaction.objects.filter(merchant=merchant).count(),
        "order transactions posted": PostedTransaction.objects.filter(merchant=merchant).count(),
        "payouts posted": PostedPayout.objects.count(),
        "payouts reversed": PostedPayout.objects.exclude(reversed_in_no="").count(),
        "statements/day": (f"{per_statements[0]} / {statistics.median(per_statements):.0f} / {per_statements[-1]}"
                           if per_statements else "-"),
        "ms/day": round(1000 * sum(s for _, s, _ in per_day) / max(len(per_day), 1), 1),
        "slowest day s": round(max((s for _, s, _ in per_day), default=0), 2),
        # Shopify Payments' own movements of a day (syncjobs.daily.balance_amounts): the first and
        # last 30 days posted, ms a day; a growth says it reads more than its day.
        "balance ms": (f"{1000 * statistics.mean(balance_seconds[:30]):.1f} first 30 days, "
                       f"{1000 * statistics.mean(balance_seconds[-30:]):.1f} last 30, "
                       f"{sum(balance_seconds):.1f} s in all") if balance_seconds else "-",
        "process peak RSS MB": process_peak_mb(),
        "statements": _statements_by_text(statements, max(len(per_day), 1)),
    }


def reconcile(keep_sql: bool, unbounded: bool) -> dict:
    """Child 4: reconcile_payouts over every payout, measured (`unbounded`: with no bound on the
    balance transactions a run holds, as before the bench found it, for comparison)."""
    merchant = _setup()
    from django.db import connection

    from connectors.shopify.models import ShopifyPayout
    from syncjobs.payments import reconciliation
    from syncjobs.payments.models import PayoutReconciliation

    if unbounded:
        reconciliation.MAX_PARTS = 10**12
    statements = TimedStatements(keep_sql=keep_sql)
    per_run: list[tuple[int, int]] = []       # (statements, payouts) of each run taken apart
    take_apart = reconciliation._take_apart
    marks = [0, 0]

    def measured_take_apart(merchant, payouts, **keywords):
        if marks[1]:
            per_run.append((statements.count - marks[0], marks[1]))
        marks[:] = [statements.count, len(payouts)]
        return take_apart(merchant, payouts, **keywords)

    reconciliation._take_apart = measured_take_apart
    payouts = ShopifyPayout.objects.filter(merchant=merchant).count()
    with connection.execute_wrapper(statements):
        with Step(statements) as step:
            states = reconciliation.reconcile_payouts(merchant=merchant)
    per_run.append((statements.count - marks[0], marks[1]))
    rows = PayoutReconciliation.objects.filter(merchant=merchant).select_related("payout")
    paid_not_reconciled = rows.filter(payout__status="PAID").exclude(state="reconciled").order_by("payout__issued_at")
    why = []
    for row in paid_not_reconciled[:5]:
        (breakdown,) = take_apart(merchant, [row.payout], start=reconciliation._daily_sync_start(merchant))
        why.append(f"payout {row.payout.legacy_id} issued {row.payout.issued_at:%Y-%m-%d}: {row.state}, "
                   f"parts {row.parts_total} vs net {row.payout.net}, ledger {row.ledger_total}, "
                   f"{row.unposted_parts} parts unposted: {breakdown.note}")
    made = [n for n, _ in per_run]
    return {
        **step.figures(), "payouts": payouts, "states": states,
        "by status and state": {f"{status} {state}": n for (status, state), n in Counter(
            rows.values_list("payout__status", "state")).most_common()},
        "paid not reconciled": paid_not_reconciled.count(), "why": why,
        "runs": len(per_run), "payouts/run": f"{min(p for _, p in per_run)}-{max(p for _, p in per_run)}",
        "statements/run": f"{min(made)}-{max(made)}",
        "max parts": "unbounded" if unbounded else f"{reconciliation.MAX_PARTS:,}",
        "process peak RSS MB": process_peak_mb(),
        "statements": _statements_by_text(statements, len(per_run)),
    }


def run(orders: int, seed: int, database: str, plan: str, keep_sql: bool) -> dict:
    sql = "sql" if keep_sql else "-"
    started = time.perf_counter()
    with simulator("--orders", str(orders), "--seed", str(seed), "--plan", "unlimited") as (port, token, _):
        loaded, imported, posted, reconciled, unbounded = run_children(
            "bench.sync_payments", [["load"], ["import", plan, sql], ["post", sql], ["reconcile", sql, "-"],
                                    ["reconcile", "-", "unbounded"]],
            database=database, port=port, token=token)
    return {"database": database, "orders": orders, "seed": seed, "total s": round(time.perf_counter() - started),
            "load": loaded, "import": imported, "post": posted, "reconcile": reconciled,
            "unbounded": unbounded}


def report(rows: list[dict], *, statements: bool) -> None:
    for row in rows:
        load, imported, post, reconciled = row["load"], row["import"], row["post"], row["reconcile"]
        stored = imported["stored"]
        print(f"\n== {row['database']}: {row['orders']:,} orders a shop (seed {row['seed']}); bench {row['total s']} s")
        print(f"setup: {load['orders']:,} orders imported in {load['orders s']} s (unlimited bucket), "
              f"{load['orders failed']} failed; daily sync from {load['start date']}")
        print(f"stored: payouts {stored['payouts']}, {stored['balance transactions']:,} balance transactions "
              f"{stored['by type']}, disputes {stored['disputes']}")
        print(f"1. 30105 first import on the {imported['plan']} bucket: {imported['seconds']} s "
              f"(CPU {imported['CPU s']}, statements {imported['DB s']}, HTTP {imported['in HTTP s']}, bucket wait "
              f"{imported['bucket wait s']}); {imported['read']:,} read, {imported['created']:,} new, "
              f"{imported['failed']} failed; {imported['records/s']:,} records/s")
        for why in imported["reasons"]:
            print(f"    - {why}")
        print(f"   requests {imported['requests']} {imported['operations']}; {imported['throttled']} THROTTLED, "
              f"{imported['retries']} retries")
        print(f"   cost: requested {imported['requested cost']:,}, actual {imported['actual cost']:,}; the restore "
              f"rate alone needs {imported['restore-bound s']} s")
        for operation, page in imported["pages"].items():
            print(f"   {operation}: {page['pages']} pages, actual cost {page['actual cost']} a page "
                  f"({page['cost']:,} in all), statements {page['statements']} a page")
        print(f"   statements {imported['queries']:,} ({imported['statements/record']} a record); RSS before "
              f"{imported['RSS before MB']} MB, peak {imported['peak RSS MB']} MB (+{imported['peak growth MB']})")
        print(f"   second run: {imported['second run']}")
        print(f"2. report 1 catch-up {post['from']} .. {post['to']} ({post['days']} days): {post['seconds']} s "
              f"(CPU {post['CPU s']}, statements {post['DB s']}); {post['posted']} days posted, "
              f"{post['nothing to post']} with nothing, {post['failed']} failed; {post['ms/day']} ms a posted day "
              f"(slowest {post['slowest day s']} s)")
        for why in post["failures"]:
            print(f"    - {why}")
        print(f"   statements {post['queries']:,}; per posted day {post['statements/day']} (min / median / max); "
              f"balance transactions' lines: {post['balance ms']}")
        print(f"   {post['journals']} journals, {post['journal lines']:,} lines; {post['orders posted']:,} orders; "
              f"{post['order transactions posted']:,} order transactions, {post['balance transactions with a line']} "
              f"balance transactions with a line of their own ({post['balance-transaction lines']} journal lines) of "
              f"{post['balance transactions']:,}; {post['payouts posted']} payouts posted, "
              f"{post['payouts reversed']} reversed")
        print(f"   RSS before {post['RSS before MB']} MB, peak {post['peak RSS MB']} MB (+{post['peak growth MB']})")
        print(f"3. reconcile_payouts, {reconciled['payouts']} payouts: {reconciled['seconds']} s (CPU "
              f"{reconciled['CPU s']}, statements {reconciled['DB s']}); {reconciled['queries']} statements, "
              f"{reconciled['runs']} runs of {reconciled['payouts/run']} payouts ({reconciled['max parts']} balance "
              f"transactions at most), {reconciled['statements/run']} statements a run")
        print(f"   states {reconciled['states']}; by status {reconciled['by status and state']}; "
              f"PAID not reconciled: {reconciled['paid not reconciled']}")
        for why in reconciled["why"]:
            print(f"    - {why}")
        print(f"   RSS before {reconciled['RSS before MB']} MB, peak {reconciled['peak RSS MB']} MB "
              f"(+{reconciled['peak growth MB']})")
        unbounded = row["unbounded"]
        print(f"   unbounded runs (one per 500 payouts, as before): {unbounded['seconds']} s, {unbounded['queries']} "
              f"statements, {unbounded['runs']} runs; peak {unbounded['peak RSS MB']} MB "
              f"(+{unbounded['peak growth MB']}); states {unbounded['states']}")
        if statements:
            for name, figures, per in (("import", imported, "record"), ("catch-up", post, "posted day"),
                                       ("reconciliation", reconciled, "run")):
                print(f"   {name}: statements per {per}")
                for count, text in figures["statements"]:
                    print(f"    {count:>9}  {text[:200]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=30_000, help="generated orders a shop")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--plan", choices=("basic", "advanced", "plus", "unlimited"), default="plus",
                        help="the bucket of the first import (basic's restore rate makes it a half-hour run)")
    parser.add_argument("--statements", action="store_true", help="print each step's statements by SQL text")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        step, *rest = args.child
        if step == "load":
            figures = load()
        elif step == "import":
            figures = import_payments(rest[0], rest[1] == "sql")
        elif step == "post":
            figures = post(rest[0] == "sql")
        else:
            figures = reconcile(rest[0] == "sql", rest[1] == "unbounded")
        print(json.dumps(figures, default=str))
        return
    databases = ("sqlite", "postgres") if args.database == "both" else (args.database,)
    rows = [run(args.orders, args.seed, database, args.plan, args.statements) for database in databases]
    report(rows, statements=args.statements)


if __name__ == "__main__":
    main()
