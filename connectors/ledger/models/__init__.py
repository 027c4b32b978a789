"""The built-in ledger's tables, one module per part of the books."""
from connectors.ledger.models.accounts import Account, AccountMapping, AccountType
from connectors.ledger.models.customers import Customer
from connectors.ledger.models.items import Item, ItemBarcode, ItemPicture, ItemType, ItemVariant
from connectors.ledger.models.journals import CENTS, JournalEntry, JournalKind, JournalLine
from connectors.ledger.models.numbering import NumberSeries, SeriesCode
from connectors.ledger.models.stock import EntryType, ItemLedgerEntry, Location

__all__ = ["Account", "AccountMapping", "AccountType", "CENTS", "Customer", "EntryType", "Item", "ItemBarcode",
           "ItemLedgerEntry", "ItemPicture", "ItemType", "ItemVariant", "JournalEntry", "JournalKind", "JournalLine",
           "Location", "NumberSeries", "SeriesCode"]
