"""Posting sales documents (296, 297): an order ships (a posted shipment, item ledger entries) and
invoices (a posted invoice, its G/L journal, a customer ledger entry, to which the order's payments
already entered apply at once); an invoice does it all at once and leaves no shipment. A credit
memo or return order posts at once too (a posted credit memo, its G/L journal, a customer ledger
entry of a negative amount, applied to the order's open entries, its goods back in stock). Each
document posts in its own transaction, decided before written: a document that cannot post (not
released, its customer or an item blocked since it was made, a mapping gone) writes nothing and its
result says why, naming it."""
from __future__ import annotations

from datetime import date

from django.db import transaction

from connectors.ledger.customer_payments import apply_open_entries, enter_waiting_payments
from connectors.ledger.errors import LedgerError
from connectors.ledger.journals import check_journal, post_journals
from connectors.ledger.locks import locked_sales_document
from connectors.ledger.models import (
    CustomerDocumentType,
    CustomerLedgerEntry,
    EntryType,
    Item,
    ItemLedgerEntry,
    ItemType,
    PostedSalesCreditMemo,
    PostedSalesCreditMemoLine,
    PostedSalesInvoice,
    PostedSalesInvoiceLine,
    PostedSalesShipment,
    PostedSalesShipmentLine,
    SalesDocument,
    SalesDocumentStatus,
    SalesLine,
    SeriesCode,
)
from connectors.ledger.numbering import next_numbers
from connectors.ledger.records import DocumentType, JournalData, LineType, PostingResult, SalesDocumentData
from connectors.ledger.sales_accounts import (
    CREDITED,
    AccountBook,
    Need,
    credit_memo_journal,
    invoice_journal,
    needed_mappings,
)
from connectors.ledger.sales_rows import SHIP_TO, document_data, line_fields, what

COPIED = ("sell_to", "bill_to", *(f"ship_to_{name}" for name in SHIP_TO), "currency", "document_date",
          "external_document_no", "shopify_order_id", "shopify_order_no", "location")


class PostingRefused(LedgerError):
    pass


class _PostedMeanwhile(Exception):
    """Another run posted the document between our reading it and our claim: roll back, leave it out."""


def post_sales_documents(merchant, type: str, numbers, *, ship: bool = True, invoice: bool = True,
                         posting_date: date | None = None) -> list[PostingResult]:
    """One result per document posted or refused, in the order given. A number the open documents do
    not hold (posted meanwhile by another run, which locked it first) is left out of the results: a
    document never posts twice. The mappings, accounts and the documents' items are read once for the
    call (a document's customers come with it, read as it is locked)."""
    numbers = list(dict.fromkeys(numbers))
    refusal = _refusal(type, ship=ship, invoice=invoice)
    if refusal:
        return [PostingResult(type, number, error=f"{what(type, number)}: {refusal}") for number in numbers]
    book = AccountBook(merchant)
    items = _items_of(merchant, type, numbers)
    results = []
    for number in numbers:
        try:
            with transaction.atomic():
                result = _post(merchant, type, number, book, items, ship=ship, invoice=invoice,
                               posting_date=posting_date)
        except PostingRefused as exc:
            result = PostingResult(type, number, error=str(exc))
        except _PostedMeanwhile:
            result = None
        if result is not None:
            results.append(result)
    return results


def _refusal(type: str, *, ship: bool, invoice: bool) -> str:
    if type not in DocumentType.ALL:
        return "not a kind of sales document"
    if not ship and not invoice:
        return "nothing to post: choose Ship, Invoice or both"
    if type == DocumentType.INVOICE and not invoice:
        return "a sales invoice posts with Invoice, shipping its items at the same time"
    if type in CREDITED and not invoice:
        return "it posts with Invoice, its goods going back into stock at the same time"
    return ""


def _items_of(merchant, type: str, numbers: list[str]) -> dict[str, Item]:
    """The items the documents' lines name, by number: one query."""
    named = SalesLine.objects.filter(document__merchant=merchant, document__type=type, document__number__in=numbers,
                                     type=LineType.ITEM).values("number")
    return {item.number: item for item in Item.objects.filter(merchant=merchant, number__in=named)}


def _post(merchant, type: str, number: str, book: AccountBook, known_items: dict[str, Item], *, ship: bool,
          invoice: bool, posting_date: date | None) -> PostingResult | None:
    row = locked_sales_document(merchant, type, number)
    if row is None:
        return None
    name = what(type, number)
    if row.status != SalesDocumentStatus.RELEASED:
        raise PostingRefused(f"{name} is not released")
    shipping = type == DocumentType.ORDER and ship and not row.shipped_shipment_no
    if type == DocumentType.ORDER and not shipping and not invoice:
        return None   # shipped by another run; nothing is left to do here
    if type == DocumentType.ORDER and invoice and not (shipping or row.shipped_shipment_no):
        raise PostingRefused(f"{name} is not shipped yet: post it with Ship")
    lines = list(row.lines.all())
    document = document_data(row, lines)
    named = {line.number for line in document.lines if line.type == LineType.ITEM}
    if named - set(known_items):   # a document made after the items were read: read its own
        known_items.update((i.number, i) for i in Item.objects.filter(merchant=merchant, number__in=named))
    items = {number: known_items[number] for number in named if number in known_items}
    _check_items(name, row, document, items)
    _check_not_blocked(name, row, items)
    accounts, returns = {}, book.returns_need()
    if invoice:
        accounts, problems = book.resolve(needed_mappings(document, returns=returns))
        if problems:
            raise PostingRefused(f"{name}: {'; '.join(problems)}")
    day = posting_date or row.document_date
    if type in CREDITED:
        credit_memo_no, journal_no = _credit(merchant, row, document, items, day, accounts, book, name=name,
                                             returns=returns)
        return PostingResult(type, number, credit_memo_no=credit_memo_no, journal_no=journal_no)
    shipment_no = _ship(merchant, row, document, items, day) if shipping else ""
    invoice_no, journal_no = _invoice(merchant, row, document, items, day, accounts, book, name=name,
                                      with_items=type == DocumentType.INVOICE) if invoice else ("", "")
    return PostingResult(type, number, shipment_no=shipment_no, invoice_no=invoice_no, journal_no=journal_no)


def _check_items(name: str, row: SalesDocument, document: SalesDocumentData, items: dict[str, Item]) -> None:
    missing = sorted({line.number for line in document.lines if line.type == LineType.ITEM} - set(items))
    if missing:
        raise PostingRefused(f"{name}: item {missing[0]} does not exist")
    if row.location is None and any(items[line.number].type == ItemType.INVENTORY for line in document.lines
                                    if line.type == LineType.ITEM):
        way = "go back to" if row.type in CREDITED else "leave from"
        raise PostingRefused(f"{name}: it has no location for its items to {way}")


def _check_not_blocked(name: str, row: SalesDocument, items: dict[str, Item]) -> None:
    """A customer or item blocked since the document was made stops its posting, as in Business Central."""
    blocked = [f"customer {customer.number} is blocked" for customer in dict.fromkeys((row.sell_to, row.bill_to))
               if customer.blocked]
    blocked += [f"item {number} is blocked" for number in sorted(items) if items[number].blocked]
    if blocked:
        raise PostingRefused(f"{name}: {'; '.join(blocked)}")


def _ship(merchant, row: SalesDocument, document: SalesDocumentData, items, day: date) -> str:
    number = _next(merchant, SeriesCode.POSTED_SHIPMENTS, PostedSalesShipment)
    if not SalesDocument.objects.filter(pk=row.pk, shipped_shipment_no="").update(shipped_shipment_no=number):
        raise _PostedMeanwhile
    shipment = PostedSalesShipment.objects.create(merchant=merchant, number=number, order_no=row.number,
                                                  posting_date=day, shipping_agent=row.shipping_agent,
                                                  package_tracking_no=row.package_tracking_no, **_copied(row))
    PostedSalesShipmentLine.objects.bulk_create(
        [PostedSalesShipmentLine(shipment=shipment, line_no=line.line_no, type=line.type, number=line.number,
                                 variant_code=line.variant_code, description=line.description,
                                 quantity=line.quantity, shopify_line_id=line.shopify_line_id)
         for line in document.lines], batch_size=500)
    _item_entries(merchant, row, document, items, day, document_no=number)
    return number


def _invoice(merchant, row: SalesDocument, document: SalesDocumentData, items, day: date, accounts,
             book: AccountBook, *, name: str, with_items: bool) -> tuple[str, str]:
    number = _next(merchant, SeriesCode.POSTED_INVOICES, PostedSalesInvoice)
    journal = _posted(merchant, invoice_journal(document, invoice_no=number, posting_date=day, accounts=accounts),
                      book, name=name)
    totals = document.totals()
    invoice = PostedSalesInvoice.objects.create(
        merchant=merchant, number=number, order_no=row.number, posting_date=day,
        prices_include_tax=row.prices_include_tax, amount=totals.amount,
        amount_including_tax=totals.amount_including_tax, journal_id=int(journal.number) if journal.number else None,
        **_copied(row))
    PostedSalesInvoiceLine.objects.bulk_create(
        [PostedSalesInvoiceLine(invoice=invoice, **line_fields(line, document.prices_include_tax))
         for line in document.lines], batch_size=500)
    CustomerLedgerEntry.objects.create(
        merchant=merchant, customer=row.bill_to, posting_date=day, document_type=CustomerDocumentType.INVOICE,
        document_no=number, description=journal.description, currency=row.currency,
        amount=totals.amount_including_tax, remaining_amount=totals.amount_including_tax,
        open=bool(totals.amount_including_tax), shopify_order_id=row.shopify_order_id,
        shopify_order_no=row.shopify_order_no)
    enter_waiting_payments(merchant, row.shopify_order_id, row.bill_to, row.currency)
    apply_open_entries(merchant, [row.shopify_order_id])   # a payment entered before the invoice
    if with_items:
        _item_entries(merchant, row, document, items, day, document_no=number)
    _delete(row)
    return number, journal.number


def _credit(merchant, row: SalesDocument, document: SalesDocumentData, items, day: date, accounts,
            book: AccountBook, *, name: str, returns: Need) -> tuple[str, str]:
    """A credit memo or return order posted: the customer credited, its goods back in stock."""
    number = _next(merchant, SeriesCode.POSTED_CREDIT_MEMOS, PostedSalesCreditMemo)
    journal = _posted(merchant, credit_memo_journal(document, credit_memo_no=number, posting_date=day,
                                                    accounts=accounts, returns=returns), book, name=name)
    totals = document.totals()
    credit_memo = PostedSalesCreditMemo.objects.create(
        merchant=merchant, number=number, source_type=row.type, source_no=row.number, posting_date=day,
        prices_include_tax=row.prices_include_tax, amount=totals.amount,
        amount_including_tax=totals.amount_including_tax, journal_id=int(journal.number) if journal.number else None,
        **_copied(row))
    PostedSalesCreditMemoLine.objects.bulk_create(
        [PostedSalesCreditMemoLine(credit_memo=credit_memo, **line_fields(line, document.prices_include_tax))
         for line in document.lines], batch_size=500)
    CustomerLedgerEntry.objects.create(
        merchant=merchant, customer=row.bill_to, posting_date=day, document_type=CustomerDocumentType.CREDIT_MEMO,
        document_no=number, description=journal.description, currency=row.currency,
        amount=-totals.amount_including_tax, remaining_amount=-totals.amount_including_tax,
        open=bool(totals.amount_including_tax), shopify_order_id=row.shopify_order_id,
        shopify_order_no=row.shopify_order_no)
    enter_waiting_payments(merchant, row.shopify_order_id, row.bill_to, row.currency)
    apply_open_entries(merchant, [row.shopify_order_id])   # a refund paid back before the credit memo
    _item_entries(merchant, row, document, items, day, document_no=number, coming_back=True)
    _delete(row)
    return number, journal.number


def _posted(merchant, journal: JournalData, book: AccountBook, *, name: str) -> JournalData:
    """The journal checked and posted; one of nothing (all free) has no G/L entries and stays unposted."""
    if not journal.lines:
        return journal
    try:
        check_journal(journal, book.accounts)
        return post_journals(merchant, [journal])[0]
    except LedgerError as exc:
        raise PostingRefused(f"{name}: {exc}") from exc


def _delete(row: SalesDocument) -> None:
    """A document fully posted leaves the open documents (its lines with it)."""
    _, deleted = SalesDocument.objects.filter(pk=row.pk).delete()
    if not deleted.get(SalesDocument._meta.label):
        raise _PostedMeanwhile


def _item_entries(merchant, row: SalesDocument, document: SalesDocumentData, items, day: date, *,
                  document_no: str, coming_back: bool = False) -> None:
    """Stock leaves the document's location, or comes back to it (a credit memo's goods; an exchange's,
    of a negative quantity, leave): one sale entry per inventory item line, as Business Central
    records a sale and a sales return (services keep none)."""
    sign = 1 if coming_back else -1
    ItemLedgerEntry.objects.bulk_create(
        [ItemLedgerEntry(merchant=merchant, item=items[line.number], variant_code=line.variant_code,
                         location=row.location, posting_date=day, entry_type=EntryType.SALE,
                         quantity=sign * line.quantity, document_no=document_no, description=line.description)
         for line in document.lines
         if line.type == LineType.ITEM and items[line.number].type == ItemType.INVENTORY and line.quantity],
        batch_size=500)


def _next(merchant, series: str, model) -> str:
    return next_numbers(merchant, series, 1, taken=lambda batch: set(
        model.objects.filter(merchant=merchant, number__in=batch).values_list("number", flat=True)))[0]


def _copied(row: SalesDocument) -> dict:
    return {name: getattr(row, name) for name in COPIED}
