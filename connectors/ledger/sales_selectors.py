"""Reading sales documents: by number, the numbers a batch posting takes, the documents (open or
posted) of Shopify orders, and what of them uses a customer or an item (core.in_use)."""
from __future__ import annotations

from collections.abc import Collection
from datetime import date

from django.db.models import Q

from connectors.ledger.models import (
    CustomerLedgerEntry,
    PostedSalesCreditMemo,
    PostedSalesCreditMemoLine,
    PostedSalesInvoice,
    PostedSalesInvoiceLine,
    PostedSalesShipment,
    PostedSalesShipmentLine,
    SalesDocument,
    SalesDocumentStatus,
    SalesLine,
    SalesLineType,
)
from connectors.ledger.records import DocumentRef, SalesDocumentData
from connectors.ledger.sales_rows import document_data

POSTED_SHIPMENT = "posted_shipment"
POSTED_INVOICE = "posted_invoice"
POSTED_CREDIT_MEMO = "posted_credit_memo"


class KeptForGood(str):
    """A use that nobody can change: a posted document or ledger entry names the record for good (a
    sentence of core.in_use; the page deleting the record words its advice by it)."""


def get_sales_documents(merchant, type: str, numbers) -> dict[str, SalesDocumentData]:
    rows = (SalesDocument.objects.filter(merchant=merchant, type=type, number__in=set(numbers))
            .select_related("sell_to", "bill_to", "location").prefetch_related("lines"))
    return {row.number: document_data(row, row.lines.all()) for row in rows}


def sales_document_numbers(merchant, type: str, *, released_only: bool = False, shopify_only: bool = False,
                           date_from: date | None = None, date_to: date | None = None) -> list[str]:
    rows = SalesDocument.objects.filter(merchant=merchant, type=type)
    if released_only:
        rows = rows.filter(status=SalesDocumentStatus.RELEASED)
    if shopify_only:
        rows = rows.exclude(shopify_order_id="")
    if date_from is not None:
        rows = rows.filter(document_date__gte=date_from)
    if date_to is not None:
        rows = rows.filter(document_date__lte=date_to)
    return list(rows.order_by("number").values_list("number", flat=True))


def documents_of_shopify_orders(merchant, order_ids) -> dict[str, list[DocumentRef]]:
    """Every document, open or posted, of the Shopify orders: one query per table."""
    order_ids = set(order_ids) - {""}
    if not order_ids:
        return {}
    found: dict[str, list[DocumentRef]] = {}
    tables = ((SalesDocument, None, ""), (PostedSalesShipment, POSTED_SHIPMENT, "order_no"),
              (PostedSalesInvoice, POSTED_INVOICE, "order_no"),
              (PostedSalesCreditMemo, POSTED_CREDIT_MEMO, "source_no"))
    for model, kind, source in tables:
        rows = model.objects.filter(merchant=merchant, shopify_order_id__in=order_ids).order_by("pk")
        fields = ("type", "number", "shopify_order_id") if kind is None else ("number", "shopify_order_id", source)
        for row in rows.values_list(*fields):
            ref = (DocumentRef(row[0], row[1], row[2]) if kind is None
                   else DocumentRef(kind, row[0], row[1], source_no=row[2]))
            found.setdefault(ref.shopify_order_id, []).append(ref)
    return found


def customer_uses(merchant_id: int, numbers: Collection[str]) -> list[str]:
    """One sentence per customer and kind of document that names it: five queries."""
    uses = []
    for model, held in ((SalesDocument, "open sales documents"), (PostedSalesShipment, "posted sales shipments"),
                        (PostedSalesInvoice, "posted sales invoices"),
                        (PostedSalesCreditMemo, "posted sales credit memos")):
        pairs = (model.objects.filter(Q(sell_to__number__in=numbers) | Q(bill_to__number__in=numbers),
                                      merchant_id=merchant_id)
                 .values_list("sell_to__number", "bill_to__number").distinct())
        named = sorted({number for pair in pairs for number in pair} & set(numbers))
        uses += [_use(model, f"customer {number} is on {held}") for number in named]
    entries = (CustomerLedgerEntry.objects.filter(merchant_id=merchant_id, customer__number__in=numbers)
               .values_list("customer__number", flat=True).distinct().order_by("customer__number"))
    uses += [KeptForGood(f"customer {number} has customer ledger entries") for number in entries]
    return uses


def item_uses(merchant_id: int, numbers: Collection[str]) -> list[str]:
    """One sentence per item and kind of document whose lines name it: four queries."""
    uses = []
    for model, parent, held in ((SalesLine, "document", "open sales documents"),
                                (PostedSalesShipmentLine, "shipment", "posted sales shipments"),
                                (PostedSalesInvoiceLine, "invoice", "posted sales invoices"),
                                (PostedSalesCreditMemoLine, "credit_memo", "posted sales credit memos")):
        named = (model.objects.filter(**{f"{parent}__merchant_id": merchant_id}, type=SalesLineType.ITEM,
                                      number__in=numbers)
                 .values_list("number", flat=True).distinct().order_by("number"))
        uses += [_use(model, f"item {number} is on lines of {held}") for number in named]
    return uses


def _use(model, sentence: str) -> str:
    return sentence if model in (SalesDocument, SalesLine) else KeptForGood(sentence)
