"""Report 30102 Sync Inventory: the ledger's stock of every mapped variant → Shopify at each synced
location, where 1 % of it changed since the last run, on SQLite and PostgreSQL.

    .venv/bin/python -m bench.sync_inventory [--variants 20000,100000] [--locations 5] [--changed 0.01]
                                             [--database sqlite|postgres|both]
                                             [--plan basic|advanced|plus|unlimited] [--statements]

For each size it starts a Shopify simulator (its own process) whose shops hold that many variants,
one product per 5 of them (`--products`/`--variants`), at --locations locations of their own and the
fulfillment service's warehouse (`--locations` + 1; every item is stocked at each own location, one
in four at the warehouse). A first process, on a fresh database, sets up "the last run", timed apart:
the products imported and linked to ledger items it creates (30108, items from Shopify, auto-create),
one ledger location per Shopify location (L1 … Ln), each own Shopify location set to show the
available stock of its one, the warehouse left alone (a fulfillment service's: never written);
Shopify's stock imported (a bulk export), and the books given, per variant and location, an item
ledger entry of exactly the quantity Shopify shows, except for --changed of the pairs (every 100th,
for 1 %), which get 1 to 5 more: those are the quantities to send.

Then, each in a fresh process (its peak RSS its own), on Shopify's basic bucket unless --plan says
otherwise (the simulator's real leaky bucket; the client paces itself by what Shopify reports):
 1. sync_inventory (30102's work) with the import of Shopify's stock first;
 2. another --changed of the pairs changed in the books (not measured), then sync_inventory with
    skip_import (compared with what Shopify last reported);
 3. in the same process, a run with nothing changed (skip_import): requests and seconds.
For each measured run: seconds, and of them our own CPU time (SQLite's included: it runs in the
process), the time in database statements, in HTTP (the simulator's answers; a bulk export's file is
written there) and waiting for the shop's cost bucket, and the pauses between polls of the export;
the import's part of each (seconds, statements, levels) apart from the comparing and sending;
requests by GraphQL operation, THROTTLED answers, requested and actual query cost, and the seconds
the restore rate of a basic, advanced and Plus bucket alone would need for that actual cost beyond a
full bucket (the bucket-bound time; what reading the levels by pages instead of a bulk export would
cost is shown beside it); statements in all and per chunk of 5,000 variants at a location (min-max,
the import apart); the process's RSS before, its peak during the run and the growth. Then what
Shopify holds, read back on an unlimited bucket for every pair changed in the books: the quantities
equal to the ledger's. With --statements, each run's statements by SQL text, per 1,000 pairs.
PostgreSQL is reached through BENCH_POSTGRES_URL (default
postgres://postgres:postgres@127.0.0.1:5432/syncsite_bench, recreated each run). Prints figures only.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import time
from datetime import date
from decimal import Decimal

import requests

from bench.import_harness import bench_merchant, run_children, simulator
from bench.sync_measures import MeasuredClient, Step, TimedStatements, process_peak_mb, restore_bound_seconds

SHOP = "demo-eu.myshopify.com"
VARIANTS_PER_PRODUCT = 5
POST_CHUNK = 10_000              # item ledger entries posted at a time during setup
CHANGE_MARK = "BENCH-CHANGE"     # the document no. of the entries that change the stock
LEVELS_PAGE_COST = 753           # InventoryLevelsAtLocation: 250 levels a page (connectors.shopify.inventory_reads)
LEVELS_PER_PAGE = 250


def load(locations: int, changed: float) -> dict:
    """Child 1: the shop's items, locations and Shopify's stock imported, the books' stock as Shopify's
    but for the changed pairs."""
    merchant, client = bench_merchant()
    from connectors.ledger.records import LocationData
    from connectors.ledger.target import target_for
    from connectors.shopify.inventory import import_inventory_levels
    from connectors.shopify.models import ShopifyInventoryLevel
    from syncjobs.inventory.locations import refresh_shop_locations
    from syncjobs.inventory.models import ShopLocation
    from syncjobs.inventory.sync import mapped_variants
    from syncjobs.products.sync import sync_products

    merchant.sync_item_direction, merchant.auto_create_unknown_items = "from_shopify", True
    merchant.save()
    target = target_for(merchant)
    started = time.perf_counter()
    products = sync_products(merchant, client=client)
    products_s = time.perf_counter() - started

    shop_locations = refresh_shop_locations(merchant, client)
    own = [s for s in shop_locations if not s.location.is_fulfillment_service]
    target.create_locations(merchant, [LocationData(f"L{n + 1}", s.location.name) for n, s in enumerate(own)])
    for n, shop_location in enumerate(own):
        ShopLocation.objects.filter(pk=shop_location.pk).update(stock_calculation="available",
                                                                ledger_locations=f"L{n + 1}")
    codes = {s.location.shopify_gid: f"L{n + 1}" for n, s in enumerate(own)}
    levels = import_inventory_levels(merchant, client, location_gids=list(codes))
    imported_s = time.perf_counter() - started - products_s

    variants = {v.inventory_item_gid: v for v in mapped_variants(merchant) if v.tracked}
    pairs = ShopifyInventoryLevel.objects.filter(merchant=merchant, location_gid__in=list(codes),
                                                 inventory_item_gid__in=list(variants)) \
        .order_by("location_gid", "inventory_item_gid").values_list("location_gid", "inventory_item_gid", "available")
    posted = changes = negative = 0
    index = -1
    entries = []
    for index, (location, item, available) in enumerate(pairs.iterator(chunk_size=POST_CHUNK)):
        variant = variants[item]
        quantity = max(0, available)
        negative += available < 0      # Shopify shows less than none: 0 will be sent whatever the books hold
        is_change = _is_changed(index, changed, 0)
        if is_change:
            changes += 1
        entries += _entries(variant, codes[location], quantity, 1 + index % 5 if is_change else 0)
        if len(entries) >= POST_CHUNK:
            posted += target.post_stock(merchant, entries)
            entries = []
    posted += target.post_stock(merchant, entries)
    return {
        "products": products.imported.read, "variants": len(variants),
        "items created": products.links.created, "unmapped variants": len(products.links.unmapped),
        "locations synced": len(own), "locations": len(shop_locations), "levels": levels,
        "pairs": index + 1, "changes": changes, "negative in Shopify": negative,
        "entries posted": posted, "setup s": round(time.perf_counter() - started, 1),
        "products s": round(products_s, 1), "stock import s": round(imported_s, 1),
        "setup peak RSS MB": process_peak_mb(),
    }


def _is_changed(index: int, changed: float, round_no: int) -> bool:
    """Whether the pair at `index` (in location, item order) changes in round `round_no` (a different
    sample each round)."""
    every = max(1, round(1 / changed))
    return index % every == round_no % every


def _entries(variant, location: str, quantity: int, more: int) -> list:
    from connectors.ledger.records import StockEntry, StockKey

    key = StockKey(variant.item_no, variant.variant_code, location)
    day = date(2025, 3, 1)
    entries = [StockEntry(key, Decimal(quantity), "positive_adjustment", day)] if quantity else []
    if more:
        entries.append(StockEntry(key, Decimal(more), "positive_adjustment", day, document_no=f"{CHANGE_MARK}-0"))
    return entries


def change(changed: float, round_no: int) -> dict:
    """Child: another `changed` of the pairs get 1 to 5 more in the books (a different sample)."""
    merchant = _merchant()
    from connectors.ledger.target import target_for
    from connectors.shopify.models import ShopifyInventoryLevel
    from syncjobs.inventory.models import ShopLocation
    from syncjobs.inventory.sync import mapped_variants

    target = target_for(merchant)
    variants = {v.inventory_item_gid: v for v in mapped_variants(merchant) if v.tracked}
    codes = dict(ShopLocation.objects.filter(merchant=merchant).exclude(stock_calculation="disabled")
                 .values_list("location__shopify_gid", "ledger_locations"))
    pairs = ShopifyInventoryLevel.objects.filter(merchant=merchant, location_gid__in=list(codes),
                                                 inventory_item_gid__in=list(variants)) \
        .order_by("location_gid", "inventory_item_gid").values_list("location_gid", "inventory_item_gid")
    entries, changes = [], 0
    from connectors.ledger.records import StockEntry, StockKey
    for index, (location, item) in enumerate(pairs.iterator(chunk_size=POST_CHUNK)):
        if _is_changed(index, changed, round_no):
            variant = variants[item]
            entries.append(StockEntry(StockKey(variant.item_no, variant.variant_code, codes[location]),
                                      Decimal(1 + index % 5), "positive_adjustment", date(2025, 3, 2),
                                      document_no=f"{CHANGE_MARK}-{round_no}"))
            changes += 1
    target.post_stock(merchant, entries)
    return {"changes": changes}


def _merchant():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "syncsite.settings")
    import django

    django.setup()
    from merchants.models import Merchant

    return Merchant.objects.get(code="BENCH")


def sync(plan: str, mode: str, round_no: int, keep_sql: bool) -> dict:
    """Child: one measured sync_inventory (`mode` "import" or "skip"), then, after a skip, one with nothing
    changed; then what Shopify holds for the pairs changed in round `round_no`."""
    merchant = _merchant()
    from django.conf import settings
    from django.db import connection

    settings.DEBUG = False   # no log of every statement, as in a worker (the setup ran with it)

    from connectors.ledger.target import target_for
    from syncjobs.inventory import sync as inventory_sync

    target = target_for(merchant)
    _set_plan(plan)
    statements = TimedStatements(keep_sql=keep_sql)
    measured = MeasuredClient(merchant)
    chunks: list[int] = []        # statements per chunk of variants at a location
    marks = {"statements": 0}
    imported: dict = {}
    plain_import = inventory_sync.import_inventory_levels

    def timed_import(*args, **kwargs):
        stats = measured.client.stats
        before = (statements.count, statements.seconds, time.perf_counter(), time.process_time(), stats.calls,
                  stats.seconds, measured.poll_wait, stats.actual_cost)
        levels = plain_import(*args, **kwargs)
        imported.update({
            "levels": levels, "queries": statements.count - before[0], "DB s": round(statements.seconds - before[1], 2),
            "seconds": round(time.perf_counter() - before[2], 2), "CPU s": round(time.process_time() - before[3], 2),
            "requests": stats.calls - before[4], "in HTTP s": round(stats.seconds - before[5], 2),
            "poll wait s": round(measured.poll_wait - before[6], 2),
            "actual cost": round(stats.actual_cost - before[7]),
        })
        marks["statements"] = statements.count
        return levels

    def chunk_done(counts) -> None:
        chunks.append(statements.count - marks["statements"])
        marks["statements"] = statements.count

    inventory_sync.import_inventory_levels = timed_import
    try:
        with connection.execute_wrapper(statements):
            with Step(statements) as step:
                marks["statements"] = statements.count
                counts = inventory_sync.sync_inventory(merchant, target=target, client=measured.client,
                                                       skip_import=mode == "skip", progress=chunk_done)
    finally:
        inventory_sync.import_inventory_levels = plain_import
    http = measured.figures()
    figures = {
        "mode": "with import" if mode == "import" else "skip import", "plan": plan,
        "read": counts.read, "updated": counts.updated, "unchanged": counts.unchanged, "skipped": counts.skipped,
        "failed": counts.failed, "not stocked": counts.not_stocked, "untracked": counts.untracked,
        "sent as 0": counts.sent_as_zero, "reasons": [why[:200] for _, why, _ in counts.skipped_records[:3]]
        + [why[:200] for _, _, why in counts.errors[:3]],
        **step.figures(), **http, "import": imported,
        "queries/chunk": f"{min(chunks)}-{max(chunks)}" if chunks else "-", "chunks": len(chunks),
        "restore-bound s": restore_bound_seconds(http["actual cost"]),
        "statements": [(round(1000 * n / max(counts.read, 1), 2), text)
                       for text, n in statements.by_text.most_common(25)],
    }
    if mode == "skip":
        again = MeasuredClient(merchant)
        started = time.perf_counter()
        second = inventory_sync.sync_inventory(merchant, target=target, client=again.client, skip_import=True)
        figures["nothing changed"] = (f"{second.updated} set, {second.unchanged:,} unchanged, "
                                      f"{again.client.stats.calls} requests {dict(again.session.sent)}, "
                                      f"{time.perf_counter() - started:.1f} s")
    figures.update(_read_back(merchant, target, round_no))
    figures["process peak RSS MB"] = process_peak_mb()
    return figures


def _read_back(merchant, target, round_no: int) -> dict:
    """For every pair changed in the books in round `round_no`: Shopify's available quantity now, read
    over GraphQL on an unlimited bucket, against the books' stock."""
    from connectors.ledger.models import ItemLedgerEntry
    from connectors.shopify.client import ShopifyClient
    from connectors.shopify.inventory_reads import LevelReport, levels_by_item
    from syncjobs.inventory.models import ShopLocation
    from syncjobs.inventory.sync import mapped_variants

    _set_plan("unlimited")
    client = ShopifyClient.for_merchant(merchant)
    changed = set(ItemLedgerEntry.objects.filter(merchant=merchant, document_no=f"{CHANGE_MARK}-{round_no}")
                  .values_list("item__number", "variant_code", "location__code"))
    gids = {(v.item_no, v.variant_code): v.inventory_item_gid for v in mapped_variants(merchant)}
    shopify_location = dict(ShopLocation.objects.filter(merchant=merchant).exclude(stock_calculation="disabled")
                            .values_list("ledger_locations", "location__shopify_gid"))
    equal = differ = 0
    examples = []
    for code, location in shopify_location.items():
        keys = [(item, variant) for item, variant, at in changed if at == code]
        books = target.stock_levels(merchant, locations=[code], calculation="available", items={k[0] for k in keys})
        held = levels_by_item(client, location, [gids[key] for key in keys])
        for key in keys:
            level = held[gids[key]]
            shopify = level.available if isinstance(level, LevelReport) else None
            if shopify == max(0, int(books.get(key, 0))):
                equal += 1
            else:
                differ += 1
                examples.append(f"{key} at {code}: books {books.get(key)}, Shopify {shopify}")
    return {"changed pairs read back": len(changed), "equal in Shopify": equal, "different": differ,
            "different examples": examples[:3]}


def _set_plan(plan: str) -> None:
    answer = requests.post(f"{os.environ['BENCH_SIMULATOR']}/_simulator/settings", json={"shop": SHOP, "plan": plan},
                           timeout=30)
    answer.raise_for_status()


def run(variants: int, locations: int, changed: float, database: str, plan: str, keep_sql: bool) -> dict:
    products = max(1, variants // VARIANTS_PER_PRODUCT)
    options = ("--orders", "20", "--products", str(products), "--variants", str(variants),
               "--locations", str(locations + 1), "--plan", "unlimited")
    sql = "sql" if keep_sql else "-"
    with simulator(*options) as (port, token, printed):
        started = time.perf_counter()
        loaded, with_import, changes, skipped = run_children(
            "bench.sync_inventory",
            [["load", str(locations), str(changed)], ["sync", plan, "import", "0", sql],
             ["change", str(changed), "1"], ["sync", plan, "skip", "1", sql]],
            database=database, port=port, token=token)
        seconds = time.perf_counter() - started
    served = next((line.strip() for line in printed if " products / " in line), "")
    return {"database": database, "simulator": served, "total s": round(seconds), "loaded": loaded,
            "runs": [{**with_import, "changes": loaded["changes"]}, {**skipped, "changes": changes["changes"]}]}


def report(rows: list[dict], *, statements: bool) -> None:
    columns = ("database", "variants", "mode", "seconds", "CPU s", "DB s", "in HTTP s", "poll wait s", "bucket wait s",
               "requests", "actual cost", "queries", "queries/chunk", "peak RSS MB", "peak growth MB")
    print("  ".join(f"{c:>{max(len(c), 8)}}" for c in columns))
    for row in rows:
        for figures in row["runs"]:
            values = {"database": row["database"], "variants": row["loaded"]["variants"], **figures}
            print("  ".join(f"{values[c]!s:>{max(len(c), 8)}}" for c in columns))
    for row in rows:
        loaded = row["loaded"]
        pairs = loaded["pairs"]
        print(f"\n{row['database']}: {loaded['variants']:,} tracked variants mapped ({loaded['products']:,} products, "
              f"{loaded['items created']:,} items created, {loaded['unmapped variants']} variants unmapped) at "
              f"{loaded['locations synced']} synced locations of {loaded['locations']}: {pairs:,} stocked pairs "
              f"({loaded['negative in Shopify']} negative in Shopify); setup {loaded['setup s']} s (products "
              f"{loaded['products s']} s, stock import {loaded['stock import s']} s, {loaded['entries posted']:,} "
              f"item ledger entries), peak {loaded['setup peak RSS MB']} MB; the whole bench {row['total s']} s")
        print(f"  simulator: {row['simulator']}")
        pages = math.ceil(pairs / loaded["locations synced"] / LEVELS_PER_PAGE) * loaded["locations synced"]
        paging = pages * LEVELS_PAGE_COST
        print(f"  read by pages instead of a bulk export, the levels would cost {paging:,} points in {pages:,} "
              f"requests: {restore_bound_seconds(paging)} s of the restore rate alone")
        for figures in row["runs"]:
            read = max(figures["read"], 1)
            ours = figures["CPU s"] + (figures["DB s"] if row["database"] == "postgres" else 0)
            print(f"  {figures['mode']} ({figures['plan']} bucket): {figures['read']:,} pairs compared, "
                  f"{figures['changes']:,} changed in the books, {figures['updated']:,} set in Shopify, "
                  f"{figures['unchanged']:,} unchanged, {figures['skipped']} skipped, {figures['failed']} failed, "
                  f"{figures['not stocked']} not stocked, {figures['sent as 0']} sent as 0")
            for why in figures["reasons"]:
                print(f"    - {why}")
            print(f"    {figures['seconds']} s: ours {ours:.1f} s (CPU {figures['CPU s']} s, statements "
                  f"{figures['DB s']} s{', in the CPU' if row['database'] == 'sqlite' else ''}), Shopify's answers "
                  f"{figures['in HTTP s']} s, export polling pauses {figures['poll wait s']} s, bucket waits "
                  f"{figures['bucket wait s']} s; per 1,000 pairs {1000 * figures['seconds'] / read:.2f} s, "
                  f"ours {1000 * ours / read:.2f} s")
            print(f"    requests {figures['operations']}; {figures['throttled']} THROTTLED; cost requested "
                  f"{figures['requested cost']:,}, actual {figures['actual cost']:,}: the restore rate alone needs "
                  f"{figures['restore-bound s']} s")
            if figures["import"]:
                imp = figures["import"]
                print(f"    of which the import: {imp['levels']:,} levels in {imp['seconds']} s (CPU {imp['CPU s']} s, "
                      f"statements {imp['DB s']} s, Shopify {imp['in HTTP s']} s, polling {imp['poll wait s']} s), "
                      f"{imp['requests']} requests, {imp['actual cost']} points, {imp['queries']:,} statements "
                      f"({1000 * imp['queries'] / max(imp['levels'], 1):.1f} per 1,000 levels)")
            print(f"    statements {figures['queries']:,} ({1000 * figures['queries'] / read:.1f} per 1,000 pairs); "
                  f"per chunk of 5,000 variants at a location {figures['queries/chunk']} ({figures['chunks']} chunks, "
                  f"the import apart); RSS {figures['RSS before MB']} MB before, peak {figures['peak RSS MB']} MB "
                  f"(+{figures['peak growth MB']} MB); process peak {figures['process peak RSS MB']} MB")
            print(f"    read back: {figures['changed pairs read back']:,} changed pairs, "
                  f"{figures['equal in Shopify']:,} as the books say in Shopify, {figures['different']} different "
                  f"{figures['different examples']}")
            if "nothing changed" in figures:
                print(f"    then nothing changed (skip import): {figures['nothing changed']}")
            if statements:
                print("    statements per 1,000 pairs")
                for per, text in figures["statements"]:
                    print(f"      {per:>8}  {text[:200]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", default="20000,100000")
    parser.add_argument("--locations", type=int, default=5, help="the shop's own locations, all synced")
    parser.add_argument("--changed", type=float, default=0.01, help="the share of pairs changed in the books")
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--plan", choices=("basic", "advanced", "plus", "unlimited"), default="basic")
    parser.add_argument("--statements", action="store_true", help="print each run's statements by SQL text")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        step, *rest = args.child
        if step == "load":
            figures = load(int(rest[0]), float(rest[1]))
        elif step == "change":
            figures = change(float(rest[0]), int(rest[1]))
        else:
            figures = sync(rest[0], rest[1], int(rest[2]), rest[3] == "sql")
        print(json.dumps(figures))
        return
    databases = ("sqlite", "postgres") if args.database == "both" else (args.database,)
    rows = [run(int(size), args.locations, args.changed, database, args.plan, args.statements)
            for database in databases for size in args.variants.split(",")]
    report(rows, statements=args.statements)


if __name__ == "__main__":
    main()
