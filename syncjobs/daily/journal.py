"""One local day of a merchant into one balanced journal, through its account mappings (D2, D3, M2, M3).

Each line is rounded once, to the cent; what the rounding leaves is the rounding line, and a
residue above MAX_ROUNDING fails the day (the data would not add up). Every account the day needs
is resolved before anything is posted: a missing or unusable mapping fails the whole day, naming
the kind of money, what to do, and the records that needed it.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Q

from connectors.ledger.errors import MappingInvalid
from connectors.ledger.mappings import check_account_mapping, map_accounts, mapping_subject, missing_mappings_message
from connectors.ledger.models import AccountMapping, JournalKind
from connectors.ledger.money_kinds import MONEY_KINDS
from connectors.ledger.records import AccountData, CustomerPaymentData, JournalData, JournalLineData
from connectors.ledger.target import target_for
from connectors.shopify.importers.counts import RecordError
from connectors.shopify.models import ShopifyOrder, ShopifyPayout
from merchants.models import PostingMode
from syncjobs.customers.models import CustomerLink
from syncjobs.daily.adjustments import adjustments_seen
from syncjobs.daily.amounts import GIFT_CARD_GATEWAY, Amount, day_totals, payment_day_totals, payments_by_order
from syncjobs.daily.balance_amounts import balance_amounts
from syncjobs.daily.days import day_bounds
from syncjobs.daily.models import (
    DailySyncDay,
    OrderAdjustment,
    PostedBalanceTransaction,
    PostedPayout,
    PostedTransaction,
)
from syncjobs.daily.payment_records import posted_transactions
from syncjobs.daily.payouts import payout_amounts
from syncjobs.daily.processing import mark_posted

CENT = Decimal("0.01")
MAX_ROUNDING = Decimal("0.05")
RECORDS_LISTED = 1000


class DayFailed(Exception):
    """The day cannot be posted; the message says why and what to do, `records` which records, and
    `missing` what has no account (so a run can name each only once, however many days need it)."""

    def __init__(self, message: str, records: list[RecordError] | None = None, *,
                 missing: list[str] | None = None, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.records = records or []
        self.missing = missing or []
        self.problems = [message] if problems is None and not missing else (problems or [])


@dataclass(frozen=True)
class PostedDay:
    journal: JournalData | None     # None: the day had no money to post
    orders: int


def post_day(*, merchant, day: date, log=lambda message: None) -> PostedDay:
    """Post the merchant's local `day`: the daily summary (D2), or for a documents-mode shop (D0,
    whose invoices post the sales) the day's payments, fees, payouts and Shopify Payments movements."""
    start, end = day_bounds(merchant, day)
    documents = merchant.posting_mode == PostingMode.DOCUMENTS
    if documents:
        totals, adjustments, settled = payment_day_totals(merchant=merchant, start=start, end=end), [], []
    else:
        totals = day_totals(merchant=merchant, start=start, end=end)
        adjustments, settled = adjustments_seen(merchant, start, end)
    since = _first_day_start(merchant, day)
    payouts = payout_amounts(merchant, start, end, since=since)
    moves, moved = balance_amounts(merchant, start, end, since=since)
    amounts = totals.amounts + adjustments + payouts.amounts + moves
    if not amounts:
        with transaction.atomic():
            if not documents:
                mark_posted(merchant, start, end, settled)
            OrderAdjustment.objects.filter(pk__in=settled).delete()   # changes that made no difference
        return PostedDay(journal=None, orders=totals.orders)
    lines = [(amount, amount.amount.quantize(CENT, rounding=ROUND_HALF_UP)) for amount in amounts]
    residue = -sum((rounded for _, rounded in lines), Decimal("0"))
    if abs(residue) > MAX_ROUNDING:
        raise DayFailed(f"the lines of {day} leave a rounding residue of {residue}, above {MAX_ROUNDING}: the "
                        "imported amounts do not add up; import the day's orders again", [])
    if residue:
        rounding = Amount("rounding", "", residue, "Rounding")
        lines.append((rounding, residue))
    accounts = resolve_accounts(merchant=merchant, needed={(a.kind, a.key) for a, r in lines if r},
                                start=start, end=end, log=log)
    what = "Daily payments" if documents else "Daily sales"
    draft = JournalData(
        kind=JournalKind.DAILY_PAYMENTS if documents else JournalKind.DAILY_SALES, posting_date=day,
        currency=merchant.shop_currency, description=f"{what} {day} ({merchant.code})",
        source_reference=f"{'payments' if documents else 'daily'}:{merchant.code}:{day}",
        lines=tuple(JournalLineData(account=accounts[(a.kind, a.key)], debit=max(rounded, Decimal("0")),
                                    credit=max(-rounded, Decimal("0")), description=a.description, money_kind=a.kind,
                                    key=a.key)
                    for a, rounded in lines if rounded),
    )
    posted_transactions_ = posted_transactions(merchant, start, end, list(totals.late_payments))
    customer_payments = _customer_payments(merchant, day, start, end, totals) if documents else []
    with transaction.atomic():
        target = target_for(merchant)
        (journal,) = target.post_journals(merchant, [draft])
        if documents:
            if customer_payments:
                target.apply_customer_payments(merchant, [replace(p, document_no=journal.number)
                                                          for p in customer_payments])
        else:
            mark_posted(merchant, start, end, settled)
        OrderAdjustment.objects.filter(pk__in=settled).update(journal_no=journal.number)
        PostedPayout.objects.bulk_create(
            PostedPayout(payout_id=pk, journal_no=journal.number,
                         reversed_in_no=journal.number if pk in payouts.failed_at_once else "")
            for pk in payouts.leaving)
        PostedPayout.objects.filter(pk__in=payouts.failing).update(reversed_in_no=journal.number)
        for record in (*posted_transactions_, *moved):
            record.journal_no = journal.number
        PostedTransaction.objects.bulk_create(posted_transactions_, batch_size=1000)
        PostedBalanceTransaction.objects.bulk_create(moved, batch_size=1000)
    return PostedDay(journal=journal, orders=totals.orders)


def _customer_payments(merchant, day: date, start, end, totals) -> list[CustomerPaymentData]:
    """One customer payment (or refund) per order whose money the day moved: what clears the
    receivables its invoice opened. An order with no document yet names the ledger customer its
    Shopify customer is linked to (the ledger falls back to the shop's default customer)."""
    payments = payments_by_order(merchant, start, end, totals.late_payments)
    linked = dict(CustomerLink.objects.filter(
        merchant=merchant, shopify_gid__in={customer for _, _, customer, _ in payments if customer})
        .exclude(customer_no="").values_list("shopify_gid", "customer_no"))
    return [CustomerPaymentData(shopify_order_id=gid, shopify_order_no=name, amount=paid, posting_date=day,
                                document_no="", description=f"Payment {name}" if paid > 0 else f"Refund {name}",
                                customer_no=linked.get(customer, ""))
            for gid, name, customer, paid in payments]


def _first_day_start(merchant, day: date) -> datetime:
    first = merchant.daily_sync_start_date or (
        DailySyncDay.objects.filter(merchant=merchant).order_by("day").values_list("day", flat=True).first())
    return day_bounds(merchant, min(first or day, day))[0]


def resolve_accounts(*, merchant, needed: set[tuple[str, str]], start, end, log) -> dict[tuple[str, str], str]:
    """The account code of each (kind, key) the day needs; auto-created where M3 allows; DayFailed
    otherwise, with one sentence for all that has no account and one failed record per record that
    needed it."""
    mappings = {(m.kind, m.key): m for m in AccountMapping.objects.filter(merchant=merchant).select_related("account")}
    accounts, unmapped, invalid = {}, [], []
    for kind, key in sorted(needed):
        mapping = mappings.get((kind, key)) or mappings.get((kind, ""))
        if mapping is None:
            unmapped.append((kind, key))
            continue
        try:
            check_account_mapping(merchant=merchant, kind=kind, key=mapping.key, account=mapping.account)
            accounts[(kind, key)] = mapping.account.code
        except MappingInvalid as exc:
            invalid.append((kind, key, str(exc)))
    creatable = [(kind, key) for kind, key in unmapped
                 if MONEY_KINDS[kind].can_auto_create and merchant.auto_create_accounts]
    missing = [needs for needs in unmapped if needs not in creatable]
    if not missing and not invalid:
        accounts.update(_auto_create(merchant, creatable, log))
        return accounts
    subjects = [mapping_subject(kind, key) for kind, key in missing]
    problems = list(dict.fromkeys(problem for *_, problem in invalid))
    message = "; ".join(([missing_mappings_message(subjects)] if subjects else []) + problems)
    needs = [(kind, key, f"no account is mapped for {mapping_subject(kind, key)}") for kind, key in missing] + invalid
    raise DayFailed(message, _records_needing(merchant, needs, start, end), missing=subjects, problems=problems)


def _auto_create(merchant, needed: list[tuple[str, str]], log) -> dict[tuple[str, str], str]:
    """New accounts, mapped, for the (kind, key)s M3 lets the ledger create; their codes."""
    if not needed:
        return {}
    drafts = []
    for kind, key in needed:
        money_kind = MONEY_KINDS[kind]
        label = money_kind.label[:1].upper() + money_kind.label[1:]    # "Shopify Payments reserve" stays so
        name = f"{label} ({key})" if key else label
        drafts.append(AccountData(code="", name=name[:100], type=money_kind.auto_create_type))
    created = target_for(merchant).create_accounts_in_range(
        merchant, first_code=merchant.auto_create_code_from, last_code=merchant.auto_create_code_to, drafts=drafts)
    codes = {needs: account.code for needs, account in zip(needed, created, strict=True)}
    map_accounts(merchant, codes)
    for (kind, key), account in zip(needed, created, strict=True):
        log(f"created account {account.code} {account.name} for {mapping_subject(kind, key)}")
    return codes


def _records_needing(merchant, needs: list[tuple[str, str, str]], start, end) -> list[RecordError]:
    """One failed record per record of the day that carries money of a kind in `needs` ((kind, key,
    what is wrong)), saying everything it needs at once."""
    reasons: dict[tuple[str, str], list[str]] = {}
    names: dict[tuple[str, str], str] = {}
    for kind, key, reason in needs:
        for record, gid, name in _records_of(merchant, kind, key, start, end):
            reasons.setdefault((record, gid), []).append(reason)
            names[(record, gid)] = name
    failed = []
    for (record, gid), why in list(reasons.items())[:RECORDS_LISTED]:
        text = "; ".join(dict.fromkeys(why))
        failed.append(RecordError(record, gid, f"{names[(record, gid)]}: {text}" if names[(record, gid)] else text))
    return failed


def _records_of(merchant, kind: str, key: str, start, end) -> list[tuple[str, str, str]]:
    """(record, Shopify ID, name) of the day's records that carry money of `kind` (and `key`)."""
    if kind == "payouts":
        payouts = ShopifyPayout.objects.filter(merchant=merchant, issued_at__gte=start, issued_at__lt=end)
        return [("payout", gid, "") for gid in payouts.values_list("shopify_gid", flat=True)[:RECORDS_LISTED]]
    in_day = Q(processed_at__gte=start, processed_at__lt=end)
    orders = ShopifyOrder.objects.filter(merchant=merchant, is_test=False)
    moved = Q(shopifytransaction__status="SUCCESS", shopifytransaction__processed_at__gte=start,
              shopifytransaction__processed_at__lt=end)
    by_kind = {
        "gift_cards_sold": in_day & Q(shopifyorderline__is_gift_card=True),
        "tips": in_day & Q(total_tip__gt=0),
        "shipping_income": in_day & Q(shopifyshippingline__isnull=False),
        "discounts": in_day & Q(total_discounts__gt=0),
        "refunds": Q(shopifyrefund__created_at__gte=start, shopifyrefund__created_at__lt=end),
        "gift_card_redemptions": moved & Q(shopifytransaction__gateway=GIFT_CARD_GATEWAY),
        "payment_clearing": moved & Q(shopifytransaction__gateway=key) if key else moved,
        "payment_fees": moved & ~Q(shopifytransaction__fee=0),
        "fee_refunds": moved & Q(shopifytransaction__fee__lt=0),
    }
    if kind == "tax" and key:
        by_kind["tax"] = in_day & Q(shopifytaxline__isnull=False)
    matching = orders.filter(by_kind.get(kind, in_day)).distinct().values_list("name", "shopify_gid")
    return [("order", gid, name) for name, gid in matching[:RECORDS_LISTED]]
