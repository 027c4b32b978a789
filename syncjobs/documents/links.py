"""Where an imported order's documents are: its sales order or invoice while open, and the posted
shipment and invoice once posted (asked of the books by the order's GID)."""
from __future__ import annotations

from connectors.ledger.target import target_for
from core.record_links import Link
from merchants.models import Merchant, PostingMode

KIND_NAMES = {"order": "sales order", "invoice": "sales invoice", "credit_memo": "sales credit memo",
              "return_order": "sales return order", "posted_shipment": "posted shipment",
              "posted_invoice": "posted invoice", "posted_credit_memo": "posted credit memo"}


def documents_of_order_links(order) -> list[Link]:
    if order.merchant.posting_mode != PostingMode.DOCUMENTS:
        return []
    target = target_for(order.merchant)
    refs = target.documents_of_shopify_orders(order.merchant, [order.shopify_gid]).get(order.shopify_gid, [])
    return [Link(f"{KIND_NAMES.get(ref.kind, ref.kind)} {ref.number}", target.document_url(ref.kind, ref.number))
            for ref in refs]


def document_record_link(kind: str):
    """The run log's link for a document a batch posting could not post, by its number."""
    def link(merchant_id: int, number: str) -> Link | None:
        merchant = Merchant.objects.filter(pk=merchant_id).first()
        if merchant is None:
            return None
        return Link(f"{KIND_NAMES[kind]} {number}", target_for(merchant).document_url(kind, number))
    return link
