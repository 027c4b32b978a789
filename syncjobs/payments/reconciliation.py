"""Payout reconciliation (issue 28): what each Shopify Payments payout is made of, whether that sums
to its net, and whether the journals moved the clearing account back to 0.00 for it.

A payout P holds the balance transactions whose payout GID is P's (its own TRANSFER aside, test ones
left out); Shopify's rule is P.net = Σ their net. In the books each of them moved the Shopify
Payments clearing account when a journal posted it (syncjobs.daily.balance_moves says how): a charge
or refund with the order transaction it names (PostedTransaction), a dispute, reserve or adjustment
with its own line (PostedBalanceTransaction), a failed payout coming back with that payout's
reversal (PostedPayout.reversed_in_no); and the payout itself took its net out (PostedPayout). Once
all of it is posted, those movements sum to exactly 0.00.

Every figure comes from a fixed handful of queries per batch of payouts, however many there are.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterator

from django.db.models import CharField, Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Concat
from django.urls import reverse
from django.utils import timezone

from connectors.ledger.target import target_for
from connectors.shopify.models import PAYOUT_FAILED, PAYOUT_LEFT, ShopifyBalanceTransaction, ShopifyOrder, ShopifyPayout
from core.money import money
from syncjobs.daily.balance_moves import (
    ORDER,
    OTHER_KIND,
    PAYOUT,
    PAYOUT_BACK,
    TREATMENTS,
    description_of,
    treatment_of,
)
from syncjobs.daily.days import day_bounds
from syncjobs.daily.models import DailySyncDay, PostedBalanceTransaction, PostedPayout, PostedTransaction
from syncjobs.payments.models import PayoutReconciliation, ReconciliationState

BATCH = 500
# Balance transactions held in memory at once: a batch of payouts is taken apart in runs holding
# at most this many (500 payouts of a busy shop hold hundreds of thousands), one payout at least.
MAX_PARTS = 5_000
# What the reconciliation reads of each balance transaction (the page reads them whole).
PART_FIELDS = ("pk", "payout_gid", "type", "amount", "fee", "net", "transaction_date",
               "source_order_transaction_id", "source_id", "adjustment_reason")
ZERO = Decimal("0")
CENT = Decimal("0.01")
ORDER_TRANSACTION_GID = "gid://shopify/OrderTransaction/"
PAID = "PAID"

# The groups a payout is shown in, in this order (A2X's payout summary, Shopify's own categories).
GROUPS: tuple[tuple[str, str], ...] = (
    ("gross_sales", "Gross sales"),
    ("refunds", "Refunds"),
    ("fees", "Fees"),
    ("disputes", "Disputes"),
    ("dispute_fees", "Dispute fees"),
    ("reserves", "Reserves"),
    ("adjustments", "Adjustments"),
    ("retried_payouts", "Retried payouts"),
)
# Shopify's payout summary (ShopifyPaymentsPayoutSummary); disputes and their fees are adjustments there.
SUMMARY = (("charges", "Charges"), ("refunds", "Refunds"), ("adjustments", "Adjustments"),
           ("reserved_funds", "Reserved funds"), ("retried_payouts", "Retried payouts"), ("advance", "Advances"))
_GROUP_OF_TREATMENT = {"disputes": "disputes", "dispute_fees": "dispute_fees", "reserves": "reserves",
                       "shopify_adjustments": "adjustments", OTHER_KIND: "adjustments",
                       PAYOUT_BACK: "retried_payouts"}


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Posting:
    """What a journal moved in the clearing account for one thing."""

    journal_no: str
    clearing: Decimal


@dataclass
class PartLine:
    """One balance transaction's share of a group, and the journal that posted it."""

    part: ShopifyBalanceTransaction
    description: str
    amount: Decimal                     # what it adds to its group (Shopify's figure)
    posting: Posting | None             # None: not posted yet
    # A fee is posted with its charge or refund: its clearing movement is counted on that line.
    counted_with_its_payment: bool = False
    journal_url: str = ""
    source_name: str = ""               # the order it belongs to, or the failed payout it brings back
    source_url: str = ""

    @property
    def clearing(self) -> Decimal | None:
        if self.posting is None or self.counted_with_its_payment:
            return None
        return self.posting.clearing

    @property
    def difference(self) -> Decimal:
        """The part's net less what the journal moved for it (0 when not posted: nothing to compare)."""
        if self.clearing is None:
            return ZERO
        return cents(self.part.net) - cents(self.clearing)


@dataclass
class PartGroup:
    key: str
    label: str
    lines: list[PartLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def posted_total(self) -> Decimal:
        return sum((line.clearing for line in self.lines if line.clearing is not None), ZERO)


@dataclass(frozen=True)
class LedgerLine:
    text: str
    journal_no: str
    amount: Decimal
    journal_url: str = ""


@dataclass
class PayoutBreakdown:
    """A payout taken apart: its groups of parts (Shopify's side) and what the journals moved in the
    clearing account for them and for the payout (the books' side)."""

    payout: ShopifyPayout
    groups: list[PartGroup]
    part_count: int = 0
    parts_total: Decimal = ZERO
    parts_posted_total: Decimal = ZERO
    unposted_parts: int = 0
    payout_line: LedgerLine | None = None     # the payout taking its net out: −net
    reversal: LedgerLine | None = None        # a failed payout's reversal (counted in the payout it came back in)
    earliest_part: datetime | None = None
    state: str = ReconciliationState.WAITING
    note: str = ""

    @property
    def shopify_difference(self) -> Decimal:
        return cents(self.parts_total) - cents(self.payout.net)

    @property
    def ledger_total(self) -> Decimal:
        return cents(self.parts_posted_total) + (self.payout_line.amount if self.payout_line else ZERO)

    @property
    def is_all_posted(self) -> bool:
        return not self.unposted_parts and self.payout_line is not None

    @property
    def ledger_difference(self) -> Decimal | None:
        """What the clearing movements leave once all is posted (0.00 when reconciled); None before."""
        return self.ledger_total if self.is_all_posted else None

    @property
    def shopify_summary(self) -> list[tuple[str, Decimal, Decimal, Decimal]]:
        """Shopify's own summary of the payout: (category, gross, fee, net), as its payout page shows."""
        return [(label, gross, fee, gross - fee) for label, gross, fee in (
            (label, getattr(self.payout, f"{name}_gross"), getattr(self.payout, f"{name}_fee"))
            for name, label in SUMMARY) if gross or fee]

    @property
    def lines(self) -> list[PartLine]:
        return [line for group in self.groups for line in group.lines]


# Service -------------------------------------------------------------------------------------------

def reconcile_payouts(*, merchant, payout_ids=None) -> dict[str, int]:
    """Check the merchant's payouts (all of them, or those of `payout_ids`) again and store where
    each stands; returns how many are in each state. BATCH payouts are read at a time (with how many
    balance transactions each holds) and taken apart in runs holding MAX_PARTS at most: a fixed
    number of queries a run, and memory bounded however busy the shop."""
    start = _daily_sync_start(merchant)
    counts: Counter[str] = Counter()
    held = (ShopifyBalanceTransaction.objects.filter(merchant=merchant, payout_gid=OuterRef("shopify_gid"),
                                                     is_test=False)
            .order_by().values("payout_gid").annotate(n=Count("pk")).values("n"))
    payouts = ShopifyPayout.objects.filter(merchant=merchant).annotate(held=Coalesce(Subquery(held), 0))
    if payout_ids is not None:
        payouts = payouts.filter(pk__in=list(payout_ids))
    after = 0
    while True:
        page = list(payouts.filter(pk__gt=after).order_by("pk")[:BATCH])
        if not page:
            break
        after = page[-1].pk
        for batch in _by_parts(page):
            now = timezone.now()
            rows = []
            for breakdown in _take_apart(merchant, batch, start=start, fields=PART_FIELDS):
                counts[breakdown.state] += 1
                rows.append(PayoutReconciliation(
                    payout=breakdown.payout, merchant=merchant, state=breakdown.state,
                    parts_total=cents(breakdown.parts_total), shopify_difference=breakdown.shopify_difference,
                    ledger_total=breakdown.ledger_total, ledger_difference=breakdown.ledger_difference,
                    unposted_parts=breakdown.unposted_parts, checked_at=now))
            PayoutReconciliation.objects.bulk_create(
                rows, batch_size=BATCH, update_conflicts=True, unique_fields=["payout"],
                update_fields=["state", "parts_total", "shopify_difference", "ledger_total", "ledger_difference",
                               "unposted_parts", "checked_at"])
    return {state: counts[state] for state in ReconciliationState.values}


def _by_parts(page: list[ShopifyPayout]) -> Iterator[list[ShopifyPayout]]:
    """`page` cut into runs of payouts holding MAX_PARTS balance transactions at most (or one payout)."""
    batch: list[ShopifyPayout] = []
    held = 0
    for payout in page:
        if batch and held + payout.held > MAX_PARTS:
            yield batch
            batch, held = [], 0
        batch.append(payout)
        held += payout.held
    if batch:
        yield batch


# Selector for one payout's page ----------------------------------------------------------------

def payout_parts(payout: ShopifyPayout) -> PayoutBreakdown:
    """The payout taken apart for its page, with links to the journals and orders."""
    merchant = payout.merchant
    (breakdown,) = _take_apart(merchant, [payout], start=_daily_sync_start(merchant))
    target = target_for(merchant)
    order_gids = {line.part.order_gid for line in breakdown.lines if line.part.order_gid}
    orders = {gid: (pk, name) for gid, pk, name in ShopifyOrder.objects.filter(
        merchant=merchant, shopify_gid__in=order_gids).values_list("shopify_gid", "pk", "name")} if order_gids else {}
    failed_ids = {int(line.part.source_id) for line in breakdown.lines
                  if treatment_of(line.part.type) == PAYOUT_BACK and line.part.source_id.isdigit()}
    failed = dict(ShopifyPayout.objects.filter(merchant=merchant, legacy_id__in=failed_ids)
                  .values_list("legacy_id", "pk")) if failed_ids else {}
    for line in breakdown.lines:
        if line.posting is not None:
            line.journal_url = target.journal_url(line.posting.journal_no)
        if treatment_of(line.part.type) == PAYOUT_BACK:
            line.source_name = f"payout {line.part.source_id}"
            if line.part.source_id.isdigit() and int(line.part.source_id) in failed:
                line.source_url = reverse("admin:payment_sync_payout_change",
                                          args=[failed[int(line.part.source_id)]])
            continue
        pk, line.source_name = orders.get(line.part.order_gid, (None, line.part.order_name))
        if pk is not None:
            line.source_url = reverse("admin:shopify_shopifyorder_change", args=[pk])
    for name in ("payout_line", "reversal"):
        ledger_line = getattr(breakdown, name)
        if ledger_line is not None:
            setattr(breakdown, name, LedgerLine(ledger_line.text, ledger_line.journal_no, ledger_line.amount,
                                                target.journal_url(ledger_line.journal_no)))
    return breakdown


# The one computation both share ------------------------------------------------------------------

def _daily_sync_start(merchant) -> datetime | None:
    """The start of the daily sync's first day (as the journal takes it), or None before any."""
    first = merchant.daily_sync_start_date or (
        DailySyncDay.objects.filter(merchant=merchant).order_by("day").values_list("day", flat=True).first())
    return day_bounds(merchant, first)[0] if first else None


@dataclass
class _Books:
    """What the journals posted for a batch of payouts, keyed for lookups in memory."""

    transactions: dict[str, Posting]          # order transaction GID ->
    balance_transactions: dict[int, Posting]  # balance transaction id ->
    payouts: dict[int, tuple[str, str]]       # payout id -> (journal no., reversed in journal no.)
    reversals: dict[int, Posting]             # failed payout's legacy id -> its reversal (+net)
    # failed payout's legacy id -> its issue: one issued before the daily sync began was never
    # posted, so its money coming back belongs to the opening balance too
    failed_issued: dict[int, datetime] = field(default_factory=dict)


def _take_apart(merchant, payouts: list[ShopifyPayout], *, start: datetime | None,
                fields: tuple[str, ...] = ()) -> list[PayoutBreakdown]:
    gids = [payout.shopify_gid for payout in payouts]
    held = ShopifyBalanceTransaction.objects.filter(merchant=merchant, payout_gid__in=gids, is_test=False)
    parts = held.exclude(type__in=TREATMENTS[PAYOUT]).order_by("transaction_date", "pk")
    parts = list(parts.only(*fields) if fields else parts)
    books = _books(merchant, payouts, held, parts)
    by_payout: dict[str, list[ShopifyBalanceTransaction]] = {gid: [] for gid in gids}
    for part in parts:
        by_payout[part.payout_gid].append(part)
    return [_breakdown(payout, by_payout[payout.shopify_gid], books, start=start) for payout in payouts]


def _books(merchant, payouts, held, parts) -> _Books:
    order_transactions = (held.filter(type__in=TREATMENTS[ORDER]).exclude(source_order_transaction_id="")
                          .annotate(transaction_gid=Concat(Value(ORDER_TRANSACTION_GID), "source_order_transaction_id",
                                                           output_field=CharField()))
                          .values("transaction_gid"))
    transactions = {gid: Posting(number, clearing) for gid, number, clearing in PostedTransaction.objects.filter(
        merchant=merchant, transaction_gid__in=order_transactions).values_list("transaction_gid", "journal_no",
                                                                                 "clearing")}
    balance_transactions = {pk: Posting(number, clearing) for pk, number, clearing in PostedBalanceTransaction.objects
                            .filter(balance_transaction__in=held.values("pk"))
                            .values_list("balance_transaction_id", "journal_no", "clearing")}
    posted_payouts = {pk: (number, reversed_in) for pk, number, reversed_in in PostedPayout.objects.filter(
        payout_id__in=[payout.pk for payout in payouts]).values_list("payout_id", "journal_no", "reversed_in_no")}
    failed = {int(part.source_id) for part in parts
              if treatment_of(part.type) == PAYOUT_BACK and part.source_id.isdigit()}
    reversals = {legacy_id: Posting(number, net) for legacy_id, number, net in PostedPayout.objects.filter(
        payout__merchant=merchant, payout__legacy_id__in=failed).exclude(reversed_in_no="")
        .values_list("payout__legacy_id", "reversed_in_no", "payout__net")} if failed else {}
    failed_issued = dict(ShopifyPayout.objects.filter(merchant=merchant, legacy_id__in=failed)
                         .values_list("legacy_id", "issued_at")) if failed else {}
    return _Books(transactions, balance_transactions, posted_payouts, reversals, failed_issued)


def _breakdown(payout: ShopifyPayout, parts: list[ShopifyBalanceTransaction], books: _Books, *,
               start: datetime | None) -> PayoutBreakdown:
    groups = {key: PartGroup(key, label) for key, label in GROUPS}
    breakdown = PayoutBreakdown(payout=payout, groups=list(groups.values()))
    for part in parts:
        treatment = treatment_of(part.type)
        posting = _posting_of(part, treatment, books)
        if treatment == ORDER:
            group = "gross_sales" if part.type == "CHARGE" else "refunds"
            description = "Charge" if part.type == "CHARGE" else "Refund"
            groups[group].lines.append(PartLine(part, description, part.amount, posting))
            if part.fee:
                groups["fees"].lines.append(PartLine(part, f"{description} fee", -part.fee, posting,
                                                     counted_with_its_payment=True))
        else:
            description = ("Failed payout back" if treatment == PAYOUT_BACK else description_of(part.type))
            if treatment == "shopify_adjustments" and part.adjustment_reason:
                description = f"{description}: {part.adjustment_reason}"
            groups[_GROUP_OF_TREATMENT[treatment]].lines.append(PartLine(part, description, part.net, posting))
        breakdown.part_count += 1
        breakdown.parts_total += part.net
        if posting is None:
            breakdown.unposted_parts += 1
        else:
            breakdown.parts_posted_total += posting.clearing
        dated = part.transaction_date
        if treatment == PAYOUT_BACK and part.source_id.isdigit():
            dated = min(dated, books.failed_issued.get(int(part.source_id), dated))
        if breakdown.earliest_part is None or dated < breakdown.earliest_part:
            breakdown.earliest_part = dated
    posted = books.payouts.get(payout.pk)
    if posted is not None:
        number, reversed_in = posted
        breakdown.payout_line = LedgerLine("Payout to the bank", number, -cents(payout.net))
        if reversed_in:
            breakdown.reversal = LedgerLine("Payout failed, reversed (counted in the payout its money came back in)",
                                            reversed_in, cents(payout.net))
    breakdown.state, breakdown.note = _state_of(breakdown, start)
    return breakdown


def _posting_of(part: ShopifyBalanceTransaction, treatment: str, books: _Books) -> Posting | None:
    if treatment == ORDER:
        return books.transactions.get(ORDER_TRANSACTION_GID + part.source_order_transaction_id)
    if treatment == PAYOUT_BACK:
        return books.reversals.get(int(part.source_id)) if part.source_id.isdigit() else None
    return books.balance_transactions.get(part.pk)


def _state_of(breakdown: PayoutBreakdown, start: datetime | None) -> tuple[str, str]:
    payout = breakdown.payout
    currency = payout.currency
    if payout.status in PAYOUT_FAILED:
        what = "failed" if payout.status == "FAILED" else "was cancelled"
        return (ReconciliationState.FAILED,
                f"The payout {what}: its money came back to the balance and is paid out again in a later payout.")
    earliest = min(filter(None, (payout.issued_at, breakdown.earliest_part)))
    if start is not None and earliest < start:
        return (ReconciliationState.BEFORE_START,
                "It holds transactions from before the daily sync began: reconcile it from the opening balance.")
    difference = breakdown.shopify_difference
    if payout.status in PAYOUT_LEFT and difference:
        return (ReconciliationState.DIFFERENCE,
                f"Its transactions sum to {money(breakdown.parts_total, currency)}, {money(abs(difference), currency)} "
                f"{'more' if difference > 0 else 'less'} than its net of {money(payout.net, currency)}.")
    if not breakdown.is_all_posted:
        waiting = []
        if breakdown.unposted_parts:
            count = breakdown.unposted_parts
            waiting.append(f"{count} of its transactions {'is' if count == 1 else 'are'} not posted yet")
        if breakdown.payout_line is None:
            waiting.append("the payout is not posted yet")
        return ReconciliationState.WAITING, "; ".join(waiting).capitalize() + "."
    if breakdown.ledger_total:
        return (ReconciliationState.DIFFERENCE,
                f"The journals moved {money(breakdown.ledger_total, currency)} in the clearing account for it, "
                "not 0.00: look for the transactions whose clearing amount differs from their net.")
    if payout.status != PAID:
        return ReconciliationState.WAITING, f"Posted and balanced; {payout.get_status_display().lower()}, not paid yet."
    return (ReconciliationState.RECONCILED,
            "Paid: its transactions sum to its net, and their clearing movements and the payout net to 0.00.")
