"""Report 30116 Sync Catalog Prices for 50 B2B catalogs × 2,000 variants, on SQLite and PostgreSQL:
the first sync, a run with nothing changed, a run after 5 % of the prices changed, and the work
split between two catalog filters.

    .venv/bin/python -m bench.catalog_prices [--catalogs 50] [--products 200 --variants 2000] [--seed 42]
                                             [--database sqlite|postgres|both] [--plan unlimited|plus]
                                             [--statements]

It starts a Shopify simulator (its own process) with --products / --variants at least per shop and
--catalogs extra company-location catalogs in each B2B shop: in demo-us (New York, USD) each is for a
company location of its own, publishes every product and has a price list fixing every variant's
price at a negotiated one; every fourth company is an importer in Canada whose catalogs are in CAD.
Each step below runs in a fresh process on one fresh database (its peak RSS its own):
 0. setup, timed apart, on an unlimited bucket: a merchant for demo-us whose products are imported
    and each variant mapped to a ledger item, unknown ones created (report 30108's sync_products with
    auto-create unknown items: an item per SKU, at the variant's Shopify price); the catalogs
    imported and linked (report 30115's sync_catalogs); the --catalogs extra catalogs marked for
    price sync (the shop's own few B2B catalogs, shared tiers, contracts, export, market, are left
    unmarked, so the figures are of exactly --catalogs × the shop's variants). The USD catalogs
    take the items' unit prices; the CAD ones a ledger price list in CAD (B2B-CAD, a line per item at
    1.36 × its unit price) chosen on their catalog links.
 1. the first sync_catalog_prices: the mirror of Shopify's fixed prices is empty and a first sync
    does not read Shopify's (4 points a price) but sets every price (priceListFixedPricesUpdate, at
    most 250 a call, 10 points each; the simulator's negotiated prices are 1 to 10 % off the
    ledger's, so reading first would send about as much);
 2. a second run, nothing changed: it must send nothing (0 write calls) and read nothing;
 3. one item in 20 (5 %) given a new unit price and a new B2B-CAD line (not measured), then a run: it
    must send exactly the changed variants each catalog offers, at most 250 a call (changed variants
    × catalogs, less the variants of draft and archived products, which no catalog offers: 85 of
    every 100 at the default size);
 4. another 5 % of the items changed the same way, then two runs, each in its own process, with the
    catalog filter of report 30116's request page: the first half of the catalogs (title order, as
    the run goes), then the second half: each must send its half's changed prices and write to no
    catalog of the other half;
 5. a run with "read Shopify's prices first" (PriceListFixedPrices, 200 a page), nothing changed: the
    cost of reading every price whole (what keeps compare-at prices, or undoes changes made in
    Shopify by hand); it must send nothing.
Each measured run prints: seconds, and of them our CPU time (SQLite's included), the time in
statements, in HTTP (the simulator's answers) and waiting for the bucket (--plan's; unlimited
unless said: reading 100,000 fixed prices costs about 400,000 points, so plus's restore rate alone
would make a first run that reads them 6–7 minutes; the seconds each plan's restore rate alone needs for the
actual cost are printed beside it); requests by GraphQL operation with their requested and actual
cost; prices sent, prices per write call (min-max), catalogs read; statements in all and per catalog
(min-max), and in the reads of Shopify's prices; the seconds spent reading the ledger's items
(target.get_items) and price-list prices, comparing with the mirror and writing (set_fixed_prices,
HTTP included); the step's peak RSS and its growth; the check of
what was sent against what changed. After each of steps 1, 3 and 4 the fixed prices of two of its
catalogs (one USD, one CAD) are read back from Shopify (not measured) and compared with the ledger's.
With --statements, each measured step's statements by SQL text. PostgreSQL is reached through
BENCH_POSTGRES_URL (default postgres://postgres:postgres@127.0.0.1:5432/syncsite_bench, recreated
each run). Prints figures only.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import time
from collections import Counter, defaultdict
from decimal import Decimal

import requests

from bench.import_harness import run_children, simulator
from bench.sync_measures import MeasuredClient, Step, TimedStatements, process_peak_mb, restore_bound_seconds

SHOP = "demo-us.myshopify.com"
PRICE_LIST = "B2B-CAD"           # the CAD catalogs' price list in the ledger
CAD_RATE = Decimal("1.36")       # its lines: the unit price at demo-us's CAD rate
CHANGE_EVERY = 20                # one item in 20: 5 % of the prices changed a round
EXTRA_TITLE = re.compile(r" \d{4} ")   # the simulator's extra companies: "Hudson Outfitters 0001 Head office"
CENT = Decimal("0.01")


# Parent --------------------------------------------------------------------------------------------
def _shop_token(port: int) -> str:
    shops = requests.get(f"http://127.0.0.1:{port}/_simulator/shops", timeout=30).json()["shops"]
    return next(shop["access_token"] for shop in shops if shop["domain"] == SHOP)


def _set_plan(plan: str) -> None:
    answer = requests.post(f"{os.environ['BENCH_SIMULATOR']}/_simulator/settings", json={"shop": SHOP, "plan": plan},
                           timeout=30)
    answer.raise_for_status()


# Children ------------------------------------------------------------------------------------------
def _django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "syncsite.settings")
    django.setup()


def _merchant():
    """In a child after the setup: Django set up, no log of every statement (as in a worker), the merchant."""
    _django()
    from django.conf import settings

    from merchants.models import Merchant

    settings.DEBUG = False
    return Merchant.objects.get(code="BENCH")


def setup(catalogs: int) -> dict:
    """Child 0: the merchant, its products imported and mapped, its catalogs imported, linked, marked."""
    _django()
    from django.core.management import call_command
    from django.db.models import Count

    from connectors.ledger.models import Item, PriceList
    from connectors.ledger.prices import import_prices
    from connectors.ledger.records import PriceLineData
    from connectors.shopify.client import ClientSettings, ShopifyClient
    from connectors.shopify.models import CatalogKind, ShopifyCatalog, ShopifyVariant
    from merchants.models import Merchant
    from syncjobs.catalogs.models import CatalogLink
    from syncjobs.catalogs.sync import sync_catalogs
    from syncjobs.products.models import VariantLink
    from syncjobs.products.sync import sync_products

    call_command("migrate", verbosity=0)
    merchant = Merchant.objects.create(code="BENCH", name="Bench B2B", shop_domain=SHOP,
                                       api_base_url=os.environ["BENCH_SIMULATOR"],
                                       access_token=os.environ["BENCH_TOKEN"], time_zone="America/New_York",
                                       shop_currency="USD", auto_create_unknown_items=True)
    client = ShopifyClient.for_merchant(merchant, client_settings=ClientSettings(bulk_poll_min=0.2, bulk_poll_max=1))
    _set_plan("unlimited")

    started = time.perf_counter()
    products = sync_products(merchant, client=client)
    products_s = time.perf_counter() - started
    links = VariantLink.objects.filter(merchant=merchant)
    mapped = links.exclude(item_no="")

    started = time.perf_counter()
    sync_catalogs(merchant, client=client)
    catalogs_s = time.perf_counter() - started
    live = ShopifyCatalog.objects.filter(merchant=merchant, removed_at__isnull=True)
    extra = [c for c in live.filter(kind=CatalogKind.COMPANY_LOCATION) if EXTRA_TITLE.search(c.title)]
    assert len(extra) == catalogs, (len(extra), catalogs)
    marked = CatalogLink.objects.filter(merchant=merchant, catalog_gid__in=[c.shopify_gid for c in extra])
    assert marked.update(sync_prices=True) == catalogs
    foreign = [c.shopify_gid for c in extra if c.currency != merchant.shop_currency]
    assert {c.currency for c in extra} <= {"USD", "CAD"}, {c.currency for c in extra}

    started = time.perf_counter()
    price_list = PriceList.objects.create(merchant=merchant, code=PRICE_LIST, currency="CAD",
                                          description="B2B prices in Canada")
    items = Item.objects.filter(merchant=merchant).values_list("number", "unit_price")
    import_prices(price_list=price_list, lines=[PriceLineData(number, (price * CAD_RATE).quantize(CENT))
                                                for number, price in items])
    CatalogLink.objects.filter(merchant=merchant, catalog_gid__in=foreign).update(price_list_code=PRICE_LIST)
    ledger_s = time.perf_counter() - started
    return {
        "products": products.imported.read, "variants": ShopifyVariant.objects.filter(product__merchant=merchant)
        .count(), "variant links": links.count(), "mapped": mapped.count(),
        "unmapped": dict(Counter(links.filter(item_no="").values_list("unmapped_reason", flat=True)).most_common(3)),
        "items": Item.objects.filter(merchant=merchant).count(), "items created": products.links.created,
        "products s": round(products_s, 1), "catalogs s": round(catalogs_s, 1), "ledger s": round(ledger_s, 1),
        "requests": client.stats.calls,
        "catalogs": dict(live.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n")),
        "marked": catalogs, "marked CAD": len(foreign),
        "products offered": sorted({len(c.product_gids) if c.product_gids is not None else -1 for c in extra}),
    }


def _changed_items(merchant, round_no: int) -> list[str]:
    """The items of a round's 5 %: of the mapped items in number order, one in CHANGE_EVERY."""
    from syncjobs.products.models import VariantLink

    numbers = sorted(set(VariantLink.objects.filter(merchant=merchant).exclude(item_no="")
                         .values_list("item_no", flat=True)))
    return numbers[round_no::CHANGE_EVERY]


def change_prices(merchant, round_no: int) -> list[str]:
    """A round's 5 % of the items: a new unit price, and a new line in the CAD price list."""
    from dataclasses import replace

    from connectors.ledger.models import PriceList, PriceListLine
    from connectors.ledger.prices import import_prices
    from connectors.ledger.records import PriceLineData
    from connectors.ledger.target import target_for

    numbers = _changed_items(merchant, round_no)
    target = target_for(merchant)
    held = target.get_items(merchant, numbers)
    changed = target.update_items(merchant, [replace(item, unit_price=item.unit_price + Decimal("1.11"))
                                             for item in held.values()])
    assert len(changed) == len(numbers), (len(changed), len(numbers))
    price_list = PriceList.objects.get(merchant=merchant, code=PRICE_LIST)
    lines = PriceListLine.objects.filter(price_list=price_list, item_no__in=numbers, variant_code="",
                                         starting_date__isnull=True).values_list("item_no", "unit_price")
    written = import_prices(price_list=price_list, lines=[PriceLineData(number, price + Decimal("1.51"))
                                                          for number, price in lines])
    assert written.changed == len(numbers), (written, len(numbers))
    return numbers


def _offered(catalog, rows) -> list[tuple[str, str]]:
    """(variant GID, item no.) of the mapped variants `catalog` offers."""
    products = None if catalog.product_gids is None else set(catalog.product_gids)
    return [(gid, item) for gid, item, product in rows if products is None or product in products]


def _mapped_rows(merchant) -> list[tuple[str, str, str]]:
    from syncjobs.products.models import VariantLink

    return list(VariantLink.objects.filter(merchant=merchant).exclude(item_no="")
                .values_list("shopify_gid", "item_no", "product__shopify_gid"))


def _read_back(merchant, catalogs) -> list[str]:
    """Shopify's fixed prices of `catalogs` (read through GraphQL, not the mirror) against the ledger's:
    a line per catalog."""
    from connectors.ledger.models import PriceListLine
    from connectors.ledger.target import target_for
    from connectors.shopify.client import ShopifyClient
    from connectors.shopify.documents import document

    client = ShopifyClient.for_merchant(merchant)
    rows = _mapped_rows(merchant)
    items = target_for(merchant).get_items(merchant, {item for _, item, _ in rows})
    cad = dict(PriceListLine.objects.filter(price_list__merchant=merchant, price_list__code=PRICE_LIST)
               .values_list("item_no", "unit_price"))
    lines = []
    for catalog in catalogs:
        held, after = {}, None
        while True:
            data = client.execute(document("PriceListFixedPrices"),
                                  {"id": catalog.price_list_gid, "first": 200, "after": after}).data
            page = data["priceList"]["prices"]
            held.update({node["variant"]["id"]: Decimal(node["price"]["amount"]) for node in page["nodes"]})
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        offered = _offered(catalog, rows)
        wrong = [gid for gid, item in offered
                 if held.get(gid) != (cad.get(item) if catalog.currency == "CAD" else items[item].unit_price)]
        lines.append(f"{catalog.title} ({catalog.currency}): {len(offered) - len(wrong):,} of {len(offered):,} "
                     f"prices as the ledger's" + (f", e.g. {wrong[0]}: Shopify {held.get(wrong[0])}" if wrong else ""))
    return lines


def run_step(plan: str, change_round: int | None, half: str, keep_sql: bool) -> dict:
    """A measured sync_catalog_prices of the catalogs of `half` ("all", "first", "second"), after
    changing round `change_round`'s prices (None: nothing), with what it sent checked."""
    merchant = _merchant()
    from django.db import connection

    from connectors.ledger.target import target_for
    from connectors.shopify.models import ShopifyCatalogPrice
    from syncjobs.catalogs import price_sync

    figures: dict = {"plan": plan, "half": half}
    round_no = change_round if change_round is not None else (1 if half == "second" else None)
    changed: set[str] = set()
    if change_round is not None:
        started = time.perf_counter()
        changed = set(change_prices(merchant, change_round))
        figures["change"] = f"{len(changed)} items changed in {time.perf_counter() - started:.2f} s"
    elif round_no is not None:
        changed = set(_changed_items(merchant, round_no))

    everything = price_sync.catalogs_to_price(merchant, None, price_sync.PriceSyncResult())
    middle = (len(everything) + 1) // 2
    chosen = {"all": everything, "read": everything, "first": everything[:middle],
              "second": everything[middle:]}[half]
    gids = None if half in ("all", "read") else [catalog.shopify_gid for _, catalog in chosen]
    rows = _mapped_rows(merchant)
    changed_variants = sum(1 for _, item, _ in rows if item in changed)
    expected = sum(sum(1 for _, item in _offered(catalog, rows) if item in changed) for _, catalog in chosen)
    own_lists = {catalog.price_list_gid for _, catalog in chosen}

    _set_plan(plan)
    statements = TimedStatements(keep_sql=keep_sql)
    measured = MeasuredClient(merchant)
    updates: list[tuple[str, int]] = []       # (price list, prices) of each priceListFixedPricesUpdate
    post = measured.session.post

    def counted_post(url, json=None, **kwargs):
        if (json or {}).get("operationName") == "PriceListFixedPricesUpdate":
            updates.append((json["variables"]["priceListId"], len(json["variables"]["pricesToAdd"])))
        return post(url, json=json, **kwargs)

    measured.session.post = counted_post
    by_operation: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    record = measured.client.pacer.record

    def counted_record(name, cost):
        by_operation[name][0] += cost.get("requestedQueryCost") or 0
        by_operation[name][1] += cost.get("actualQueryCost") or 0
        return record(name, cost)

    measured.client.pacer.record = counted_record
    per_catalog: list[tuple[int, float]] = []       # (statements, seconds) of each catalog
    reads: list[tuple[int, float]] = []             # (statements, seconds) of each read of Shopify's prices
    marks = {"statements": 0, "at": 0.0}
    finish, read = price_sync._finish_catalog, price_sync.read_fixed_prices

    def measured_finish(*arguments, **keywords):
        finish(*arguments, **keywords)
        per_catalog.append((statements.count - marks["statements"], time.perf_counter() - marks["at"]))
        marks.update(statements=statements.count, at=time.perf_counter())

    def measured_read(**keywords):
        before, started = statements.count, time.perf_counter()
        try:
            return read(**keywords)
        finally:
            reads.append((statements.count - before, time.perf_counter() - started))

    # Where the time goes besides: the ledger's items and price-list prices read, the comparison
    # with the mirror, the writes (their HTTP included).
    spent: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])     # what -> [calls, seconds]

    def timed(what, function):
        def call(*arguments, **keywords):
            started = time.perf_counter()
            try:
                return function(*arguments, **keywords)
            finally:
                spent[what][0] += 1
                spent[what][1] += time.perf_counter() - started
        return call

    ledger = target_for(merchant)
    ledger.get_items = timed("target.get_items", ledger.get_items)
    ledger.price_list_prices = timed("target.price_list_prices", ledger.price_list_prices)
    changed_prices, write = price_sync._changed_prices, price_sync.set_fixed_prices
    price_sync._changed_prices = timed("mirror compared", changed_prices)
    price_sync.set_fixed_prices = timed("set_fixed_prices", write)
    price_sync._finish_catalog, price_sync.read_fixed_prices = measured_finish, measured_read
    with connection.execute_wrapper(statements):
        with Step(statements) as step:
            marks.update(statements=statements.count, at=time.perf_counter())
            result = price_sync.sync_catalog_prices(merchant, client=measured.client, catalog_gids=gids,
                                                    read_shopify=half == "read")
    price_sync._finish_catalog, price_sync.read_fixed_prices = finish, read
    price_sync._changed_prices, price_sync.set_fixed_prices = changed_prices, write
    del ledger.get_items, ledger.price_list_prices

    http = measured.figures()
    sent = sum(c.sent for c in result.catalogs)
    sizes = [n for _, n in updates]
    strangers = sorted({gid for gid, _ in updates} - own_lists)
    per_statements = sorted(n for n, _ in per_catalog) or [0]
    per_seconds = sorted(s for _, s in per_catalog) or [0.0]
    figures.update({
        **step.figures(), **http,
        "cost by operation": {name: [round(requested), round(actual)] for name, (requested, actual)
                              in by_operation.items()},
        "restore-bound s": restore_bound_seconds(http["actual cost"]),
        "catalogs": len(result.catalogs), "resumed": result.resumed, "left out": result.left_out[:3],
        "read from Shopify": sum(1 for c in result.catalogs if c.read_from_shopify),
        "compared": sum(c.compared for c in result.catalogs), "sent": sent,
        "unchanged": sum(c.unchanged for c in result.catalogs), "skipped": result.skipped,
        "skipped why": sorted({why for c in result.catalogs for why in c.left_out})[:3],
        "refused": sum(len(c.refused) for c in result.catalogs),
        "failures": [f"{c.title}: {c.problem}" for c in result.catalogs if c.problem][:3],
        "write calls": len(sizes), "prices a call": f"{min(sizes)}-{max(sizes)}" if sizes else "-",
        "fewest calls": sum(math.ceil(c.sent / 250) for c in result.catalogs),
        "written to other catalogs": len(strangers),
        "statements/catalog": f"{per_statements[0]}-{per_statements[-1]} (median "
                              f"{per_statements[len(per_statements) // 2]})",
        "s/catalog": f"{per_seconds[0]:.2f}-{per_seconds[-1]:.2f}",
        "spent": {what: f"{seconds:.2f} s in {calls}" for what, (calls, seconds) in spent.items()},
        "reads": len(reads), "read statements": sum(n for n, _ in reads), "read s": round(sum(s for _, s in reads), 2),
        "mirror rows": ShopifyCatalogPrice.objects.filter(merchant=merchant).count(),
        "process peak RSS MB": process_peak_mb(),
        "statements": [(round(n / max(len(per_catalog), 1), 2), text)
                       for text, n in statements.by_text.most_common(20)],
    })
    if round_no is not None:
        figures.update({"changed items": len(changed), "changed variants": changed_variants,
                        "expected": expected, "naive expected": changed_variants * len(chosen)})
    if sent:      # one catalog in each currency of those it wrote to, read back from Shopify
        shown = [next((c for _, c in chosen if c.currency == currency), None) for currency in ("USD", "CAD")]
        figures["read back"] = _read_back(merchant, [c for c in shown if c is not None])
    return figures


# Orchestration -------------------------------------------------------------------------------------
def run(args, database: str) -> dict:
    sql = "sql" if args.statements else "-"
    plan = args.plan
    options = ("--orders", "20", "--seed", str(args.seed), "--products", str(args.products), "--variants",
               str(args.variants), "--b2b-catalogs", str(args.catalogs), "--plan", "unlimited")
    started = time.perf_counter()
    with simulator(*options) as (port, _, printed):
        token = _shop_token(port)
        steps = run_children("bench.catalog_prices", [
            ["setup", str(args.catalogs)],
            ["run", plan, "-", "all", sql],
            ["run", plan, "-", "all", sql],
            ["run", plan, "0", "all", sql],
            ["run", plan, "1", "first", sql],
            ["run", plan, "-", "second", sql],
            ["run", plan, "-", "read", sql],
        ], database=database, port=port, token=token)
    served = next((line.strip() for line in printed if " products / " in line), "")
    return {"database": database, "total s": round(time.perf_counter() - started), "served": served,
            "setup": steps[0], "first": steps[1], "again": steps[2], "changed": steps[3], "split": steps[4:6],
            "read": steps[6]}


def _show_run(number: str, title: str, row: dict, *, statements: bool) -> None:
    print(f"{number} {title}: {row['seconds']} s (CPU {row['CPU s']}, statements {row['DB s']}, HTTP "
          f"{row['in HTTP s']}, bucket wait {row['bucket wait s']}) on the {row['plan']} bucket"
          + (f"; before it, {row['change']}" if "change" in row else ""))
    print(f"   {row['catalogs']} catalogs ({row['read from Shopify']} read from Shopify first), {row['compared']:,} "
          f"prices compared, {row['sent']:,} sent, {row['unchanged']:,} unchanged, {row['skipped']} left out, "
          f"{row['refused']} refused; {row['write calls']} write calls of {row['prices a call']} prices "
          f"(fewest possible {row['fewest calls']})")
    for why in row["skipped why"] + row["failures"] + [str(left) for left in row["left out"]]:
        print(f"    - {why}")
    if "expected" in row:
        verdict = "ok" if row["sent"] == row["expected"] and not row["written to other catalogs"] else "WRONG"
        print(f"   check: {row['changed items']} items changed = {row['changed variants']} variants; expected "
              f"{row['expected']:,} prices sent ({row['changed variants']} × {row['catalogs']} catalogs = "
              f"{row['naive expected']:,}), sent {row['sent']:,}; written to catalogs outside the filter: "
              f"{row['written to other catalogs']} → {verdict}")
    print(f"   requests {row['requests']} {row['operations']}; {row['throttled']} THROTTLED, {row['retries']} retries")
    print(f"   cost: requested {row['requested cost']:,}, actual {row['actual cost']:,} "
          f"{ {name: f'{r:,}/{a:,}' for name, (r, a) in row['cost by operation'].items()} }; the restore rate "
          f"alone needs {row['restore-bound s']} s")
    print(f"   statements {row['queries']:,}: {row['statements/catalog']} a catalog, {row['s/catalog']} s a "
          f"catalog; reads of Shopify's prices: {row['reads']}, {row['read s']} s, {row['read statements']} "
          f"statements; mirror {row['mirror rows']:,} prices")
    print(f"   time in: {', '.join(f'{what} {figure}' for what, figure in row['spent'].items())}")
    print(f"   RSS before {row['RSS before MB']} MB, peak {row['peak RSS MB']} MB (+{row['peak growth MB']}); "
          f"process peak {row['process peak RSS MB']} MB")
    for line in row.get("read back", []):
        print(f"   read back: {line}")
    if statements:
        print("   statements per catalog by SQL text:")
        for count, text in row["statements"]:
            print(f"    {count:>9}  {text[:200]}")


def report(rows: list[dict], *, statements: bool) -> None:
    for row in rows:
        setup = row["setup"]
        print(f"\n== {row['database']}: bench {row['total s']} s; simulator: {row['served']}")
        print(f"setup: {setup['products']} products / {setup['variants']:,} variants imported in "
              f"{setup['products s']} s, {setup['mapped']:,} of {setup['variant links']:,} variants mapped to "
              f"{setup['items']:,} items {setup['unmapped'] or ''}; catalogs {setup['catalogs']} in "
              f"{setup['catalogs s']} s; {setup['marked']} marked for price sync ({setup['marked CAD']} in CAD, "
              f"priced from {PRICE_LIST}, made in {setup['ledger s']} s), offering {setup['products offered']} "
              f"products; {setup['requests']} requests")
        _show_run("1.", "first sync (every price set, none read)", row["first"], statements=statements)
        _show_run("2.", "nothing changed", row["again"], statements=statements)
        _show_run("3.", "5 % of the prices changed", row["changed"], statements=statements)
        first, second = row["split"]
        _show_run("4a.", "another 5 % changed; the first half of the catalogs", first, statements=statements)
        _show_run("4b.", "the second half", second, statements=statements)
        _show_run("5.", "nothing changed, Shopify's prices read first", row["read"], statements=statements)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalogs", type=int, default=50, help="extra company-location catalogs, each priced")
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--variants", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--plan", choices=("basic", "advanced", "plus", "unlimited"), default="unlimited",
                        help="the bucket of the measured runs (plus: the first run waits 6-7 minutes for it)")
    parser.add_argument("--statements", action="store_true", help="print each step's statements by SQL text")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        step, *rest = args.child
        if step == "setup":
            figures = setup(int(rest[0]))
        else:
            plan, change, half, sql = rest
            figures = run_step(plan, None if change == "-" else int(change), half, sql == "sql")
        print(json.dumps(figures, default=str))
        return
    databases = ("sqlite", "postgres") if args.database == "both" else (args.database,)
    rows = [run(args, database) for database in databases]
    report(rows, statements=args.statements)


if __name__ == "__main__":
    main()
