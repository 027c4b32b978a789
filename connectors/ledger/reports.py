"""What a bookkeeper reads out of the ledger: a trial balance, and posted journals to load elsewhere."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Iterator

from django.db.models import Sum

from connectors.ledger.models import Account, JournalEntry, JournalLine

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
JOURNAL_COLUMNS = ("journal", "posting_date", "currency", "journal_description", "source_reference",
                   "account_code", "account_name", "debit", "credit", "line_description", "money_kind", "key")


@dataclass(frozen=True)
class TrialBalanceRow:
    code: str
    name: str
    type: str
    debit: Decimal
    credit: Decimal

    @property
    def balance(self) -> Decimal:
        return self.debit - self.credit


def trial_balance(*, merchant, start: date | None, end: date | None) -> list[TrialBalanceRow]:
    """Debits and credits per account over [start, end] (inclusive local days), in one aggregate."""
    lines = JournalLine.objects.filter(journal__merchant=merchant)
    if start:
        lines = lines.filter(posting_date__gte=start)
    if end:
        lines = lines.filter(posting_date__lte=end)
    totals = {row["account"]: row for row in lines.values("account").annotate(debit=Sum("debit"), credit=Sum("credit"))}
    accounts = Account.objects.filter(pk__in=list(totals)).order_by("code")
    # SQLite sums decimals as floating point: back to whole cents, as they were posted.
    return [TrialBalanceRow(a.code, a.name, a.get_type_display(), _cents(totals[a.pk]["debit"]),
                            _cents(totals[a.pk]["credit"])) for a in accounts]


def _cents(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def trial_balance_csv(rows: list[TrialBalanceRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["account_code", "account_name", "type", "debit", "credit", "balance"])
    for row in rows:
        writer.writerow([row.code, row.name, row.type, row.debit, row.credit, row.balance])
    writer.writerow(["", "Total", "", sum((r.debit for r in rows), ZERO), sum((r.credit for r in rows), ZERO),
                     sum((r.balance for r in rows), ZERO)])
    return out.getvalue()


def journal_rows(journals: Iterable[JournalEntry]) -> Iterator[dict]:
    """One row per journal line, with account codes, oldest day first."""
    lines = (JournalLine.objects.filter(journal__in=journals).select_related("journal", "account")
             .order_by("posting_date", "journal_id", "id"))
    for line in lines.iterator(chunk_size=2000):
        journal = line.journal
        yield {
            "journal": journal.pk, "posting_date": line.posting_date.isoformat(), "currency": journal.currency,
            "journal_description": journal.description, "source_reference": journal.source_reference,
            "account_code": line.account.code, "account_name": line.account.name, "debit": str(line.debit),
            "credit": str(line.credit), "line_description": line.description, "money_kind": line.money_kind,
            "key": line.key,
        }


def journals_csv(journals) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=JOURNAL_COLUMNS)
    writer.writeheader()
    writer.writerows(journal_rows(journals))
    return out.getvalue()
