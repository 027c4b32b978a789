"""The accounting-target interface (L2) and its built-in implementation.

Syncs reach the books only through `target_for(merchant)`, so another accounting system can be
added later by implementing `AccountingTarget`. Customers, items and stock are batch-shaped (lists
in, results keyed by record number out) and plain values (connectors.ledger.records); a second,
in-memory target (connectors.ledger.memory_target) implements them too, and the sync tests run over
both. Documents join this interface with the issue that brings them.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Iterator, Protocol

from django.db import IntegrityError, transaction

from connectors.ledger import customers, items, stock
from connectors.ledger.errors import AccountCodeTaken, NoFreeAccountCode
from connectors.ledger.journals import JournalDraft, post_journal
from connectors.ledger.models import Account, AccountType, JournalEntry
from connectors.ledger.records import BillTo, CustomerData, ItemData, LocationData, StockEntry, StockKey

if TYPE_CHECKING:
    from merchants.models import Merchant


class AccountingTarget(Protocol):
    def list_accounts(self, *, merchant: Merchant, active_only: bool = False) -> list[Account]: ...

    def create_account(self, *, merchant: Merchant, code: str, name: str, type: AccountType) -> Account: ...

    def create_account_in_range(
        self, *, merchant: Merchant, first_code: str, last_code: str, name: str, type: AccountType
    ) -> Account: ...

    def post_journal(self, draft: JournalDraft) -> JournalEntry: ...

    def has_postings(self, *, merchant: Merchant) -> bool: ...

    # Customers
    def find_customers(self, merchant: Merchant, *, emails=(), phones=()) -> list[CustomerData]:
        """Customers whose lower-cased email or E.164 phone is one of those given."""

    def find_customers_billed_to(self, merchant: Merchant, bill_tos: list[BillTo]) -> list[CustomerData]:
        """Customers whose name and address equal one of `bill_tos`, ignoring case and spaces."""

    def get_customers(self, merchant: Merchant, numbers) -> dict[str, CustomerData]: ...

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

    # Stock
    def list_locations(self, merchant: Merchant) -> list[LocationData]: ...

    def create_locations(self, merchant: Merchant, locations: list[LocationData]) -> None: ...

    def post_stock(self, merchant: Merchant, entries: list[StockEntry]) -> int:
        """Add the movements, all or none; the number added."""

    def stock(self, merchant: Merchant, *, items=None, location: str | None = None) -> dict[StockKey, Decimal]:
        """Quantity on hand per item, variant and location."""


class BuiltinLedger:
    """syncsite's own ledger, in this database."""

    def list_accounts(self, *, merchant: Merchant, active_only: bool = False) -> list[Account]:
        accounts = Account.objects.filter(merchant=merchant)
        if active_only:
            accounts = accounts.filter(is_active=True)
        return list(accounts.order_by("code"))

    def create_account(self, *, merchant: Merchant, code: str, name: str, type: AccountType,
                       is_auto_created: bool = False) -> Account:
        try:
            with transaction.atomic():
                return Account.objects.create(
                    merchant=merchant, code=code, name=name, type=type, is_auto_created=is_auto_created
                )
        except IntegrityError as exc:
            raise AccountCodeTaken(code) from exc

    def create_account_in_range(
        self, *, merchant: Merchant, first_code: str, last_code: str, name: str, type: AccountType
    ) -> Account:
        """An auto-created account with the lowest free numeric code in [first_code, last_code]."""
        first, last = int(first_code), int(last_code)
        width = len(first_code)
        taken = {
            int(code)
            for code in Account.objects.filter(merchant=merchant).values_list("code", flat=True)
            if code.isdigit() and first <= int(code) <= last
        }
        for number in range(first, last + 1):
            if number not in taken:
                code = str(number).zfill(width)
                return self.create_account(
                    merchant=merchant, code=code, name=name, type=type, is_auto_created=True
                )
        raise NoFreeAccountCode(first_code, last_code)

    def post_journal(self, draft: JournalDraft) -> JournalEntry:
        return post_journal(draft)

    def has_postings(self, *, merchant: Merchant) -> bool:
        return JournalEntry.objects.filter(merchant=merchant).exists()

    find_customers = staticmethod(customers.find_customers)
    find_customers_billed_to = staticmethod(customers.find_customers_billed_to)
    get_customers = staticmethod(customers.get_customers)
    customer_numbers = staticmethod(customers.customer_numbers)
    create_customers = staticmethod(customers.create_customers)
    update_customers = staticmethod(customers.update_customers)
    get_items = staticmethod(items.get_items)
    find_items = staticmethod(items.find_items)
    item_numbers = staticmethod(items.item_numbers)
    create_items = staticmethod(items.create_items)
    update_items = staticmethod(items.update_items)
    list_locations = staticmethod(stock.list_locations)
    create_locations = staticmethod(stock.create_locations)
    post_stock = staticmethod(stock.post_stock)
    stock = staticmethod(stock.stock)


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
