"""Posting a journal: double-entry, balanced to the cent, all lines or none (L1)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction

from connectors.ledger.errors import AccountNotPostable, JournalAlreadyPosted, JournalNotBalanced
from connectors.ledger.models import Account, JournalEntry, JournalKind, JournalLine

CENT = Decimal("0.01")


@dataclass(frozen=True)
class DraftLine:
    account: Account
    debit: Decimal
    credit: Decimal
    description: str
    money_kind: str = ""
    key: str = ""


@dataclass
class JournalDraft:
    merchant: object
    kind: str
    posting_date: date
    currency: str
    description: str
    source_reference: str
    lines: list[DraftLine] = field(default_factory=list)

    @property
    def total_debit(self) -> Decimal:
        return sum((line.debit for line in self.lines), Decimal("0"))

    @property
    def total_credit(self) -> Decimal:
        return sum((line.credit for line in self.lines), Decimal("0"))


def check_draft(draft: JournalDraft) -> None:
    """Raise unless every line is a whole number of cents on one side, on a usable account of the
    merchant, and debits equal credits."""
    if not draft.lines:
        raise JournalNotBalanced("a journal needs at least one line")
    for line in draft.lines:
        for side in (line.debit, line.credit):
            if side < 0 or side != side.quantize(CENT):
                raise JournalNotBalanced(f"{line.description}: {side} is not a whole number of cents ≥ 0")
        if line.debit and line.credit:
            raise JournalNotBalanced(f"{line.description}: a line is a debit or a credit, not both")
        if line.account.merchant_id != draft.merchant.pk:
            raise AccountNotPostable(f"account {line.account} belongs to another merchant")
        if not line.account.is_active:
            raise AccountNotPostable(f"account {line.account} is inactive and cannot take postings")
    if draft.total_debit != draft.total_credit:
        raise JournalNotBalanced(
            f"debits {draft.total_debit} do not equal credits {draft.total_credit} in {draft.description}")


def post_journal(draft: JournalDraft) -> JournalEntry:
    check_draft(draft)
    try:
        with transaction.atomic():
            journal = JournalEntry.objects.create(
                merchant=draft.merchant, kind=draft.kind, posting_date=draft.posting_date, currency=draft.currency,
                description=draft.description, source_reference=draft.source_reference,
            )
            JournalLine.objects.bulk_create(
                JournalLine(journal=journal, account=line.account, posting_date=draft.posting_date,
                            debit=line.debit, credit=line.credit, description=line.description,
                            money_kind=line.money_kind, key=line.key)
                for line in draft.lines
            )
    except IntegrityError:
        if draft.kind == JournalKind.DAILY_SALES and JournalEntry.objects.filter(
                merchant=draft.merchant, kind=draft.kind, posting_date=draft.posting_date).exists():
            raise JournalAlreadyPosted(draft.merchant.code, draft.posting_date) from None
        raise
    return journal
