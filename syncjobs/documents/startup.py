"""What the documents domain tells the registries below it (core) once every app is loaded."""
from __future__ import annotations

import syncjobs.documents.conflicts  # noqa: F401  (flags orders changed after processing as they are imported)
from core.list_extras import register_row_action, register_row_notes
from core.record_links import register_record_link, register_related_links
from syncjobs.documents import tiles
from syncjobs.documents.actions import process_orders
from syncjobs.documents.links import document_record_link, documents_of_order_links
from syncjobs.documents.notes import order_notes


def register() -> None:
    tiles.register()
    register_related_links("shopify order", documents_of_order_links)
    register_row_notes("shopify order", order_notes)
    register_row_action("shopify order", process_orders)
    register_record_link("sales order", document_record_link("order"))
    register_record_link("sales invoice", document_record_link("invoice"))
    register_record_link("sales credit memo", document_record_link("credit_memo"))
