"""The accounting-target interface (L2) and its built-in implementation.

Syncs reach the books only through `target_for(merchant)`, so another accounting system can be
added later by implementing `AccountingTarget`. Every call is batch-shaped (lists in, results keyed
by record number out) and takes and gives plain values (connectors.ledger.records), never rows. A
second, in-memory target (connectors.ledger.memory_target) implements customers, items, price lists
and stock, and their sync tests run over both. Sales documents (created by
30103, posted by 296/297), the posted shipments 30109 reads, the stock levels 30102 sends and the
customer payments a documents-mode shop's payments journal applies the built-in ledger implements;
the in-memory target refuses them plainly.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Iterator, Protocol

from django.urls import reverse

from connectors.ledger import (
    accounts,
    customer_payments,
    customers,
    items,
    journals,
    prices,
    sales_documents,
    sales_posting,
    sales_selectors,
    shipments,
    stock,
)
from connectors.ledger.records import (
    AccountData,
    BillTo,
    CustomerData,
    CustomerPaymentData,
    DocumentOutcome,
    DocumentRef,
    ItemData,
    JournalData,
    LocationData,
    PictureData,
    PostingResult,
    PriceListData,
    SalesDocumentData,
    ShipmentData,
    StockEntry,
    StockKey,
)

if TYPE_CHECKING:
    from merchants.models import Merchant


class AccountingTarget(Protocol):
    # Accounts and journals
    def list_accounts(self, merchant: Merchant, *, active_only: bool = False) -> list[AccountData]: ...

    def create_accounts(self, merchant: Merchant, drafts: list[AccountData]) -> list[AccountData]:
        """All or none; AccountCodeTaken when a code is in the chart already."""

    def create_accounts_in_range(self, merchant: Merchant, *, first_code: str, last_code: str,
                                 drafts: list[AccountData]) -> list[AccountData]:
        """Auto-created accounts with the lowest free numeric codes in the range; NoFreeAccountCode."""

    def post_journals(self, merchant: Merchant, journals: list[JournalData]) -> list[JournalData]:
        """All or none, each balanced on active accounts; the journals numbered. JournalAlreadyPosted
        when a day's daily journal is in the books already."""

    def journal_url(self, number: str) -> str:
        """Where a person sees the posted journal."""

    def has_postings(self, merchant: Merchant) -> bool: ...

    # Customers
    def find_customers(self, merchant: Merchant, *, emails=(), phones=()) -> list[CustomerData]:
        """Customers whose lower-cased email or E.164 phone is one of those given."""

    def find_customers_billed_to(self, merchant: Merchant, bill_tos: list[BillTo]) -> list[CustomerData]:
        """Customers whose name and address equal one of `bill_tos`, ignoring case and spaces."""

    def get_customers(self, merchant: Merchant, numbers) -> dict[str, CustomerData]: ...

    def find_customers_by_tax_id(self, merchant: Merchant, tax_ids) -> list[CustomerData]:
        """Customers whose tax registration no. is one of `tax_ids`, compared normalised
        (core.contacts.normalized_tax_id: upper case, no spaces, dots or dashes)."""

    def b2b_customer_numbers(self, merchant: Merchant) -> list[str]:
        """The customers marked "B2B company" (in number order), not blocked."""

    def customer_numbers(self, merchant: Merchant, *, changed_since: datetime | None = None) -> list[str]: ...

    def create_customers(self, merchant: Merchant, drafts: list[CustomerData]) -> list[CustomerData]:
        """All or none; drafts without a number are numbered by the target."""

    def update_customers(self, merchant: Merchant, records: list[CustomerData]) -> list[str]:
        """The numbers of the records that changed."""

    # Items
    def get_items(self, merchant: Merchant, numbers) -> dict[str, ItemData]: ...

    def find_items(self, merchant: Merchant, *, barcodes=(), vendor_item_nos=()) -> dict[str, ItemData]: ...

    def item_numbers(self, merchant: Merchant, *, changed_since: datetime | None = None) -> list[str]: ...

    def create_items(self, merchant: Merchant, drafts: list[ItemData]) -> list[ItemData]: ...

    def update_items(self, merchant: Merchant, records: list[ItemData]) -> list[str]: ...

    def item_picture_hashes(self, merchant: Merchant, numbers) -> dict[str, str]:
        """Each picture's content hash, for the items that have one, without reading the pictures."""

    def get_item_pictures(self, merchant: Merchant, numbers) -> dict[str, PictureData]: ...

    def set_item_pictures(self, merchant: Merchant, pictures: dict[str, PictureData]) -> list[str]:
        """All or none; the numbers whose picture changed."""

    # Price lists
    def get_price_lists(self, merchant: Merchant, codes) -> dict[str, PriceListData]: ...

    def price_list_prices(self, merchant: Merchant, code: str, keys, *, on: date) -> dict[tuple[str, str], Decimal]:
        """(item no., variant code) -> the unit price price list `code` gives it on day `on`: the
        variant's own line, else the item's (blank variant code); of the lines valid that day (starting
        date blank or <= on, ending date blank or >= on), the latest starting. A key absent has none.
        A fixed number of queries for any number of keys."""

    # Stock
    def list_locations(self, merchant: Merchant) -> list[LocationData]: ...

    def create_locations(self, merchant: Merchant, locations: list[LocationData]) -> None: ...

    def post_stock(self, merchant: Merchant, entries: list[StockEntry]) -> int:
        """Add the movements, all or none; the number added."""

    def stock(self, merchant: Merchant, *, items=None, location: str | None = None) -> dict[StockKey, Decimal]:
        """Quantity on hand per item, variant and location."""

    def stock_levels(self, merchant: Merchant, *, locations: list[str], calculation: str,
                     items: set[str] | None = None) -> dict[tuple[str, str], Decimal]:
        """(item no., variant code) -> quantity of the inventory items summed over `locations` (codes),
        of `items` only when given: on hand (StockCalculation.ON_HAND), or on hand less what the open
        sales orders and invoices not shipped yet at those locations will take (AVAILABLE). A key
        absent has none. NotAStockCalculation for DISABLED or an unknown one. A fixed number of
        queries."""

    # Sales documents
    def create_sales_documents(self, merchant: Merchant, drafts: list[SalesDocumentData]) -> list[DocumentOutcome]:
        """One outcome per draft, in order: created (numbered, released when asked), or refused with
        the reason (unknown or blocked customer or item, an account line or a money kind with no
        usable account, a number taken or not usable). The created ones are written together, in one
        transaction; a refused draft writes nothing."""

    def replace_sales_documents(self, merchant: Merchant, drafts: list[SalesDocumentData]) -> list[DocumentOutcome]:
        """Each open document of the drafts' type and number made again from its draft, or refused
        (posted, shipped, gone, or the draft refused as on creation); one outcome per draft."""

    def get_sales_documents(self, merchant: Merchant, type: str, numbers) -> dict[str, SalesDocumentData]: ...

    def sales_document_numbers(self, merchant: Merchant, type: str, *, released_only: bool = False,
                               shopify_only: bool = False, date_from: date | None = None,
                               date_to: date | None = None) -> list[str]:
        """The open documents of `type` (in number order) the filters choose."""

    def post_sales_documents(self, merchant: Merchant, type: str, numbers, *, ship: bool = True,
                             invoice: bool = True, posting_date: date | None = None) -> list[PostingResult]:
        """Post each document in its own transaction: an order ships (a posted shipment, item ledger
        entries) and/or invoices (a posted invoice, its G/L journal, a customer ledger entry); an
        invoice posts both at once. A credit memo or return order posts with Invoice, at once: a
        posted credit memo, its G/L journal (the mirror image of an invoice's: returned goods to
        refunds, or sales when refunds has no mapping), a customer ledger entry of a negative amount,
        its restocked goods back in stock at its location (an exchange's, of a negative quantity,
        out). A document fully posted leaves the open documents. One that cannot post (not released,
        an order invoiced before it is shipped, a mapping missing) has its reason in its result, and
        nothing of it is written. One posted meanwhile by another run is left out."""

    def documents_of_shopify_orders(self, merchant: Merchant, order_ids) -> dict[str, list[DocumentRef]]:
        """Every document, open or posted, that carries one of the Shopify order GIDs (a posted credit
        memo's source_no is the credit memo or return order it was posted from)."""

    def document_url(self, kind: str, number: str) -> str:
        """Where a person sees the document (a DocumentType or a posted kind)."""

    # Posted shipments
    def posted_shipments(self, merchant: Merchant, *, numbers=None, shopify_only: bool = True,
                         after_number: str = "", limit: int | None = None) -> list[ShipmentData]:
        """The posted shipments in number order, with their lines and tracking (company, number and
        URL from the shipping agent): of `numbers` when given, of Shopify orders only unless told
        otherwise, numbered after `after_number`, at most `limit`. A fixed number of queries."""

    def shipment_url(self, number: str) -> str:
        """Where a person sees the posted shipment (and edits its tracking)."""

    # Customer payments (documents-mode shops)
    def apply_customer_payments(self, merchant: Merchant, payments: list[CustomerPaymentData]) -> int:
        """One customer ledger entry per payment of a Shopify order: a payment (amount > 0, entered
        negative) or a refund (amount < 0, entered positive), on the customer of the order's posted
        invoice, else of its sales document, else `customer_no`, else the shop's default customer;
        then each order's open entries applied to each other (invoice ← payment, credit memo ← refund,
        then whatever is left, oldest first), to the cent. Posting an invoice or credit memo later
        applies the entries of its order at once. All or none: PaymentRefused (a LedgerError) names
        the payments that cannot be entered (no customer, not in cents, entered already). A payment
        of 0.00 enters nothing. The number of entries made; a fixed number of queries. Called inside
        the transaction that posts the payments' journal (`document_no`)."""


class BuiltinLedger:
    """syncsite's own ledger, in this database."""

    list_accounts = staticmethod(accounts.list_accounts)
    create_accounts = staticmethod(accounts.create_accounts)
    create_accounts_in_range = staticmethod(accounts.create_accounts_in_range)
    post_journals = staticmethod(journals.post_journals)
    has_postings = staticmethod(journals.has_postings)

    @staticmethod
    def journal_url(number: str) -> str:
        return reverse("admin:ledger_journalentry_change", args=[number])

    find_customers = staticmethod(customers.find_customers)
    find_customers_billed_to = staticmethod(customers.find_customers_billed_to)
    get_customers = staticmethod(customers.get_customers)
    find_customers_by_tax_id = staticmethod(customers.find_customers_by_tax_id)
    b2b_customer_numbers = staticmethod(customers.b2b_customer_numbers)
    customer_numbers = staticmethod(customers.customer_numbers)
    create_customers = staticmethod(customers.create_customers)
    update_customers = staticmethod(customers.update_customers)
    get_items = staticmethod(items.get_items)
    find_items = staticmethod(items.find_items)
    item_numbers = staticmethod(items.item_numbers)
    create_items = staticmethod(items.create_items)
    update_items = staticmethod(items.update_items)
    item_picture_hashes = staticmethod(items.item_picture_hashes)
    get_item_pictures = staticmethod(items.get_item_pictures)
    set_item_pictures = staticmethod(items.set_item_pictures)
    get_price_lists = staticmethod(prices.get_price_lists)
    price_list_prices = staticmethod(prices.price_list_prices)
    list_locations = staticmethod(stock.list_locations)
    create_locations = staticmethod(stock.create_locations)
    post_stock = staticmethod(stock.post_stock)
    stock_levels = staticmethod(stock.stock_levels)
    stock = staticmethod(stock.stock)   # from here, `stock` in this class is the method
    create_sales_documents = staticmethod(sales_documents.create_sales_documents)
    replace_sales_documents = staticmethod(sales_documents.replace_sales_documents)
    get_sales_documents = staticmethod(sales_selectors.get_sales_documents)
    sales_document_numbers = staticmethod(sales_selectors.sales_document_numbers)
    post_sales_documents = staticmethod(sales_posting.post_sales_documents)
    documents_of_shopify_orders = staticmethod(sales_selectors.documents_of_shopify_orders)

    @staticmethod
    def document_url(kind: str, number: str) -> str:
        """A page that opens the document of that number among the shops the person may see (the list
        of them, for staff, when several shops use the number)."""
        return reverse("admin:ledger_salesdocument_open", args=[kind, number])

    posted_shipments = staticmethod(shipments.posted_shipments)
    apply_customer_payments = staticmethod(customer_payments.apply_customer_payments)

    @staticmethod
    def shipment_url(number: str) -> str:
        return BuiltinLedger.document_url(sales_selectors.POSTED_SHIPMENT, number)


_BUILTIN = BuiltinLedger()
_override: list[AccountingTarget] = []


def target_for(merchant: Merchant) -> AccountingTarget:
    return _override[-1] if _override else _BUILTIN


@contextmanager
def books_kept_by(target: AccountingTarget) -> Iterator[AccountingTarget]:
    """Every sync in the block reaches `target` instead of the built-in ledger (tests run the same
    syncs against the in-memory target this way)."""
    _override.append(target)
    try:
        yield target
    finally:
        _override.remove(target)
