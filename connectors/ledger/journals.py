"""Posting journals: double-entry, balanced to the cent, all lines or none (L1). Plain values in
and out (connectors.ledger.records); a journal's number is its row's id."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from django.db import IntegrityError, transaction

from connectors.ledger.errors import AccountNotPostable, JournalAlreadyPosted, JournalNotBalanced
from connectors.ledger.models import Account, JournalEntry, JournalKind, JournalLine
from connectors.ledger.records import JournalData

CENT = Decimal("0.01")


def check_journal(journal: JournalData, accounts: dict[str, Account]) -> None:
    """Raise unless every line is a whole number of cents on one side, on an active account of the
    merchant (`accounts`, by code), and debits equal credits."""
    if not journal.lines:
        raise JournalNotBalanced("a journal needs at least one line")
    for line in journal.lines:
        for side in (line.debit, line.credit):
            if side < 0 or side != side.quantize(CENT):
                raise JournalNotBalanced(f"{line.description}: {side} is not a whole number of cents ≥ 0")
        if line.debit and line.credit:
            raise JournalNotBalanced(f"{line.description}: a line is a debit or a credit, not both")
        account = accounts.get(line.account)
        if account is None:
            raise AccountNotPostable(f"account {line.account} is not in this chart of accounts")
        if not account.is_active:
            raise AccountNotPostable(f"account {account} is inactive and cannot take postings")
    if journal.total_debit != journal.total_credit:
        raise JournalNotBalanced(
            f"debits {journal.total_debit} do not equal credits {journal.total_credit} in {journal.description}")


def post_journals(merchant, journals: list[JournalData]) -> list[JournalData]:
    """Post every journal or none; the journals as posted, numbered."""
    codes = {line.account for journal in journals for line in journal.lines}
    accounts = {a.code: a for a in Account.objects.filter(merchant=merchant, code__in=codes)}
    for journal in journals:
        check_journal(journal, accounts)
    posted = []
    try:
        with transaction.atomic():
            for journal in journals:
                # One insert per journal: its lines need its id.
                entry = JournalEntry.objects.create(
                    merchant=merchant, kind=journal.kind, posting_date=journal.posting_date, currency=journal.currency,
                    description=journal.description, source_reference=journal.source_reference)
                JournalLine.objects.bulk_create(
                    JournalLine(journal=entry, account=accounts[line.account], posting_date=journal.posting_date,
                                debit=line.debit, credit=line.credit, description=line.description,
                                money_kind=line.money_kind, key=line.key)
                    for line in journal.lines)
                posted.append(replace(journal, number=str(entry.pk)))
    except IntegrityError:
        daily = (JournalKind.DAILY_SALES, JournalKind.DAILY_PAYMENTS)
        days = [journal.posting_date for journal in journals if journal.kind in daily]
        taken = (JournalEntry.objects.filter(merchant=merchant, kind__in=daily, posting_date__in=days)
                 .order_by("posting_date").values_list("posting_date", "pk").first())
        if taken:
            raise JournalAlreadyPosted(merchant.code, taken[0], number=str(taken[1])) from None
        raise
    return posted


def has_postings(merchant) -> bool:
    return JournalEntry.objects.filter(merchant=merchant).exists()
