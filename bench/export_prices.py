"""Report 30108's "only prices" export: a price change on every item of the shop, sent to Shopify.

    .venv/bin/python -m bench.export_prices [--items N] [--variants-per-item K] [--database sqlite|postgres|both]
                                            [--plans basic,plus] [--no-small]

Without --items / --variants-per-item it runs two shapes, 10,000 items of one variant and 2,000
items of 5 variants (SKU mapping "item no." and "item no. + variant code"); each shape also runs at a
fifth of its size (unlimited plan only, unless --no-small) to show that memory stays flat with size.

Each run is a fresh process holding a Shopify simulator (in-process, one shop) and a fresh database.
Setup, not measured but timed: a merchant whose items go to Shopify, N ledger items created through
the accounting target, added to the shop and exported once on an unlimited bucket (this creates the
products: 2 requests a product and a tag lookup per 50). Then, for the unlimited plan and each of
--plans: every item's unit price changed in the books (not measured) and `export_items(only_prices=
True)` with the shop's bucket set to that plan, measured: seconds (and how many of them went waiting
for the simulator's answers: the client's time in HTTP requests, the pacer's waits apart), GraphQL
requests, THROTTLED answers,
requested/actual cost and the seconds of a basic shop's bucket (1,000 points, 100 a second) it
represents beyond a full bucket, queries per batch of 250 products, prices sent; a sample of the
simulator's variants is read back and must carry the new prices. Then a run with nothing changed
(expected: no request). Memory: how far the process's RSS peaked above where it stood when each
export began (Linux's VmHWM, reset through /proc/self/clear_refs; the in-process simulator's answers
included), and the process's peak RSS over the whole run (setup included). PostgreSQL is reached through
BENCH_POSTGRES_URL (default postgres://postgres:postgres@127.0.0.1:5432/syncsite_bench, recreated
each run). Prints figures only.
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
from dataclasses import replace
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from bench.databases import database_url

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres:postgres@127.0.0.1:5432/syncsite_bench")
BASIC_BUCKET, BASIC_RESTORE = 1_000, 100      # a basic shop's bucket: points, and points restored a second
CHUNK = 1_000                                 # items read or written in the books at a time during setup
SAMPLE = 200                                  # products whose prices are read back from the simulator


def measure(items: int, variants: int, plans: list[str]) -> dict:
    """Runs in a child process with DATABASE_URL set: setup, the measured exports, figures as JSON."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "syncsite.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from connectors.ledger.records import ItemData, VariantData
    from connectors.ledger.target import target_for
    from connectors.shopify.client import ShopifyClient
    from merchants.models import Merchant
    from shopify_simulator.bucket import PLANS, LeakyBucket
    from shopify_simulator.server import Simulator
    from shopify_simulator.store.gids import gid_number
    from syncjobs.products import export
    from syncjobs.products.models import ProductLink
    from syncjobs.products.shop_items import add_items

    simulator = Simulator(seed=7, orders=20, plan="unlimited", anchor=datetime(2025, 3, 12, tzinfo=timezone.utc),
                          port=0, shops=1).start()
    shop = simulator.shops[0]
    figures: dict = {"database": connection.vendor, "items": items, "variants": items * variants}
    try:
        call_command("migrate", verbosity=0)
        merchant = Merchant.objects.create(
            code="BENCH", name="Bench", shop_domain=shop.domain, api_base_url=simulator.base_url,
            access_token=shop.access_token, sync_item_direction="to_shopify",
            sku_mapping="item_no_variant_code" if variants > 1 else "sku", sku_field_separator="-")
        target = target_for(merchant)
        numbers = [f"B{n:06d}" for n in range(items)]

        # Setup ----------------------------------------------------------------------------------------
        started = time.perf_counter()
        codes = tuple(VariantData(f"V{v}", f"Size {v}") for v in range(variants)) if variants > 1 else ()
        for start in range(0, items, CHUNK):
            target.create_items(merchant, [
                ItemData(number=number, description=f"Bench item {number}", unit_price=Decimal("10.00"),
                         unit_cost=Decimal("4.00"), variants=codes) for number in numbers[start:start + CHUNK]])
        add_items(merchant, None, target=target)
        books_seconds = time.perf_counter() - started
        client = ShopifyClient.for_merchant(merchant)
        created = export.export_items(merchant, target=target, client=client)
        assert created.created == items and not created.failed, (created.created, created.failed[:3])
        setup_seconds = time.perf_counter() - started
        figures["setup"] = (f"{setup_seconds:.1f} s ({books_seconds:.1f} in the books, {client.stats.calls} requests, "
                            f"{items / (setup_seconds - books_seconds):.0f} products/s exported, "
                            f"{client.stats.seconds:.1f} s waiting for answers)")

        # Queries per batch: _export_batch is looked up by name on each batch.
        per_batch: list[int] = []
        plain_batch = export._export_batch

        queries = 0

        def count_query(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        def counted_batch(*args, **kwargs):
            before = queries
            plain_batch(*args, **kwargs)
            per_batch.append(queries - before)

        round_no = 0

        def change_prices() -> Decimal:
            """Every item's unit price changed in the books; the new price (one for all)."""
            nonlocal round_no
            round_no += 1
            price = Decimal("10.00") + round_no + Decimal("0.25")
            for start in range(0, items, CHUNK):
                held = target.get_items(merchant, numbers[start:start + CHUNK])
                changed = target.update_items(merchant, [replace(item, unit_price=price) for item in held.values()])
                assert len(changed) == len(held)
            return price

        def check(price: Decimal) -> None:
            links = ProductLink.objects.filter(merchant=merchant).order_by("?")[:SAMPLE]
            for link in links:
                product = shop.catalog.product(gid_number(link.shopify_gid, "Product"))
                assert len(product.variants) == variants, (link.item_no, len(product.variants))
                assert {Decimal(v.price) for v in product.variants} == {price}, (
                    link.item_no, [v.price for v in product.variants], price)

        def timed(plan: str) -> dict:
            price = change_prices()
            shop.plan = PLANS[plan]
            shop.bucket = LeakyBucket(shop.plan)
            client = ShopifyClient.for_merchant(merchant)
            per_batch.clear()
            export._export_batch = counted_batch
            rss_before = _status_kb("VmRSS")
            Path("/proc/self/clear_refs").write_text("5")     # resets the peak RSS (VmHWM) to the current RSS
            try:
                with connection.execute_wrapper(count_query):
                    started = time.perf_counter()
                    counts = export.export_items(merchant, target=target, client=client, only_prices=True)
                    seconds = time.perf_counter() - started
            finally:
                export._export_batch = plain_batch
            assert counts.prices == items * variants and not counts.failed, (counts.prices, counts.failed[:3])
            growth = (_status_kb("VmHWM") - rss_before) / 1024
            check(price)
            stats = client.stats
            return {
                "plan": plan, "seconds": round(seconds, 1), "prices": counts.prices,
                "prices/s": round(counts.prices / seconds), "in HTTP s": round(stats.seconds, 1),
                "requests": stats.calls, "throttled": stats.throttled,
                "requested": round(stats.requested_cost), "actual": round(stats.actual_cost),
                "basic bucket s": round(max(0, stats.actual_cost - BASIC_BUCKET) / BASIC_RESTORE, 1),
                "batches": len(per_batch), "queries/batch": f"{min(per_batch)}-{max(per_batch)}",
                "peak RSS +MB": round(growth, 1),
            }

        figures["runs"] = [timed(plan) for plan in ["unlimited", *plans]]

        # Nothing changed: nothing sent.
        shop.plan = PLANS["unlimited"]
        shop.bucket = LeakyBucket(shop.plan)
        again = ShopifyClient.for_merchant(merchant)
        started = time.perf_counter()
        counts = export.export_items(merchant, target=target, client=again, only_prices=True)
        figures["unchanged run"] = (f"{again.stats.calls} requests, {counts.unchanged} unchanged, "
                                    f"{time.perf_counter() - started:.2f} s")

        figures["peak RSS MB"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        return figures
    finally:
        simulator.stop()


def _status_kb(key: str) -> int:
    """A figure of /proc/self/status, in kB (VmRSS: resident now; VmHWM: peak since the last reset)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    raise KeyError(key)


def run(items: int, variants: int, database: str, plans: list[str]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url(database, postgres_url=POSTGRES_URL, directory=tmp)
        env = {**os.environ, "DEBUG": "true", "LOG_LEVEL": "WARNING", "DATABASE_URL": url}
        child = subprocess.run(
            [sys.executable, "-m", "bench.export_prices", "--child", str(items), str(variants), ",".join(plans)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=4 * 3600)
        if child.returncode != 0:
            raise RuntimeError(child.stderr[-3000:])
        return json.loads(child.stdout.strip().splitlines()[-1])


def show(figures: dict) -> None:
    print(f"\n{figures['database']}: {figures['items']:,} items, {figures['variants']:,} variants")
    for key in ("setup", "unchanged run", "peak RSS MB"):
        print(f"  {key}: {figures[key]}")
    columns = list(figures["runs"][0])
    print("  " + "  ".join(f"{c:>13}" for c in columns))
    for row in figures["runs"]:
        print("  " + "  ".join(f"{row[c]!s:>13}" for c in columns))
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int)
    parser.add_argument("--variants-per-item", type=int)
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--plans", default="basic,plus", help="plans measured besides unlimited ('' for none)")
    parser.add_argument("--no-small", action="store_true", help="skip the run at a fifth of the size")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        items, variants, plans = args.child
        print(json.dumps(measure(int(items), int(variants), [p for p in plans.split(",") if p])))
        return
    if args.items is None and args.variants_per_item is None:
        shapes = [(10_000, 1), (2_000, 5)]
    else:
        shapes = [(args.items or 10_000, args.variants_per_item or 1)]
    plans = [p for p in args.plans.split(",") if p]
    databases = ("sqlite", "postgres") if args.database == "both" else (args.database,)
    for items, variants in shapes:
        for database in databases:
            if not args.no_small and items >= 5:
                show(run(items // 5, variants, database, []))
            show(run(items, variants, database, plans))


if __name__ == "__main__":
    main()
