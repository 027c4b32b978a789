"""Row locks of the ledger, taken only here (SQLite ignores them: its writes serialize, and the
conditional updates and constraints of the services still hold there)."""
from __future__ import annotations

from connectors.ledger.models import CustomerLedgerEntry, ItemJournalLine, PriceList, SalesDocument


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


def lock_sales_documents_of_orders(merchant, order_ids: set[str]) -> None:
    """The orders' open sales documents locked, by id, until the transaction ends: a document posting
    meanwhile (which locks its own first) is either in the books when the entries are read, or
    applies these payments itself when it posts. One query."""
    list(SalesDocument.objects.select_for_update().filter(merchant=merchant, shopify_order_id__in=order_ids)
         .order_by("pk").values_list("pk", flat=True))


def locked_open_entries_of_orders(merchant, order_ids: list[str]) -> list[CustomerLedgerEntry]:
    """The orders' open customer ledger entries, locked by id until the transaction ends. One query."""
    return list(CustomerLedgerEntry.objects.select_for_update()
                .filter(merchant=merchant, shopify_order_id__in=order_ids, open=True).order_by("pk")
                .only("pk", "customer_id", "shopify_order_id", "document_type", "posting_date", "remaining_amount",
                      "open"))


def lock_price_list(price_list_id: int) -> None:
    """The price list locked until the transaction ends: two imports into one list take turns, so
    each reads the lines the other wrote. One query."""
    list(PriceList.objects.select_for_update().filter(pk=price_list_id).order_by().values_list("pk", flat=True))
