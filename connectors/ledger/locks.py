"""Row locks of the ledger, taken only here (SQLite ignores them: its writes serialize, and the
conditional updates and constraints of the services still hold there)."""
from __future__ import annotations

from connectors.ledger.models import ItemJournalLine, SalesDocument


def locked_sales_document(merchant, type: str, number: str) -> SalesDocument | None:
    """The open document, locked until the transaction ends, read again once a run that held it let
    go: None when that run posted it meanwhile."""
    return (SalesDocument.objects.select_for_update(of=("self",)).select_related("sell_to", "bill_to", "location")
            .filter(merchant=merchant, type=type, number=number).first())


def locked_journal_lines(ids) -> list[ItemJournalLine]:
    """The item journal lines of `ids` still there, with their items and locations, locked in the order
    of their ids until the transaction ends: a posting that waited for another one finds the lines
    that one posted gone."""
    return list(ItemJournalLine.objects.select_for_update(of=("self",)).select_related("item", "location")
                .filter(pk__in=list(ids)).order_by("pk"))
