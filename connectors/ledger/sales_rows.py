"""Sales documents as rows and as plain values (connectors.ledger.records), both ways: what the
creating, reading and posting services share."""
from __future__ import annotations

from decimal import Decimal

from django.db import models

from connectors.ledger.models import SalesDocument, SalesDocumentStatus, SalesDocumentType, SalesLine
from connectors.ledger.records import AddressData, SalesDocumentData, SalesLineData, TaxShare

SHIP_TO = ("name", "address", "address_2", "city", "post_code", "county", "country")
LINE_FIELDS = ("line_no", "type", "number", "variant_code", "description", "quantity", "shopify_line_id")
PRICE_FIELDS = ("unit_price", "line_discount", "invoice_discount", "money_kind")


def what(type: str, number: str) -> str:
    """A document as a message names it: "sales order SO00001"."""
    label = SalesDocumentType(type).label.lower() if type in SalesDocumentType.values else f"{type} document"
    return f"{label} {number}".strip()


def fit(model: type[models.Model], name: str, value: str) -> str:
    """`value` cut to the field's length (a Shopify name or address may run longer than the books')."""
    return (value or "")[:model._meta.get_field(name).max_length]


def sold_to_fields(document: SalesDocumentData) -> dict:
    """A document's header fields that its posted documents copy, less customers and location."""
    ship_to = {f"ship_to_{name}": fit(SalesDocument, f"ship_to_{name}", getattr(document.ship_to, name))
               for name in SHIP_TO}
    return {**ship_to, "number": document.number, "currency": document.currency,
            "document_date": document.document_date,
            "external_document_no": fit(SalesDocument, "external_document_no", document.external_document_no),
            "shopify_order_id": document.shopify_order_id,
            "shopify_order_no": fit(SalesDocument, "shopify_order_no", document.shopify_order_no)}


def line_fields(line: SalesLineData, prices_include_tax: bool) -> dict:
    """A priced line's fields (SalesLine, PostedSalesInvoiceLine), its amounts computed."""
    amounts = line.amounts(prices_include_tax)
    return {**{name: getattr(line, name) for name in LINE_FIELDS + PRICE_FIELDS},
            "description": fit(SalesLine, "description", line.description),
            "taxes": [{"key": s.key, "rate": str(s.rate), "amount": str(s.amount)} for s in line.taxes],
            "amount": amounts.amount, "tax_amount": amounts.tax, "amount_including_tax": amounts.amount_including_tax}


def taxes_of(stored: list[dict]) -> tuple[TaxShare, ...]:
    return tuple(TaxShare(s["key"], Decimal(s["rate"]), Decimal(s["amount"])) for s in stored)


def line_data(row) -> SalesLineData:
    return SalesLineData(**{name: getattr(row, name) for name in LINE_FIELDS + PRICE_FIELDS},
                         taxes=taxes_of(row.taxes))


def document_data(row: SalesDocument, lines) -> SalesDocumentData:
    """The document as a value; `row` comes with its customers and location."""
    return SalesDocumentData(
        type=row.type, number=row.number, customer=row.sell_to.number, bill_to=row.bill_to.number,
        currency=row.currency, document_date=row.document_date, prices_include_tax=row.prices_include_tax,
        lines=tuple(line_data(line) for line in sorted(lines, key=lambda line: line.line_no)),
        ship_to=AddressData(**{name: getattr(row, f"ship_to_{name}") for name in SHIP_TO}),
        external_document_no=row.external_document_no, shopify_order_id=row.shopify_order_id,
        shopify_order_no=row.shopify_order_no, location=row.location.code if row.location else "",
        released=row.status == SalesDocumentStatus.RELEASED, shipped=bool(row.shipped_shipment_no),
        shipping_agent=row.shipping_agent, package_tracking_no=row.package_tracking_no)
