"""Which accounts a sales document posts to, and the G/L journals of an invoice and a credit memo.

Creating a document asks the same questions as posting it, so a document the books accept can post
unless its mappings change meanwhile (then posting names what is missing).
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from connectors.ledger.errors import MappingInvalid
from connectors.ledger.mappings import check_account_mapping, mapping_subject, missing_mappings_message
from connectors.ledger.models import Account, AccountMapping, JournalKind
from connectors.ledger.records import (
    CENT,
    ZERO,
    DocumentType,
    JournalData,
    JournalLineData,
    LineType,
    SalesDocumentData,
    SalesLineData,
)

Need = tuple[str, str]          # (money kind, key)
RECEIVABLES: Need = ("receivables", "")
SALES: Need = ("sales", "")
REFUNDS: Need = ("refunds", "")
DISCOUNTS: Need = ("discounts", "")
CREDITED = (DocumentType.CREDIT_MEMO, DocumentType.RETURN_ORDER)   # what credits the customer


def goods_need(document: SalesDocumentData, line: SalesLineData, returns: Need) -> Need:
    """Where an item line's sales post: goods coming back on a credit memo or return order to
    `returns` (AccountBook.returns_need); everything else, an exchange's goods too, to sales."""
    return returns if document.type in CREDITED and line.quantity >= 0 else SALES


def needed_mappings(document: SalesDocumentData, *, returns: Need = REFUNDS) -> set[Need]:
    """The (kind, key)s the document's journal takes an account from the mappings for."""
    needs = {RECEIVABLES}
    for line in document.lines:
        if line.type == LineType.ITEM:
            needs.add(goods_need(document, line, returns))
        elif not line.number and line.money_kind:
            needs.add((line.money_kind, ""))
        if line.amounts(document.prices_include_tax).discount:
            needs.add(DISCOUNTS)
        needs.update(("tax", share.key) for share in line.taxes if share.amount)
    return needs


class AccountBook:
    """A merchant's account mappings and chart of accounts, read once (two queries)."""

    def __init__(self, merchant) -> None:
        self.merchant = merchant
        self.mappings = {(m.kind, m.key): m for m in
                         AccountMapping.objects.filter(merchant=merchant).select_related("account")}
        self.accounts = {a.code: a for a in Account.objects.filter(merchant=merchant)}

    def resolve(self, needs: set[Need]) -> tuple[dict[Need, Account], list[str]]:
        """The account of each need (a keyed kind falls back on its mapping for all keys), and what
        stops that: one sentence for all that has no mapping, then each unusable mapping."""
        found, missing, invalid = {}, [], []
        for kind, key in sorted(needs):
            mapping = self.mappings.get((kind, key)) or (self.mappings.get((kind, "")) if key else None)
            if mapping is None:
                missing.append(mapping_subject(kind, key))
                continue
            try:
                check_account_mapping(merchant=self.merchant, kind=kind, key=mapping.key, account=mapping.account)
            except MappingInvalid as exc:
                invalid.append(f"{exc} (mapping for {mapping_subject(kind, mapping.key)})")
                continue
            found[(kind, key)] = mapping.account
        problems = ([missing_mappings_message(missing)] if missing else []) + list(dict.fromkeys(invalid))
        return found, problems

    def returns_need(self) -> Need:
        """Where returned goods post: refunds when mapped, else sales; refunds when neither is (so the
        message asks for the account a credit memo is meant to take)."""
        return SALES if REFUNDS not in self.mappings and SALES in self.mappings else REFUNDS


def invoice_journal(document: SalesDocumentData, *, invoice_no: str, posting_date,
                    accounts: dict[Need, Account]) -> JournalData:
    """The journal of a posted invoice: Dr receivables what the customer owes, Cr each line's sales
    (item lines to the sales account, account lines to their own), Dr discounts, Cr tax per key;
    amounts of one account, kind and key summed, a negative sum on the other side."""
    credits = _credits(document, accounts, returns=SALES)
    shown = f" (order {document.shopify_order_no})" if document.shopify_order_no else ""
    return JournalData(kind=JournalKind.SALES_INVOICE, posting_date=posting_date, currency=document.currency,
                       description=f"Sales invoice {invoice_no}{shown}", source_reference=f"invoice:{invoice_no}",
                       lines=_lines(credits, f"Sales invoice {invoice_no}"))


def credit_memo_journal(document: SalesDocumentData, *, credit_memo_no: str, posting_date,
                        accounts: dict[Need, Account], returns: Need) -> JournalData:
    """The journal of a posted credit memo (or return order), the mirror image of an invoice's: Cr
    receivables what the customer is credited, Dr the returned goods (to `returns`), Dr each account
    line's own account, Cr discounts, Dr tax per key; an exchange's goods (a negative quantity) Cr
    sales. Amounts of one account, kind and key summed, a negative sum on the other side."""
    credits = {part: -net for part, net in _credits(document, accounts, returns=returns).items()}
    shown = f" (order {document.shopify_order_no})" if document.shopify_order_no else ""
    return JournalData(kind=JournalKind.SALES_CREDIT_MEMO, posting_date=posting_date, currency=document.currency,
                       description=f"Sales credit memo {credit_memo_no}{shown}",
                       source_reference=f"credit_memo:{credit_memo_no}",
                       lines=_lines(credits, f"Sales credit memo {credit_memo_no}"))


def _credits(document: SalesDocumentData, accounts: dict[Need, Account], *,
             returns: Need) -> dict[tuple[str, str, str], Decimal]:
    """What the document credits, as an invoice would, per (account code, kind, key): receivables first."""
    credits: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    receivables = (accounts[RECEIVABLES].code, *RECEIVABLES)
    credits[receivables] = ZERO   # first in the journal
    for line in document.lines:
        amounts = line.amounts(document.prices_include_tax)
        if line.type == LineType.ITEM:
            goods = goods_need(document, line, returns)
            own = (accounts[goods].code, *goods)
        else:
            own = (line.number, line.money_kind, "")
        credits[own] += amounts.sales
        if amounts.discount:
            credits[(accounts[DISCOUNTS].code, *DISCOUNTS)] -= amounts.discount
        for share in line.taxes:
            if share.amount:
                credits[(accounts[("tax", share.key)].code, "tax", share.key)] += share.amount.quantize(CENT)
        credits[receivables] -= amounts.amount_including_tax
    return credits


def _lines(credits: dict[tuple[str, str, str], Decimal], what: str) -> tuple[JournalLineData, ...]:
    return tuple(
        JournalLineData(account=code, debit=max(-net, ZERO), credit=max(net, ZERO), money_kind=kind, key=key,
                        description=f"{what}: {mapping_subject(kind, key) if kind else f'account {code}'}")
        for (code, kind, key), net in credits.items() if net)
