"""What a bookkeeper reads out of the ledger: a trial balance, and posted journals to load elsewhere."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Iterator

from django.db.models import Max, Min, Sum

from connectors.ledger.models import Account, JournalEntry, JournalLine
from core.money import money

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
JOURNAL_COLUMNS = ("shop", "journal", "posting_date", "currency", "journal_description", "source_reference",
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
    lines = (JournalLine.objects.filter(journal__in=journals).select_related("journal__merchant", "account")
             .order_by("posting_date", "journal_id", "id"))
    for line in lines.iterator(chunk_size=2000):
        journal = line.journal
        yield {
            "shop": journal.merchant.code, "journal": journal.pk, "posting_date": line.posting_date.isoformat(),
            "currency": journal.currency,
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


def export_file_name(journals) -> str:
    """"journals-DEMO-EU-2025-03-01-to-2025-03-31": the shop (or how many) and the period exported."""
    found = journals.aggregate(first=Min("posting_date"), last=Max("posting_date"))
    codes = sorted(set(journals.values_list("merchant__code", flat=True)))
    shop = codes[0] if len(codes) == 1 else f"{len(codes)}-shops"
    if found["first"] is None:
        return f"journals-{shop}"
    period = str(found["first"]) if found["first"] == found["last"] else f"{found['first']}-to-{found['last']}"
    return re.sub(r"[^A-Za-z0-9._-]+", "-", f"journals-{shop}-{period}")   # a safe file name, whatever the code


def journal_lines_context(journal: JournalEntry) -> dict:
    """A journal's lines as its page shows them: kinds of money by their labels, amounts as money, and
    the debit and credit totals."""
    lines = list(journal.lines.select_related("account").order_by("id"))
    return {
        "lines": [{"account": line.account, "debit": money(line.debit) if line.debit else "",
                   "credit": money(line.credit) if line.credit else "", "description": line.description,
                   "kind": line.get_money_kind_display(), "key": line.key} for line in lines],
        "currency": journal.currency,
        "total_debit": money(sum((line.debit for line in lines), ZERO)),
        "total_credit": money(sum((line.credit for line in lines), ZERO)),
    }
