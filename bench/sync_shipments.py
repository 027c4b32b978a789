"""Report 30109 Sync Shipments: posted shipments of Shopify orders become fulfillments in Shopify, on
SQLite and PostgreSQL.

    .venv/bin/python -m bench.sync_shipments [--shipments 200,1000] [--database sqlite|postgres|both]
                                             [--plan basic|advanced|plus|unlimited] [--statements]

For each size it starts a Shopify simulator (its own process: the generated 20 orders a shop and
Shopify's basic bucket unless --plan says otherwise) and, on a fresh database, a first process sets
up what the sync starts from, timed apart: a documents-mode shop with the books its documents post
to (the accounts and mappings, the default customer WEB, the location MAIN, the items SHIRT and MUG,
the shipping agent DHL with its tracking address), that many orders made to measure in the simulator
(POST /_simulator/orders/custom: 2 shirts and a mug at the primary location, and shipping), imported
(report 30104), made documents (30103), each sales order given DHL and a tracking no. of its own, and
shipped (296, post=ship): every posted shipment of a Shopify order has its row, not sent yet. The
simulator's own generated orders sell SKUs the books lack: they fail in 30103 and ship nothing.

A second process, on that database, runs `send_shipments` (30109's work) once, measured: seconds,
and of them our own CPU time (SQLite's included: it runs in the process), the time in database
statements, in HTTP (the simulator's answers) and waiting for the shop's cost bucket; requests by
GraphQL operation, THROTTLED answers, requested and actual query cost and the seconds the restore
rate of a basic, advanced and Plus bucket alone would need for that actual cost beyond a full
bucket; statements in all, per shipment and per batch of 50 (min-max of the full batches: a count
that grew with the run would show, and the two sizes side by side show it does not grow with size);
the process's RSS before, its peak during the run and the growth. Then what Shopify holds, read back
over GraphQL (an unlimited bucket from here on): the orders with exactly one fulfillment, SUCCESS,
with the shipment's tracking no., and any with none or more; then a second run (nothing to send:
requests and seconds). With --statements, the run's statements by SQL text, per shipment.
PostgreSQL is reached through BENCH_POSTGRES_URL (default
postgres://postgres:postgres@127.0.0.1:5432/syncsite_bench, recreated each run). Prints figures only.
"""
from __future__ import annotations

import argparse
import json
import os
import time

import requests

from bench.import_harness import bench_merchant, run_children, simulator
from bench.sales_documents import BOOKS
from bench.sync_measures import (
    MeasuredClient,
    Step,
    TimedStatements,
    process_peak_mb,
    restore_bound_seconds,
)

SHOP = "demo-eu.myshopify.com"
ORDERS_PER_READ_BACK = 50
READ_BACK = """query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Order { id
  fulfillments(first: 5) { id status trackingInfo(first: 1) { number } } } } }"""


def order_spec() -> dict:
    """2 shirts and a mug at the primary location (VAT included), and shipping."""
    return {"processed_at": "2025-03-11T10:00:00Z", "customer": None, "taxes_included": True,
            "lines": [{"title": "Shirt", "sku": "SHIRT", "quantity": 2, "price": "60.00",
                       "taxes": [["VAT", "0.2", "20.00"]]},
                      {"title": "Mug", "sku": "MUG", "quantity": 1, "price": "12.00",
                       "taxes": [["VAT", "0.2", "2.00"]]}],
            "shipping_lines": [{"title": "Standard", "price": "6.00", "taxes": [["VAT", "0.2", "1.00"]]}]}


def load(shipments: int) -> dict:
    """Child 1: the shop, its orders made, imported, made documents and shipped in the books."""
    merchant, _ = bench_merchant()
    from connectors.ledger.mappings import map_accounts
    from connectors.ledger.models import PostedSalesShipment, SalesDocument, ShippingAgent
    from connectors.ledger.records import AccountData, CustomerData, ItemData, LocationData
    from connectors.ledger.target import target_for
    from syncjobs.queue.execution import run_now
    from syncjobs.queue.models import RunTrigger
    from syncjobs.shipments.models import ShipmentFulfillment

    merchant.posting_mode, merchant.customer_import, merchant.default_customer_no = "documents", "none", "WEB"
    merchant.create_fulfilled_orders_as_invoices = True
    merchant.save()
    target = target_for(merchant)
    target.create_accounts(merchant, [AccountData(code, name, type) for code, name, type, _ in BOOKS])
    map_accounts(merchant, {(kind, ""): code for code, _, _, kind in BOOKS})
    target.create_customers(merchant, [CustomerData(name="Web shop customers", number="WEB")])
    target.create_locations(merchant, [LocationData("MAIN", "Main warehouse")])
    target.create_items(merchant, [ItemData(description="Shirt", number="SHIRT"),
                                   ItemData(description="Mug", number="MUG")])
    ShippingAgent.objects.create(merchant=merchant, code="DHL", name="DHL", tracking_company="DHL Express",
                                 internet_address="https://www.dhl.com/track?n=%1")

    started = time.perf_counter()
    control = requests.Session()
    for _ in range(shipments):
        answer = control.post(f"{os.environ['BENCH_SIMULATOR']}/_simulator/orders/custom",
                              json={"shop": SHOP, "order": order_spec()}, timeout=60)
        answer.raise_for_status()
    made_s = time.perf_counter() - started

    def run(number: int, **parameters):
        done = run_now(merchant=merchant, report_number=number, raw_parameters=parameters, user=None,
                       trigger=RunTrigger.FOREGROUND)
        return f"{number}: {done.status}, {done.message[:160]}"

    runs = [run(30104), run(30103)]
    orders = SalesDocument.objects.filter(merchant=merchant, type="order").order_by("pk")
    for document in orders:
        document.shipping_agent, document.package_tracking_no = "DHL", f"JJD{document.pk:09d}"
    SalesDocument.objects.bulk_update(orders, ["shipping_agent", "package_tracking_no"], batch_size=500)
    runs.append(run(296, post="ship"))
    return {"shipments": PostedSalesShipment.objects.filter(merchant=merchant).exclude(shopify_order_id="").count(),
            "rows": ShipmentFulfillment.objects.filter(merchant=merchant).count(),
            "setup s": round(time.perf_counter() - started, 1), "orders made s": round(made_s, 1), "setup runs": runs}


def send(plan: str, keep_sql: bool) -> dict:
    """Child 2, a fresh process on child 1's database: send_shipments measured, then what Shopify holds."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "syncsite.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.DEBUG = False   # no log of every statement, as in a worker (the setup ran with it)

    from connectors.ledger.models import PostedSalesShipment
    from connectors.ledger.target import target_for
    from merchants.models import Merchant
    from syncjobs.shipments.models import ShipmentFulfillment
    from syncjobs.shipments.sending import SHIPMENTS_PER_BATCH, send_shipments

    merchant = Merchant.objects.get(code="BENCH")
    target = target_for(merchant)
    _set_plan(plan)
    statements = TimedStatements(keep_sql=keep_sql)
    per_batch: list[tuple[int, int]] = []       # (statements, shipments) per batch
    marks = [0, 0]

    def batch_done(counts) -> None:
        per_batch.append((statements.count - marks[0], counts.read - marks[1]))
        marks[:] = [statements.count, counts.read]

    measured = MeasuredClient(merchant)
    with connection.execute_wrapper(statements):
        with Step(statements) as step:
            marks[0] = statements.count
            counts = send_shipments(merchant, target=target, client=measured.client, progress=batch_done)
    http = measured.figures()
    full = [made for made, read in per_batch if read == SHIPMENTS_PER_BATCH] or [made for made, _ in per_batch]

    # What Shopify holds now, read back on an unlimited bucket.
    _set_plan("unlimited")
    tracking = dict(PostedSalesShipment.objects.filter(merchant=merchant).exclude(shopify_order_id="")
                    .values_list("shopify_order_id", "package_tracking_no"))
    held = _fulfillments_in_shopify(merchant, list(tracking))
    exactly_one = sum(1 for gid, made in held.items()
                      if len(made) == 1 and made[0]["status"] == "SUCCESS"
                      and (made[0]["trackingInfo"] or [{}])[0].get("number") == tracking[gid])
    rows = ShipmentFulfillment.objects.filter(merchant=merchant)
    again = MeasuredClient(merchant)
    started = time.perf_counter()
    second = send_shipments(merchant, target=target, client=again.client)
    second_s = time.perf_counter() - started
    return {
        "plan": plan, "read": counts.read, "fulfilled": counts.created, "fulfillments": counts.fulfillments,
        "failed": counts.failed, "skipped": counts.skipped, "reasons": [why[:200] for _, _, why in counts.errors[:3]],
        **step.figures(), **http,
        "per shipment ms": round(1000 * step.seconds / max(counts.read, 1), 1),
        "requests/shipment": round(http["requests"] / max(counts.read, 1), 2),
        "queries/shipment": round(step.queries / max(counts.read, 1), 2),
        "queries/batch": f"{min(full)}-{max(full)} ({SHIPMENTS_PER_BATCH})" if full else "-",
        "restore-bound s": restore_bound_seconds(http["actual cost"]),
        "orders read back": len(held), "with exactly one fulfillment": exactly_one,
        "with none": sum(1 for made in held.values() if not made),
        "with more than one": sum(1 for made in held.values() if len(made) > 1),
        "rows fulfilled": rows.filter(state="fulfilled").count(),
        "rows with one fulfillment id": sum(1 for f in rows.values_list("fulfillments", flat=True) if len(f) == 1),
        "second run": f"{second.read} read, {again.client.stats.calls} requests, {second_s:.2f} s",
        "process peak RSS MB": process_peak_mb(),
        "statements": [(round(n / max(counts.read, 1), 2), text) for text, n in statements.by_text.most_common(25)],
    }


def _set_plan(plan: str) -> None:
    answer = requests.post(f"{os.environ['BENCH_SIMULATOR']}/_simulator/settings", json={"shop": SHOP, "plan": plan},
                           timeout=30)
    answer.raise_for_status()


def _fulfillments_in_shopify(merchant, order_gids: list[str]) -> dict[str, list[dict]]:
    """Each order's fulfillments as Shopify holds them (a merchant's view, over GraphQL)."""
    session = requests.Session()
    url = f"{os.environ['BENCH_SIMULATOR']}/admin/api/{merchant.api_version}/graphql.json"
    held: dict[str, list[dict]] = {}
    for start in range(0, len(order_gids), ORDERS_PER_READ_BACK):
        answer = session.post(url, json={"query": READ_BACK, "variables": {
            "ids": order_gids[start:start + ORDERS_PER_READ_BACK]}},
            headers={"X-Shopify-Access-Token": os.environ["BENCH_TOKEN"]}, timeout=60).json()
        for node in answer["data"]["nodes"]:
            if node:
                held[node["id"]] = node["fulfillments"]
    return held


def run(shipments: int, database: str, plan: str, keep_sql: bool) -> dict:
    with simulator("--orders", "20", "--plan", "unlimited") as (port, token, _):
        loaded, measured = run_children("bench.sync_shipments",
                                        [["load", str(shipments)], ["send", plan, "sql" if keep_sql else "-"]],
                                        database=database, port=port, token=token)
    return {"database": database, **loaded, **measured}


def report(rows: list[dict], *, statements: bool) -> None:
    columns = ("database", "shipments", "plan", "seconds", "CPU s", "DB s", "in HTTP s", "bucket wait s",
               "requests", "actual cost", "queries/shipment", "queries/batch", "peak RSS MB", "peak growth MB")
    print("  ".join(f"{c:>{max(len(c), 8)}}" for c in columns))
    for row in rows:
        print("  ".join(f"{row[c]!s:>{max(len(c), 8)}}" for c in columns))
    for row in rows:
        print(f"\n{row['database']}, {row['shipments']:,} posted shipments ({row['rows']:,} rows not sent yet; setup "
              f"{row['setup s']} s, of which {row['orders made s']} s making the orders in the simulator)")
        for line in row["setup runs"]:
            print(f"  setup {line}")
        print(f"  30109: {row['read']:,} read, {row['fulfilled']:,} fulfilled with {row['fulfillments']:,} "
              f"fulfillments, {row['failed']} failed, {row['skipped']} nothing to send; "
              f"{row['per shipment ms']} ms, {row['requests/shipment']} requests and {row['queries/shipment']} "
              f"queries a shipment")
        for why in row["reasons"]:
            print(f"    - {why}")
        print(f"  requests: {row['operations']}; {row['throttled']} THROTTLED, {row['retries']} retries")
        print(f"  cost: requested {row['requested cost']:,}, actual {row['actual cost']:,}; the restore rate alone "
              f"needs {row['restore-bound s']} s; bulk polling waited {row['poll wait s']} s")
        print(f"  RSS before the run {row['RSS before MB']} MB; process peak {row['process peak RSS MB']} MB")
        print(f"  Shopify: {row['orders read back']:,} orders read back, {row['with exactly one fulfillment']:,} with "
              f"exactly one fulfillment (SUCCESS, its shipment's tracking no.), {row['with none']} with none, "
              f"{row['with more than one']} with more; syncsite: {row['rows fulfilled']:,} rows fulfilled, "
              f"{row['rows with one fulfillment id']:,} holding one fulfillment ID")
        print(f"  second run: {row['second run']}")
        if statements:
            print(f"  statements per shipment (of {row['queries/shipment']})")
            for per, text in row["statements"]:
                print(f"    {per:>7}  {text[:200]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shipments", default="200,1000")
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--plan", choices=("basic", "advanced", "plus", "unlimited"), default="basic")
    parser.add_argument("--statements", action="store_true", help="print the run's statements by SQL text")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        figures = load(int(args.child[1])) if args.child[0] == "load" else send(args.child[1], args.child[2] == "sql")
        print(json.dumps(figures))
        return
    databases = ("sqlite", "postgres") if args.database == "both" else (args.database,)
    rows = [run(int(size), database, args.plan, args.statements)
            for database in databases for size in args.shipments.split(",")]
    report(rows, statements=args.statements)


if __name__ == "__main__":
    main()
