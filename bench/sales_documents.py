"""Issue 25's sales documents: imported orders become documents (report 30103's work) and are posted
by report 297 (invoices) and report 296 (orders, shipped and invoiced), on PostgreSQL and SQLite.

    .venv/bin/python -m bench.sales_documents [--orders 1000,10000] [--database sqlite|postgres|both]
                                              [--statements]

For each size it starts a Shopify simulator with that many orders (unlimited plan). A first process
migrates a fresh database, makes the bench merchant a documents-mode shop (no customer import, the
default customer WEB, fulfilled orders as invoices), bulk-imports the orders as bench.import_orders
does (timed apart: not what this bench is about) and sets up the books: the accounts and mappings
documents post to, the customer WEB, the location MAIN and an item for every SKU the order lines
sell (a SKU longer than an item no. or blank stays unmapped, and its orders fail). A second process,
on that database, times three steps: create_documents over every order (batches of 200), then
post_documents "invoice" (297) and post_documents "order" with ship and invoice (296), chunks of
100. For each step: orders or documents per second; every statement counted by an execute wrapper
(no cap on how many; SQLite's BEGIN is one, PostgreSQL's COMMIT, sent by the driver, is not), per
order or document and per batch or chunk (min-max of the full ones: a count that grew with the
batch would show, and the two sizes side by side show it does not grow with the run); the second
process's peak RSS after each step (the import's is the first process's; like the other benches it
runs with DEBUG on, whose log of the last 9,000 statements is part of it). Then documents made by
type, orders that failed with the first three distinct reasons, and the debits and credits of the
posted invoices' G/L entries, summed by one query. With --statements, each step's statements by
their SQL text, per order or document. PostgreSQL is reached through BENCH_POSTGRES_URL (default
postgres://postgres:postgres@127.0.0.1:5432/syncsite_bench, recreated each run). Prints figures only.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import time
from collections import Counter

from bench.import_harness import bench_merchant, run_children, simulator

ITEM_NO_MAX = 20
ITEMS_PER_CALL = 1_000
# code, name, type, the kind of money mapped to it (key "": everything without a mapping of its own)
BOOKS = (
    ("1100", "Receivables", "asset", "receivables"),
    ("2100", "Gift cards outstanding", "liability", "gift_cards_sold"),
    ("2200", "VAT payable", "liability", "tax"),
    ("4000", "Sales", "revenue", "sales"),
    ("4100", "Shipping income", "revenue", "shipping_income"),
    ("4200", "Discounts", "revenue", "discounts"),
    ("4300", "Tips", "revenue", "tips"),
    ("4400", "Refunds", "revenue", "refunds"),
    ("4450", "Returns not restocked", "expense", "non_restock"),
)


def load() -> dict:
    """Child 1: the documents-mode shop, its orders (bulk import, timed) and its books."""
    merchant, client = bench_merchant()
    from connectors.ledger.mappings import map_accounts
    from connectors.ledger.records import AccountData, CustomerData, ItemData, LocationData
    from connectors.ledger.target import target_for
    from connectors.shopify import order_sync
    from connectors.shopify.bulk import start_bulk_export, wait_for_bulk_export
    from connectors.shopify.documents import document
    from connectors.shopify.importers.counts import ImportCounts
    from connectors.shopify.models import ShopifyOrderLine

    merchant.posting_mode, merchant.customer_import, merchant.default_customer_no = "documents", "none", "WEB"
    merchant.create_fulfilled_orders_as_invoices = True
    merchant.save()

    operation = wait_for_bulk_export(client, start_bulk_export(client, document("OrdersBulkExport")))
    counts = ImportCounts()
    started = time.perf_counter()
    order_sync.import_bulk_result(merchant, operation["url"], counts)
    seconds = time.perf_counter() - started
    order_sync.refresh_planner_statistics()   # as after a first import

    target = target_for(merchant)
    target.create_accounts(merchant, [AccountData(code, name, type) for code, name, type, _ in BOOKS])
    map_accounts(merchant, {(kind, ""): code for code, _, _, kind in BOOKS})
    target.create_customers(merchant, [CustomerData(name="Web shop customers", number="WEB")])
    target.create_locations(merchant, [LocationData("MAIN", "Main warehouse")])
    sold = {sku.strip(): name for sku, name in ShopifyOrderLine.objects.filter(
        merchant=merchant, is_gift_card=False).values_list("sku", "name")}
    skus = sorted(sku for sku in sold if sku and len(sku) <= ITEM_NO_MAX)
    for first in range(0, len(skus), ITEMS_PER_CALL):
        target.create_items(merchant, [ItemData(description=sold[sku][:100], number=sku)
                                       for sku in skus[first:first + ITEMS_PER_CALL]])
    return {
        "orders": counts.read, "import s": round(seconds, 1), "import orders/s": round(counts.read / seconds),
        "items": len(skus), "SKUs without item": len(sold) - len(skus),
        "import peak RSS MB": _peak_rss_mb(),
    }


class Statements:
    """An execute wrapper: every statement run (executemany once), and, when asked, their SQL text."""

    def __init__(self, *, keep_sql: bool) -> None:
        self.count = 0
        self.keep_sql = keep_sql
        self.by_text: Counter[str] = Counter()

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        if self.keep_sql:
            self.by_text[statement_text(sql)] += 1
        return execute(sql, params, many, context)


_SAVEPOINT = re.compile(r'"s\d+_x\d+"')
_PLACEHOLDERS = re.compile(r"\((?:%s, )*%s\)")
_ROWS = re.compile(r"\(…\)(?:, \(…\))+")
_COLUMNS = re.compile(r"^SELECT .*? FROM ", re.DOTALL)
_INSERTED = re.compile(r'^(INSERT INTO "\w+") \(.*?\) (VALUES|SELECT \* FROM UNNEST)')
_UNNESTED = re.compile(r"UNNEST\(.*?\)( RETURNING|$)", re.DOTALL)
_JOINED = re.compile(r'(?:INNER|LEFT OUTER) JOIN ("\w+"(?: T\d+)?) ON \([^)]*\)')
_ORDERED = re.compile(r" ORDER BY .*?(?= LIMIT | FOR UPDATE|$)", re.DOTALL)


def statement_text(sql: str) -> str:
    """The statement with its lists of placeholders, columns, join conditions and orderings folded,
    so that repeats group."""
    sql = _ROWS.sub("(…), …", _PLACEHOLDERS.sub("(…)", _SAVEPOINT.sub("<sid>", sql)))
    sql = _INSERTED.sub(r"\1 (…) \2", _COLUMNS.sub("SELECT … FROM ", sql))
    sql = _UNNESTED.sub(r"UNNEST(…)\1", sql)
    return _ORDERED.sub(" ORDER BY …", _JOINED.sub(r"JOIN \1", sql))


class Batches:
    """A step's progress callback: the statements and the orders/documents of each batch."""

    def __init__(self, statements: Statements) -> None:
        self.statements = statements
        self.done: list[tuple[int, int]] = []       # (statements, read) per batch
        self._statements = statements.count
        self._read = 0

    def __call__(self, counts) -> None:
        self.done.append((self.statements.count - self._statements, counts.read - self._read))
        self._statements, self._read = self.statements.count, counts.read


def documents(keep_sql: bool) -> dict:
    """Child 2, a fresh process on child 1's database: the three steps, measured."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "syncsite.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Sum

    from connectors.ledger.models import JournalLine, PostedSalesInvoice
    from connectors.ledger.records import DocumentType
    from connectors.ledger.target import target_for
    from merchants.models import Merchant
    from syncjobs.documents.posting import CHUNK, PostingFilters, post_documents
    from syncjobs.documents.processing import BATCH, create_documents

    merchant = Merchant.objects.get(code="BENCH")
    target = target_for(merchant)
    steps, figures = [], {}
    statements = Statements(keep_sql=keep_sql)
    with connection.execute_wrapper(statements):
        for name, unit, size, run in (
                ("30103 create documents", "order", BATCH,
                 lambda progress: create_documents(merchant, target=target, progress=progress)),
                ("297 post invoices", "document", CHUNK,
                 lambda progress: post_documents(merchant, DocumentType.INVOICE, target=target,
                                                 filters=PostingFilters(), progress=progress)),
                ("296 ship+invoice orders", "document", CHUNK,
                 lambda progress: post_documents(merchant, DocumentType.ORDER, target=target, filters=PostingFilters(),
                                                 ship=True, invoice=True, progress=progress))):
            batches = Batches(statements)
            statements.by_text.clear()
            first = statements.count
            started = time.perf_counter()
            counts = run(batches)
            seconds = time.perf_counter() - started
            total = statements.count - first
            # The full batches; a run smaller than one batch shows its only one, and says how big it was.
            full = [(made, read) for made, read in batches.done if read == size] or batches.done
            steps.append({
                "step": name, "unit": unit, "read": counts.read, "seconds": round(seconds, 1),
                "per s": round(counts.read / seconds) if seconds else 0,
                "queries": total, "queries/unit": round(total / counts.read, 2) if counts.read else 0,
                "queries/batch": f"{min(full)[0]}-{max(full)[0]} ({full[0][1]})" if full else "-",
                "peak RSS MB": _peak_rss_mb(),
                "statements": [(round(n / max(counts.read, 1), 2), text)
                               for text, n in statements.by_text.most_common(25)],
            })
            figures[name] = counts
    made = figures["30103 create documents"]
    invoices, orders = figures["297 post invoices"], figures["296 ship+invoice orders"]
    journals = PostedSalesInvoice.objects.filter(merchant=merchant, journal__isnull=False).values("journal_id")
    sums = JournalLine.objects.filter(journal_id__in=journals).aggregate(debit=Sum("debit"), credit=Sum("credit"))
    return {
        "steps": steps, "made": made.made, "skipped": made.skipped, "failed": made.failed,
        "reasons": _first_distinct(why for _, _, why in made.errors),
        "invoices posted": invoices.posted, "orders posted": orders.posted, "orders shipped only": orders.shipped,
        "posting failed": invoices.failed + orders.failed,
        "posting reasons": _first_distinct(why for _, why in invoices.errors + orders.errors),
        "posted invoices": PostedSalesInvoice.objects.filter(merchant=merchant).count(),
        "debit": f"{sums['debit'] or 0:,.2f}", "credit": f"{sums['credit'] or 0:,.2f}",
    }


def _first_distinct(reasons, how_many: int = 3) -> list[str]:
    return [why[:300] for why in dict.fromkeys(reasons)][:how_many]


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run(orders: int, database: str, keep_sql: bool) -> dict:
    with simulator("--orders", str(orders), "--plan", "unlimited") as (port, token, _):
        loaded, measured = run_children("bench.sales_documents", [["load"], ["documents", "sql" if keep_sql else "-"]],
                                        database=database, port=port, token=token)
    return {"database": database, **loaded, **measured}


def report(rows: list[dict], *, statements: bool) -> None:
    columns = ("database", "orders", "step", "read", "seconds", "per s", "queries/unit", "queries/batch",
               "peak RSS MB")
    widths = (8, 6, 23, 6, 7, 6, 12, 16, 11)
    print("  ".join(f"{c:>{w}}" for c, w in zip(columns, widths)))
    for row in rows:
        import_row = {"step": "bulk import (apart)", "read": row["orders"], "seconds": row["import s"],
                      "per s": row["import orders/s"], "queries/unit": "", "queries/batch": "",
                      "peak RSS MB": row["import peak RSS MB"]}
        for step in [import_row, *row["steps"]]:
            values = {"database": row["database"], "orders": row["orders"], **step}
            print("  ".join(f"{values[c]!s:>{w}}" for c, w in zip(columns, widths)))
    for row in rows:
        made = ", ".join(f"{n:,} {kind}s" for kind, n in sorted(row["made"].items()))
        print(f"\n{row['database']}, {row['orders']:,} orders: {row['items']:,} items made for the SKUs sold "
              f"({row['SKUs without item']:,} SKUs too long or blank, left unmapped)")
        print(f"  documents made: {made}; {row['skipped']:,} orders cancelled or test (no document); "
              f"{row['failed']:,} orders failed")
        for why in row["reasons"]:
            print(f"    - {why}")
        print(f"  posted: {row['invoices posted']:,} invoices (297), {row['orders posted']:,} orders shipped and "
              f"invoiced (296), {row['orders shipped only']:,} shipped only; {row['posting failed']:,} failed")
        for why in row["posting reasons"]:
            print(f"    - {why}")
        print(f"  the {row['posted invoices']:,} posted invoices' G/L entries: debit {row['debit']}, credit "
              f"{row['credit']}: {'balanced' if row['debit'] == row['credit'] else 'NOT BALANCED'}")
        if statements:
            for step in row["steps"]:
                print(f"  {step['step']}: statements per {step['unit']} (of {step['queries/unit']})")
                for per, text in step["statements"]:
                    print(f"    {per:>7}  {text[:200]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", default="1000,10000")
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--statements", action="store_true", help="print each step's statements by SQL text")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(load() if args.child[0] == "load" else documents(args.child[1] == "sql")))
        return
    databases = ("postgres", "sqlite") if args.database == "both" else (args.database,)
    rows = [run(int(size), database, args.statements) for database in databases for size in args.orders.split(",")]
    report(rows, statements=args.statements)


if __name__ == "__main__":
    main()
