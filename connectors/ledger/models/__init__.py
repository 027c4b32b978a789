"""The built-in ledger's tables, one module per part of the books."""
from connectors.ledger.models.accounts import Account, AccountMapping, AccountType
from connectors.ledger.models.customers import Customer
from connectors.ledger.models.item_journal import JOURNAL_ENTRY_TYPES, ItemJournalLine
from connectors.ledger.models.items import Item, ItemBarcode, ItemPicture, ItemType, ItemVariant
from connectors.ledger.models.journals import CENTS, JournalEntry, JournalKind, JournalLine
from connectors.ledger.models.numbering import NumberSeries, SeriesCode
from connectors.ledger.models.prices import PriceList, PriceListLine
from connectors.ledger.models.sales import (
    CustomerDocumentType,
    CustomerLedgerEntry,
    PostedSalesCreditMemo,
    PostedSalesCreditMemoLine,
    PostedSalesInvoice,
    PostedSalesInvoiceLine,
    PostedSalesShipment,
    PostedSalesShipmentLine,
    SalesDocument,
    SalesDocumentStatus,
    SalesDocumentType,
    SalesLine,
    SalesLineType,
)
from connectors.ledger.models.shipping import ShippingAgent
from connectors.ledger.models.stock import EntryType, ItemLedgerEntry, Location

__all__ = ["PriceList", "PriceListLine", "Account", "AccountMapping", "AccountType", "CENTS", "Customer",
           "CustomerDocumentType",
           "CustomerLedgerEntry", "EntryType", "Item", "ItemBarcode", "ItemLedgerEntry", "ItemPicture", "ItemType",
           "ItemJournalLine", "JOURNAL_ENTRY_TYPES",
           "ItemVariant", "JournalEntry", "JournalKind", "JournalLine", "Location", "NumberSeries",
           "PostedSalesCreditMemo", "PostedSalesCreditMemoLine", "PostedSalesInvoice", "PostedSalesInvoiceLine",
           "PostedSalesShipment", "PostedSalesShipmentLine",
           "SalesDocument", "SalesDocumentStatus", "SalesDocumentType", "SalesLine", "SalesLineType", "SeriesCode",
           "ShippingAgent"]
