"""Sales documents (orders, invoices, credit memos, return orders) and what posting them leaves:
posted shipments, posted invoices, posted credit memos and customer ledger entries. Posted rows are
never changed, but for a posted shipment's shipping agent and package tracking no. (Business Central's
"Update document": the parcel's number is often known only after the goods left)."""
from django.db import models

from connectors.ledger.models.customers import Customer
from connectors.ledger.models.journals import CENTS, JournalEntry
from connectors.ledger.models.stock import Location
from connectors.ledger.money_kinds import MoneyKindChoices

QUANTITY = {"max_digits": 18, "decimal_places": 5}
PRICE = {"max_digits": 20, "decimal_places": 5}


class SalesDocumentType(models.TextChoices):
    ORDER = "order", "Sales order"
    INVOICE = "invoice", "Sales invoice"
    CREDIT_MEMO = "credit_memo", "Sales credit memo"
    RETURN_ORDER = "return_order", "Sales return order"


class SalesDocumentStatus(models.TextChoices):
    OPEN = "open", "Open"
    RELEASED = "released", "Released"


class SalesLineType(models.TextChoices):
    ITEM = "item", "Item"
    ACCOUNT = "account", "G/L account"


class CustomerDocumentType(models.TextChoices):
    INVOICE = "invoice", "Invoice"
    CREDIT_MEMO = "credit_memo", "Credit memo"
    PAYMENT = "payment", "Payment"
    REFUND = "refund", "Refund"


class SoldTo(models.Model):
    """What a sales document and the documents posted from it say of whom and where it sold to."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="ledger_%(class)ss")
    number = models.CharField("no.", max_length=20)
    sell_to = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+",
                                verbose_name="sell-to customer")
    bill_to = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+",
                                verbose_name="bill-to customer")
    ship_to_name = models.CharField(max_length=100, blank=True)
    ship_to_address = models.CharField(max_length=100, blank=True)
    ship_to_address_2 = models.CharField(max_length=100, blank=True)
    ship_to_city = models.CharField(max_length=50, blank=True)
    ship_to_post_code = models.CharField(max_length=20, blank=True)
    ship_to_county = models.CharField(max_length=50, blank=True)
    ship_to_country = models.CharField(max_length=2, blank=True)
    currency = models.CharField(max_length=3)
    document_date = models.DateField()
    external_document_no = models.CharField("external document no.", max_length=35, blank=True)
    shopify_order_id = models.CharField("Shopify order ID", max_length=100, blank=True)
    shopify_order_no = models.CharField("Shopify order no.", max_length=30, blank=True)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.number}"


class Tracking(models.Model):
    """Who carries the goods and the parcel's number: the shipping agent by code (ShippingAgent)."""

    shipping_agent = models.CharField("shipping agent code", max_length=10, blank=True)
    package_tracking_no = models.CharField("package tracking no.", max_length=50, blank=True)

    class Meta:
        abstract = True


class SalesDocument(SoldTo, Tracking):
    type = models.CharField(max_length=20, choices=SalesDocumentType.choices)
    prices_include_tax = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=SalesDocumentStatus.choices, default=SalesDocumentStatus.OPEN)
    shipped_shipment_no = models.CharField("shipped (shipment no.)", max_length=20, blank=True,
                                           help_text="The posted shipment of an order shipped and not yet invoiced.")

    class Meta:
        ordering = ["merchant", "type", "number"]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "type", "number"], name="ledger_sales_document_no_unique"),
            # Two runs of 30103 at once cannot make two documents of one Shopify order.
            models.UniqueConstraint(fields=["merchant", "shopify_order_id"],
                                    condition=models.Q(type__in=["order", "invoice"]) & ~models.Q(shopify_order_id=""),
                                    name="ledger_one_sales_document_per_order"),
        ]
        indexes = [models.Index(fields=["merchant", "shopify_order_id"], name="ledger_sales_doc_order")]

    def __str__(self) -> str:
        return f"{self.get_type_display().lower()} {self.number}"


class SalesLineFields(models.Model):
    line_no = models.PositiveIntegerField("line no.")
    type = models.CharField(max_length=10, choices=SalesLineType.choices)
    number = models.CharField("no.", max_length=20, blank=True)
    variant_code = models.CharField(max_length=10, blank=True)
    description = models.CharField(max_length=100, blank=True)
    quantity = models.DecimalField(**QUANTITY)
    shopify_line_id = models.CharField("Shopify line ID", max_length=100, blank=True)

    class Meta:
        abstract = True


class PricedLineFields(SalesLineFields):
    unit_price = models.DecimalField(**PRICE)
    line_discount = models.DecimalField(**CENTS)
    invoice_discount = models.DecimalField(**CENTS)
    money_kind = models.CharField("kind of money", max_length=30, blank=True, choices=MoneyKindChoices.choices)
    # [{"key": "VAT 20%", "rate": "0.2", "amount": "18.00"}]: exact decimals, as strings.
    taxes = models.JSONField(default=list, blank=True)
    # What the line posts, kept for the pages (recomputed from the fields above when posting).
    amount = models.DecimalField(**CENTS)
    tax_amount = models.DecimalField(**CENTS)
    amount_including_tax = models.DecimalField("amount incl. tax", **CENTS)

    class Meta:
        abstract = True


class SalesLine(PricedLineFields):
    merchant_lookup = "document__merchant"

    document = models.ForeignKey(SalesDocument, on_delete=models.CASCADE, related_name="lines")

    class Meta:
        ordering = ["document", "line_no"]
        constraints = [models.UniqueConstraint(fields=["document", "line_no"], name="ledger_sales_line_no_unique")]

    def __str__(self) -> str:
        return f"{self.document.number} {self.line_no}"


class PostedSalesShipment(SoldTo, Tracking):
    order_no = models.CharField("order no.", max_length=20)
    posting_date = models.DateField()

    class Meta:
        ordering = ["merchant", "-posting_date", "-number"]
        constraints = [models.UniqueConstraint(fields=["merchant", "number"], name="ledger_posted_shipment_no_unique")]
        indexes = [models.Index(fields=["merchant", "shopify_order_id"], name="ledger_shipment_order")]


class PostedSalesShipmentLine(SalesLineFields):
    merchant_lookup = "shipment__merchant"

    shipment = models.ForeignKey(PostedSalesShipment, on_delete=models.CASCADE, related_name="lines")

    class Meta:
        ordering = ["shipment", "line_no"]

    def __str__(self) -> str:
        return f"{self.shipment.number} {self.line_no}"


class PostedSalesInvoice(SoldTo):
    order_no = models.CharField("order no.", max_length=20, help_text="The sales order or invoice it was posted from.")
    posting_date = models.DateField()
    prices_include_tax = models.BooleanField(default=False)
    amount = models.DecimalField(**CENTS)
    amount_including_tax = models.DecimalField("amount incl. tax", **CENTS)
    journal = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name="G/L journal", help_text="None for an invoice of nothing (all free).")

    class Meta:
        ordering = ["merchant", "-posting_date", "-number"]
        constraints = [models.UniqueConstraint(fields=["merchant", "number"], name="ledger_posted_invoice_no_unique")]
        indexes = [models.Index(fields=["merchant", "shopify_order_id"], name="ledger_invoice_order")]


class PostedSalesInvoiceLine(PricedLineFields):
    merchant_lookup = "invoice__merchant"

    invoice = models.ForeignKey(PostedSalesInvoice, on_delete=models.CASCADE, related_name="lines")

    class Meta:
        ordering = ["invoice", "line_no"]

    def __str__(self) -> str:
        return f"{self.invoice.number} {self.line_no}"


class PostedSalesCreditMemo(SoldTo):
    """A credit memo or return order posted: what the customer is credited, its goods back in stock."""

    source_type = models.CharField(max_length=20, choices=[(t.value, t.label) for t in (
        SalesDocumentType.CREDIT_MEMO, SalesDocumentType.RETURN_ORDER)], verbose_name="posted from")
    source_no = models.CharField("source no.", max_length=20,
                                 help_text="The sales credit memo or return order it was posted from.")
    posting_date = models.DateField()
    prices_include_tax = models.BooleanField(default=False)
    amount = models.DecimalField(**CENTS)
    amount_including_tax = models.DecimalField("amount incl. tax", **CENTS)
    journal = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name="G/L journal", help_text="None for a credit memo of nothing.")

    class Meta:
        ordering = ["merchant", "-posting_date", "-number"]
        constraints = [models.UniqueConstraint(fields=["merchant", "number"],
                                               name="ledger_posted_credit_memo_no_unique")]
        indexes = [models.Index(fields=["merchant", "shopify_order_id"], name="ledger_credit_memo_order")]


class PostedSalesCreditMemoLine(PricedLineFields):
    merchant_lookup = "credit_memo__merchant"

    credit_memo = models.ForeignKey(PostedSalesCreditMemo, on_delete=models.CASCADE, related_name="lines")

    class Meta:
        ordering = ["credit_memo", "line_no"]

    def __str__(self) -> str:
        return f"{self.credit_memo.number} {self.line_no}"


class CustomerLedgerEntry(models.Model):
    """What a customer owes, document by document: an invoice opens an entry, a credit memo one of a
    negative amount; a payment (negative) and a refund paid back (positive) are entries too. Entries
    of one Shopify order apply to each other (CustomerLedgerApplication) until what is left open is
    `remaining_amount`."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE,
                                 related_name="customer_ledger_entries")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="ledger_entries")
    posting_date = models.DateField()
    document_type = models.CharField(max_length=20, choices=CustomerDocumentType.choices)
    document_no = models.CharField("document no.", max_length=20)
    description = models.CharField(max_length=250, blank=True)
    currency = models.CharField(max_length=3)
    amount = models.DecimalField("amount incl. tax", **CENTS)
    remaining_amount = models.DecimalField(**CENTS)
    open = models.BooleanField(default=True)
    shopify_order_id = models.CharField("Shopify order ID", max_length=100, blank=True)
    shopify_order_no = models.CharField("Shopify order no.", max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "customer ledger entries"
        ordering = ["merchant", "-posting_date", "-id"]
        constraints = [
            # A journal pays or pays back an order once.
            models.UniqueConstraint(fields=["merchant", "shopify_order_id", "document_no"],
                                    condition=models.Q(document_type__in=["payment", "refund"]),
                                    name="ledger_one_payment_per_order_and_journal"),
        ]
        indexes = [models.Index(fields=["customer", "open"], name="ledger_customer_entry_open"),
                   models.Index(fields=["merchant", "shopify_order_id", "open"], name="ledger_customer_entry_order")]

    def __str__(self) -> str:
        return f"{self.get_document_type_display()} {self.document_no}"


class CustomerLedgerApplication(models.Model):
    """`amount` (positive) of an entry the customer owes (invoice, refund) closed by one that pays it
    (payment, credit memo), as Business Central applies customer ledger entries to each other."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE,
                                 related_name="customer_ledger_applications")
    owed_entry = models.ForeignKey(CustomerLedgerEntry, on_delete=models.CASCADE, related_name="applied_payments",
                                   help_text="The invoice or refund.")
    paid_entry = models.ForeignKey(CustomerLedgerEntry, on_delete=models.CASCADE, related_name="applied_to",
                                   help_text="The payment or credit memo.")
    amount = models.DecimalField(**CENTS)
    posting_date = models.DateField(help_text="The later of the two entries' posting dates.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["owed_entry", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0),
                                              name="ledger_application_amount_positive")]

    def __str__(self) -> str:
        return f"{self.paid_entry} applied to {self.owed_entry}: {self.amount}"


class WaitingCustomerPayment(models.Model):
    """A payment (or refund) of a Shopify order the payments journal took into receivables before the
    books knew whose it is (no document, no linked customer, no default customer): entered on the
    customer of the order's invoice or credit memo when that is posted."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE,
                                 related_name="waiting_customer_payments")
    shopify_order_id = models.CharField("Shopify order ID", max_length=100)
    shopify_order_no = models.CharField("Shopify order no.", max_length=30, blank=True)
    amount = models.DecimalField(**CENTS, help_text="Positive: paid in; negative: paid back.")
    posting_date = models.DateField()
    document_no = models.CharField("journal no.", max_length=20)
    description = models.CharField(max_length=250, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["merchant", "posting_date", "id"]
        constraints = [models.UniqueConstraint(fields=["merchant", "shopify_order_id", "document_no"],
                                               name="ledger_one_waiting_payment_per_order_and_journal")]

    def __str__(self) -> str:
        return f"{self.shopify_order_no or self.shopify_order_id}: {self.amount} waiting for its customer"

    @property
    def currency(self) -> str:
        return self.merchant.shop_currency
