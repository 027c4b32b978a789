"""A second accounting target, held in memory: customers, items (with pictures), price lists and stock
behind the same interface as the built-in ledger (connectors.ledger.target), with the same rules
(numbers from a series, exact contact and tax ID matching, all-or-none batches, the prices of a day,
stock only ever added to). The sync tests run against both, which keeps the interface honest:
nothing a sync does may depend on the ledger's tables."""
from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

from django.utils import timezone

from connectors.ledger.errors import LedgerError, NumberTaken, UnknownRecords
from connectors.ledger.prices import prices_on
from connectors.ledger.records import (
    BillTo,
    CustomerData,
    ItemData,
    LocationData,
    PictureData,
    PriceLineData,
    PriceListData,
    StockEntry,
    StockKey,
)
from core.contacts import e164_phone, normalized_email, normalized_tax_id


class _Books:
    def __init__(self) -> None:
        self.customers: dict[str, CustomerData] = {}
        self.customers_changed: dict[str, object] = {}
        self.items: dict[str, ItemData] = {}
        self.items_changed: dict[str, object] = {}
        self.pictures: dict[str, PictureData] = {}
        self.price_lists: dict[str, PriceListData] = {}
        self.price_lines: dict[str, tuple[PriceLineData, ...]] = {}
        self.locations: dict[str, LocationData] = {}
        self.entries: list[StockEntry] = []
        self.series: dict[str, int] = defaultdict(int)


class InMemoryTarget:
    def __init__(self) -> None:
        self._books: dict[int, _Books] = defaultdict(_Books)
        self._lock = threading.Lock()

    def books(self, merchant) -> _Books:
        return self._books[merchant.pk]

    # Accounts and journals are the built-in ledger's alone for now: the daily journal reads its
    # account mappings, which name the ledger's accounts.
    def list_accounts(self, merchant, *args, **kwargs):
        raise LedgerError("the in-memory target keeps no chart of accounts")

    create_accounts = create_accounts_in_range = post_journals = journal_url = list_accounts

    def has_postings(self, merchant) -> bool:
        return False

    # Sales documents post to accounts and journals, which it does not keep either.
    def create_sales_documents(self, merchant, *args, **kwargs):
        raise LedgerError("the in-memory target keeps no sales documents")

    get_sales_documents = sales_document_numbers = post_sales_documents = create_sales_documents
    replace_sales_documents = create_sales_documents
    documents_of_shopify_orders = create_sales_documents

    def document_url(self, kind: str, number: str) -> str:
        raise LedgerError("the in-memory target keeps no sales documents")

    # Posted shipments come from posting sales documents; stock available is on hand less what open
    # documents will take: neither is kept here.
    def posted_shipments(self, merchant, *args, **kwargs):
        raise LedgerError("the in-memory target keeps no posted shipments")

    def shipment_url(self, number: str) -> str:
        raise LedgerError("the in-memory target keeps no posted shipments")

    def stock_levels(self, merchant, *args, **kwargs):
        raise LedgerError("the in-memory target reckons no stock levels for Shopify: it keeps no sales documents")

    # Customer payments apply to the customer ledger entries posted invoices open: none are kept here.
    def apply_customer_payments(self, merchant, *args, **kwargs):
        raise LedgerError("the in-memory target keeps no customer ledger entries: customer payments cannot be "
                          "applied to invoices there")

    # Customers
    def find_customers(self, merchant, *, emails=(), phones=()) -> list[CustomerData]:
        emails, phones = {e for e in emails if e}, {p for p in phones if p}
        found = [c for c in self.books(merchant).customers.values()
                 if normalized_email(c.email) in emails or e164_phone(c.phone, c.country) in phones]
        return sorted(found, key=lambda c: c.number)

    def find_customers_by_tax_id(self, merchant, tax_ids) -> list[CustomerData]:
        wanted = {normalized_tax_id(t) for t in tax_ids} - {""}
        return sorted((c for c in self.books(merchant).customers.values()
                       if normalized_tax_id(c.tax_registration_no) in wanted), key=lambda c: c.number)

    def b2b_customer_numbers(self, merchant) -> list[str]:
        return sorted(n for n, c in self.books(merchant).customers.items() if c.b2b_company and not c.blocked)

    def find_customers_billed_to(self, merchant, bill_tos: list[BillTo]) -> list[CustomerData]:
        wanted = {b.key() for b in bill_tos if any(b.key())}
        return sorted((c for c in self.books(merchant).customers.values() if BillTo.of(c).key() in wanted),
                      key=lambda c: c.number)

    def get_customers(self, merchant, numbers) -> dict[str, CustomerData]:
        customers = self.books(merchant).customers
        return {n: customers[n] for n in set(numbers) if n in customers}

    def customer_numbers(self, merchant, *, changed_since=None) -> list[str]:
        changed = self.books(merchant).customers_changed
        return sorted(n for n in changed if changed_since is None or changed[n] >= changed_since)

    def create_customers(self, merchant, drafts: list[CustomerData]) -> list[CustomerData]:
        return self._create(merchant, "customers", drafts, what="customer", prefix="C")

    def update_customers(self, merchant, records: list[CustomerData]) -> list[str]:
        return self._update(merchant, "customers", records, what="customer")

    # Items
    def get_items(self, merchant, numbers) -> dict[str, ItemData]:
        items = self.books(merchant).items
        return {n: items[n] for n in set(numbers) if n in items}

    def find_items(self, merchant, *, barcodes=(), vendor_item_nos=()) -> dict[str, ItemData]:
        barcodes, vendor = set(barcodes), set(vendor_item_nos) - {""}
        return {n: i for n, i in self.books(merchant).items.items()
                if i.vendor_item_no in vendor or any(b.barcode in barcodes for b in i.barcodes)}

    def item_numbers(self, merchant, *, changed_since=None) -> list[str]:
        changed = self.books(merchant).items_changed
        return sorted(n for n in changed if changed_since is None or changed[n] >= changed_since)

    def create_items(self, merchant, drafts: list[ItemData]) -> list[ItemData]:
        return self._create(merchant, "items", drafts, what="item", prefix="I")

    def update_items(self, merchant, records: list[ItemData]) -> list[str]:
        return self._update(merchant, "items", records, what="item")

    def item_picture_hashes(self, merchant, numbers) -> dict[str, str]:
        pictures = self.books(merchant).pictures
        return {n: pictures[n].content_hash for n in set(numbers) if n in pictures}

    def get_item_pictures(self, merchant, numbers) -> dict[str, PictureData]:
        pictures = self.books(merchant).pictures
        return {n: pictures[n] for n in set(numbers) if n in pictures}

    def set_item_pictures(self, merchant, pictures: dict[str, PictureData]) -> list[str]:
        with self._lock:
            books = self.books(merchant)
            if set(pictures) - set(books.items):
                raise UnknownRecords("item", set(pictures) - set(books.items))
            changed = sorted(n for n, p in pictures.items()
                             if n not in books.pictures or books.pictures[n].content_hash != p.content_hash)
            books.pictures.update({n: pictures[n] for n in changed})
        return changed

    # Price lists: the interface only reads them; a test puts them in with `put_price_list`.
    def get_price_lists(self, merchant, codes) -> dict[str, PriceListData]:
        lists = self.books(merchant).price_lists
        return {c: lists[c] for c in set(codes) if c in lists}

    def price_list_prices(self, merchant, code: str, keys, *, on) -> dict[tuple[str, str], Decimal]:
        keys = {(item, variant or "") for item, variant in keys}
        return prices_on(self.books(merchant).price_lines.get(code, ()), keys, on=on) if keys else {}

    def put_price_list(self, merchant, price_list: PriceListData, lines=()) -> None:
        """The list with exactly `lines` (its earlier ones gone); all or none, UnknownRecords for an item
        or variant the books do not hold."""
        lines = tuple(lines)
        with self._lock:
            books = self.books(merchant)
            unknown = {line.item_no for line in lines} - set(books.items)
            if unknown:
                raise UnknownRecords("item", unknown)
            variants = {(n, v.code) for n, i in books.items.items() for v in i.variants}
            unknown = {f"{line.item_no} {line.variant_code}" for line in lines
                       if line.variant_code and (line.item_no, line.variant_code) not in variants}
            if unknown:
                raise UnknownRecords("item variant", unknown)
            books.price_lists[price_list.code] = price_list
            books.price_lines[price_list.code] = lines

    # Both kinds of record
    def _create(self, merchant, kind: str, drafts: list, *, what: str, prefix: str) -> list:
        """All or none; drafts without a number get the kind's next one."""
        with self._lock:
            books = self.books(merchant)
            table, changed = getattr(books, kind), getattr(books, f"{kind}_changed")
            created = self._numbered(books, table, drafts, what, prefix)
            for record in created:
                table[record.number] = record
                changed[record.number] = timezone.now()
        return created

    def _update(self, merchant, kind: str, records: list, *, what: str) -> list[str]:
        with self._lock:
            books = self.books(merchant)
            table, changed_at = getattr(books, kind), getattr(books, f"{kind}_changed")
            missing = {r.number for r in records} - set(table)
            if missing:
                raise UnknownRecords(what, missing)
            changed = [r.number for r in records if table[r.number] != r]
            for record in records:
                if record.number in changed:
                    table[record.number] = record
                    changed_at[record.number] = timezone.now()
        return changed

    # Stock
    def list_locations(self, merchant) -> list[LocationData]:
        return sorted(self.books(merchant).locations.values(), key=lambda loc: loc.code)

    def create_locations(self, merchant, locations: list[LocationData]) -> None:
        with self._lock:
            books = self.books(merchant)
            for location in locations:
                books.locations.setdefault(location.code, location)

    def post_stock(self, merchant, entries: list[StockEntry]) -> int:
        with self._lock:
            books = self.books(merchant)
            for what, known, wanted in (
                    ("item", set(books.items), {e.key.item for e in entries}),
                    ("location", set(books.locations), {e.key.location for e in entries}),
                    ("item variant", {f"{n} {v.code}" for n, i in books.items.items() for v in i.variants},
                     {f"{e.key.item} {e.key.variant}" for e in entries if e.key.variant})):
                if wanted - known:
                    raise UnknownRecords(what, wanted - known)
            moving = [e for e in entries if e.quantity]
            books.entries.extend(moving)
        return len(moving)

    def stock(self, merchant, *, items=None, location: str | None = None) -> dict[StockKey, Decimal]:
        totals: dict[StockKey, Decimal] = defaultdict(Decimal)
        for entry in self.books(merchant).entries:
            if (items is None or entry.key.item in items) and (location is None or entry.key.location == location):
                totals[entry.key] += entry.quantity
        return dict(totals)

    @staticmethod
    def _numbered(books: _Books, existing: dict, drafts: list, what: str, prefix: str) -> list:
        given = [d.number for d in drafts if d.number]
        clash = next((n for n in given if n in existing or given.count(n) > 1), None)
        if clash:
            raise NumberTaken(what, clash)
        numbered = []
        for draft in drafts:
            if draft.number:
                numbered.append(draft)
                continue
            while True:
                books.series[what] += 1
                number = f"{prefix}{books.series[what]:05d}"
                if number not in existing and number not in given:
                    break
            numbered.append(replace(draft, number=number))
        return numbered
