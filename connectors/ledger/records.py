"""What the accounting-target interface takes and gives: plain values, never database rows, so any
accounting system can stand behind it. A record's `number` is the target's own key (a string)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class CustomerData:
    """A customer; `number` is "" for one not created yet (the target numbers it)."""
    name: str
    number: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    address_2: str = ""
    city: str = ""
    post_code: str = ""
    county: str = ""
    country: str = ""
    tax_liable: bool = True
    blocked: bool = False


@dataclass(frozen=True)
class BillTo:
    """A name and address as a sale is billed to; two are the same when every part is, ignoring case
    and surrounding spaces."""
    name: str
    address: str
    post_code: str
    city: str
    country: str

    def key(self) -> tuple[str, ...]:
        return tuple(part.strip().casefold() for part in (self.name, self.address, self.post_code, self.city,
                                                          self.country))

    @classmethod
    def of(cls, customer: CustomerData) -> "BillTo":
        return cls(customer.name, customer.address, customer.post_code, customer.city, customer.country)


@dataclass(frozen=True)
class VariantData:
    code: str
    description: str = ""


@dataclass(frozen=True)
class BarcodeData:
    barcode: str
    variant_code: str = ""


@dataclass(frozen=True)
class ItemData:
    """An item with its variants and barcodes; `number` is "" for one not created yet."""
    description: str
    number: str = ""
    type: str = "inventory"                # inventory or service
    base_unit: str = "PCS"
    unit_price: Decimal = Decimal("0.00")
    unit_cost: Decimal = Decimal("0.00")
    vendor_item_no: str = ""
    blocked: bool = False
    variants: tuple[VariantData, ...] = field(default_factory=tuple)
    barcodes: tuple[BarcodeData, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class PictureData:
    """An item's picture; `content_hash` tells a changed picture without reading the bytes."""
    content: bytes
    content_type: str
    filename: str = ""

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class LocationData:
    code: str
    name: str


@dataclass(frozen=True)
class StockKey:
    item: str
    variant: str
    location: str


@dataclass(frozen=True)
class StockEntry:
    """One movement of stock: positive in, negative out."""
    key: StockKey
    quantity: Decimal
    entry_type: str
    posting_date: date
    document_no: str = ""
    description: str = ""


@dataclass(frozen=True)
class AccountData:
    """An account of the chart; `code` is the target's key."""
    code: str
    name: str
    type: str
    is_active: bool = True
    is_auto_created: bool = False


@dataclass(frozen=True)
class JournalLineData:
    account: str       # the account's code
    debit: Decimal
    credit: Decimal
    description: str
    money_kind: str = ""
    key: str = ""


@dataclass(frozen=True)
class JournalData:
    """A journal to post, or one posted (then `number` is the target's key for it)."""
    kind: str
    posting_date: date
    currency: str
    description: str
    source_reference: str
    lines: tuple[JournalLineData, ...]
    number: str = ""

    @property
    def total_debit(self) -> Decimal:
        return sum((line.debit for line in self.lines), Decimal("0"))

    @property
    def total_credit(self) -> Decimal:
        return sum((line.credit for line in self.lines), Decimal("0"))
