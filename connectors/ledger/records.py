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
    tax_registration_no: str = ""
    price_list_code: str = ""      # the price list its sales (and its B2B catalog) are priced from
    b2b_company: bool = False      # to be created in Shopify as a B2B company


@dataclass(frozen=True)
class PriceListData:
    """A sales price list: every price in it is in `currency` (ISO 4217)."""
    code: str
    currency: str
    description: str = ""


@dataclass(frozen=True)
class PriceLineData:
    """A price of a price list: of the item (all its variants) when `variant_code` is blank, else of
    that variant; valid from `starting_date` (None: always) to `ending_date` (None: open)."""
    item_no: str
    unit_price: Decimal
    variant_code: str = ""
    starting_date: date | None = None
    ending_date: date | None = None

    @property
    def key(self) -> tuple[str, str, date | None]:
        """What makes a line of a list: two lines of one key cannot be."""
        return self.item_no, self.variant_code, self.starting_date


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


# Sales documents (L1): what 30103 creates and 296/297 post.

class DocumentType:
    ORDER = "order"
    INVOICE = "invoice"
    CREDIT_MEMO = "credit_memo"
    RETURN_ORDER = "return_order"
    ALL = (ORDER, INVOICE, CREDIT_MEMO, RETURN_ORDER)


class LineType:
    ITEM = "item"
    ACCOUNT = "account"


ZERO = Decimal("0")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class AddressData:
    name: str = ""
    address: str = ""
    address_2: str = ""
    city: str = ""
    post_code: str = ""
    county: str = ""
    country: str = ""


@dataclass(frozen=True)
class TaxShare:
    """A line's tax of one rate: `key` names the tax mapping ("VAT 20%"), `amount` is in cents."""
    key: str
    rate: Decimal
    amount: Decimal


@dataclass(frozen=True)
class LineAmounts:
    """A line's money without tax, in cents, as it posts: sales (before discounts) less discount is
    `amount`; `amount` plus `tax` is `amount_including_tax`."""
    sales: Decimal
    discount: Decimal
    amount: Decimal
    tax: Decimal
    amount_including_tax: Decimal


@dataclass(frozen=True)
class SalesLineData:
    """A line of a sales document. An item line names the item (and variant); an account line names
    the account's code, or leaves it "" and says with `money_kind` which mapped account it takes
    (shipping_income, tips, gift_cards_sold): the target fills the code in from the account mappings.
    Prices and discounts are as priced: with tax when the document's prices include tax."""
    type: str
    number: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    variant_code: str = ""
    line_discount: Decimal = ZERO
    invoice_discount: Decimal = ZERO       # the line's share of the document's invoice discount
    taxes: tuple[TaxShare, ...] = ()
    money_kind: str = ""
    shopify_line_id: str = ""              # the Shopify order line (or shipping line) it came from
    line_no: int = 0                       # given by the target: 10000, 20000, ...

    @property
    def tax(self) -> Decimal:
        return sum((share.amount for share in self.taxes), ZERO)

    def amounts(self, prices_include_tax: bool) -> LineAmounts:
        """What the line posts. With prices including tax, the tax is taken out of the amount as
        priced and the discount's share of tax out of the discount, so the parts always add up to
        the cent: sales − discount + tax = what the customer owes for the line."""
        gross = (self.quantity * self.unit_price).quantize(CENT)
        discount = (self.line_discount + self.invoice_discount).quantize(CENT)
        tax = self.tax.quantize(CENT)
        if not prices_include_tax:
            return LineAmounts(gross, discount, gross - discount, tax, gross - discount + tax)
        including = gross - discount
        amount = including - tax
        rate = sum((share.rate for share in self.taxes), ZERO)
        net_discount = (discount / (1 + rate)).quantize(CENT) if discount else ZERO
        return LineAmounts(amount + net_discount, net_discount, amount, tax, including)


@dataclass(frozen=True)
class SalesDocumentData:
    """A sales document to create, or one in the books (then `number` and the lines' `line_no` are
    the target's). `bill_to` "" bills the sell-to customer; `number` "" takes the type's series."""
    type: str
    customer: str
    currency: str
    document_date: date
    lines: tuple[SalesLineData, ...]
    prices_include_tax: bool = False
    bill_to: str = ""
    ship_to: AddressData = field(default_factory=AddressData)
    number: str = ""
    external_document_no: str = ""
    shopify_order_id: str = ""             # the Shopify order's GID
    shopify_order_no: str = ""             # its name as Shopify shows it, e.g. "#1001"
    location: str = ""                     # where shipped items leave from ("": the ledger's one location)
    released: bool = False
    shipped: bool = False                  # an order whose shipment is posted (its invoice not yet)
    shipping_agent: str = ""               # the shipping agent's code ("": none)
    package_tracking_no: str = ""

    @property
    def invoice_discount(self) -> Decimal:
        return sum((line.invoice_discount for line in self.lines), ZERO)

    def totals(self) -> LineAmounts:
        parts = [line.amounts(self.prices_include_tax) for line in self.lines]
        return LineAmounts(*(sum((getattr(p, name) for p in parts), ZERO) for name in LineAmounts.__dataclass_fields__))


@dataclass(frozen=True)
class DocumentOutcome:
    """What creating one draft did: the document as created, or why it was refused (nothing of it
    was written)."""
    document: SalesDocumentData | None = None
    error: str = ""


@dataclass(frozen=True)
class DocumentRef:
    """A document of the books, open or posted: kind is a DocumentType or "posted_shipment",
    "posted_invoice", "posted_credit_memo"."""
    kind: str
    number: str
    shopify_order_id: str = ""
    source_no: str = ""                    # a posted document's sales document


@dataclass(frozen=True)
class PostingResult:
    """What posting one document did: the posted documents it made and the G/L journal, or why it
    did not post (then nothing of it was written)."""
    type: str
    number: str
    shipment_no: str = ""
    invoice_no: str = ""
    journal_no: str = ""
    error: str = ""
    credit_memo_no: str = ""               # the posted credit memo of a credit memo or return order


# Stock and shipments to Shopify (30102, 30109).

class StockCalculation:
    """How a location's stock is reckoned for Shopify: not at all, what is on hand, or what is on hand
    less what open sales orders and invoices will take (Business Central's stock calculations)."""
    DISABLED = "disabled"
    ON_HAND = "on_hand"
    AVAILABLE = "available"
    ALL = (DISABLED, ON_HAND, AVAILABLE)


@dataclass(frozen=True)
class ShipmentLineData:
    line_no: int
    type: str                              # a LineType
    number: str
    variant_code: str
    quantity: Decimal
    shopify_line_id: str                   # the Shopify order line it came from ("": none)


@dataclass(frozen=True)
class ShipmentData:
    """A posted shipment: what left, from where, and how to follow the parcel. The tracking company
    and URL come from its shipping agent ("" when it has none)."""
    number: str
    order_no: str
    posting_date: date
    shopify_order_id: str
    shopify_order_no: str
    location: str                          # the location's code ("": none, a shipment of services only)
    tracking_company: str
    tracking_number: str
    tracking_url: str
    lines: tuple[ShipmentLineData, ...]


# Customer payments (documents-mode shops): what the daily payments journal applies to the invoices.

@dataclass(frozen=True)
class CustomerPaymentData:
    """What one Shopify order's transactions brought in on a day, less what they paid back, in cents:
    positive paid in (a payment), negative paid back (a refund). `document_no` is the journal that
    posted it; `customer_no` is used only when the order has no posted invoice nor sales document
    ("": the shop's default customer then)."""
    shopify_order_id: str                  # the Shopify order's GID
    shopify_order_no: str                  # its name as Shopify shows it, e.g. "#1001"
    amount: Decimal
    posting_date: date
    document_no: str
    description: str
    customer_no: str = ""

