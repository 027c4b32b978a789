"""What the documents tests share: the order made to measure most of them use, and how they read the
books back (documents of an order, the G/L entries posted)."""
from __future__ import annotations

from decimal import Decimal

from connectors.ledger.models import JournalLine
from connectors.ledger.records import DocumentRef
from connectors.ledger.target import target_for

D = Decimal
ACROSS_TEN_PERCENT = {"index": 0, "type": "DiscountCodeApplication", "code_or_title": "TENOFF",
                      "allocation_method": "ACROSS", "target_type": "LINE_ITEM", "value_type": "PERCENTAGE",
                      "value": "10"}


def vat_line(price: str, quantity: int, vat: str, *, sku: str = "SHIRT", title: str = "Shirt", discounts=(),
             gift_card: bool = False) -> dict:
    return {"title": title, "sku": sku, "quantity": quantity, "price": price, "gift_card": gift_card,
            "taxes": [["VAT", "0.2", vat]] if vat else [], "discounts": [list(d) for d in discounts]}


def vat_order(**changes) -> dict:
    """2 shirts at 60.00 with 10 % off the order (12.00), VAT 20 % of 108.00 = 18.00; shipping 6.00
    with VAT 1.00; a tip of 5.00: the customer owes 119.00."""
    return {"name": "#2001", "taxes_included": True,
            "lines": [vat_line("60.00", 2, "18.00", discounts=[(0, "12.00")])],
            "shipping_lines": [{"title": "Standard", "price": "6.00", "taxes": [["VAT", "0.2", "1.00"]]}],
            "discount_applications": [ACROSS_TEN_PERCENT], "tip": "5.00", **changes}


def documents_of(merchant, gid: str) -> list[DocumentRef]:
    return target_for(merchant).documents_of_shopify_orders(merchant, [gid]).get(gid, [])


def the_document(merchant, gid: str):
    (ref,) = [ref for ref in documents_of(merchant, gid) if not ref.kind.startswith("posted_")]
    return target_for(merchant).get_sales_documents(merchant, ref.kind, [ref.number])[ref.number]


def gl_entries(merchant, *, kind: str = "sales_invoice") -> list[tuple[str, Decimal, Decimal]]:
    """The posted documents' G/L entries (sales invoices by default), one line per account (debit, credit)."""
    totals: dict[str, list[Decimal]] = {}
    for code, debit, credit in JournalLine.objects.filter(journal__merchant=merchant,
                                                          journal__kind=kind).values_list(
            "account__code", "debit", "credit"):
        total = totals.setdefault(code, [D(0), D(0)])
        total[0] += debit
        total[1] += credit
    return [(code, debit - credit if debit > credit else 0, credit - debit if credit > debit else 0)
            for code, (debit, credit) in sorted(totals.items())]
