"""The accounting-target interface (L2) and its built-in implementation.

Syncs reach the books only through `target_for(merchant)`, so another accounting system can be
added later by implementing `AccountingTarget`. Documents join this interface with the issue that
brings them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.db import IntegrityError, transaction

from connectors.ledger.errors import AccountCodeTaken, NoFreeAccountCode
from connectors.ledger.journals import JournalDraft, post_journal
from connectors.ledger.models import Account, AccountType, JournalEntry

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


def target_for(merchant: Merchant) -> AccountingTarget:
    return BuiltinLedger()
