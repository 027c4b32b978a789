"""Row locks of the ledger, taken only here (SQLite ignores them: its writes serialize, and the
conditional updates and constraints of the services still hold there)."""
from __future__ import annotations

from connectors.ledger.models import SalesDocument


def locked_sales_document(merchant, type: str, number: str) -> SalesDocument | None:
    """The open document, locked until the transaction ends, read again once a run that held it let
    go: None when that run posted it meanwhile."""
    return (SalesDocument.objects.select_for_update(of=("self",)).select_related("sell_to", "bill_to", "location")
            .filter(merchant=merchant, type=type, number=number).first())
