"""Orders imported from Shopify, as Shopify states them (report 30104).

Money is Decimal in the shop currency (`*_presentment` in the currency the customer saw), times are
UTC, and every row that Shopify identifies carries its GID, unique per merchant, so importing the
same page twice changes nothing. `processed`, `has_error` and `error_message` belong to the
document pipeline that turns orders into sales documents or daily postings.
"""
from django.db import models
from django.utils import timezone

from connectors.shopify.models.catalogs import CatalogKind, ShopifyCatalog, ShopifyCatalogPrice
from connectors.shopify.models.companies import ShopifyCompany, ShopifyCompanyContact, ShopifyCompanyLocation
from connectors.shopify.models.fields import ADDRESS, MONEY, RATE, SPLIT
from connectors.shopify.models.payments import (
    DISPUTE_FINAL,
    ORDER_AND_PAYOUT_MOVEMENTS,
    PAYOUT_FAILED,
    PAYOUT_LEFT,
    ShopifyBalanceTransaction,
    ShopifyDispute,
    ShopifyPayout,
)
from connectors.shopify.states import (
    FinancialStatus,
    FulfillmentStatus,
    TransactionKind,
    TransactionStatus,
)

__all__ = ["ADDRESS", "DISPUTE_FINAL", "MONEY", "ORDER_AND_PAYOUT_MOVEMENTS", "PAYOUT_FAILED", "PAYOUT_LEFT", "RATE",
           "SPLIT", "CatalogKind", "ShopifyBalanceTransaction", "ShopifyCatalog", "ShopifyCatalogPrice",
           "ShopifyCompany", "ShopifyCompanyContact", "ShopifyCompanyLocation", "ShopifyDispute", "ShopifyPayout"]


class ShopifyOrder(models.Model):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="shopify_orders")
    shopify_gid = models.CharField("Shopify ID", max_length=64)
    legacy_id = models.BigIntegerField()
    name = models.CharField(max_length=64, help_text="The Shopify order no., e.g. #1001.")
    created_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)
    shopify_updated_at = models.DateTimeField("updated in Shopify")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    is_test = models.BooleanField("test", default=False)
    email = models.CharField(max_length=254, blank=True)
    currency = models.CharField(max_length=3)
    presentment_currency = models.CharField(max_length=3)
    taxes_included = models.BooleanField(default=False)
    financial_status = models.CharField(max_length=32, blank=True, choices=FinancialStatus.choices)
    fulfillment_status = models.CharField(max_length=32, blank=True, choices=FulfillmentStatus.choices)
    customer_gid = models.CharField(max_length=64, blank=True)
    customer_email = models.CharField(max_length=254, blank=True)
    customer_name = models.CharField(max_length=255, blank=True)
    # A B2B order's buyer (its purchasingEntity): the company and the company location it was placed for.
    company_gid = models.CharField(max_length=64, **ADDRESS)
    company_location_gid = models.CharField(max_length=64, **ADDRESS)
    bill_to_name = models.CharField("bill-to name", max_length=255, **ADDRESS)
    bill_to_company = models.CharField("bill-to company", max_length=255, **ADDRESS)
    bill_to_address1 = models.CharField("bill-to address", max_length=255, **ADDRESS)
    bill_to_address2 = models.CharField("bill-to address 2", max_length=255, **ADDRESS)
    bill_to_city = models.CharField("bill-to city", max_length=255, **ADDRESS)
    bill_to_zip = models.CharField("bill-to ZIP/postal code", max_length=32, **ADDRESS)
    bill_to_province_code = models.CharField("bill-to province code", max_length=16, **ADDRESS)
    bill_to_country_code = models.CharField("bill-to country code", max_length=2, **ADDRESS)
    ship_to_name = models.CharField("ship-to name", max_length=255, **ADDRESS)
    ship_to_company = models.CharField("ship-to company", max_length=255, **ADDRESS)
    ship_to_address1 = models.CharField("ship-to address", max_length=255, **ADDRESS)
    ship_to_address2 = models.CharField("ship-to address 2", max_length=255, **ADDRESS)
    ship_to_city = models.CharField("ship-to city", max_length=255, **ADDRESS)
    ship_to_zip = models.CharField("ship-to ZIP/postal code", max_length=32, **ADDRESS)
    ship_to_province_code = models.CharField("ship-to province code", max_length=16, **ADDRESS)
    ship_to_country_code = models.CharField("ship-to country code", max_length=2, **ADDRESS)
    risk_level = models.CharField(max_length=16, blank=True)
    subtotal = models.DecimalField(**MONEY)
    total = models.DecimalField(**MONEY)
    total_tax = models.DecimalField(**MONEY)
    total_discounts = models.DecimalField(**MONEY)
    total_shipping = models.DecimalField(**MONEY)
    total_tip = models.DecimalField(**MONEY)
    total_presentment = models.DecimalField(**MONEY)
    imported_at = models.DateTimeField(auto_now=True)
    processed = models.BooleanField(default=False)
    has_error = models.BooleanField(default=False)
    error_message = models.TextField(blank=True)

    class Meta:
        ordering = ["merchant", "-created_at"]
        verbose_name = "Shopify order"
        constraints = [
            models.UniqueConstraint(fields=["merchant", "shopify_gid"], name="shopify_order_gid_unique"),
        ]
        indexes = [
            # Only what the role center counts: the few orders not yet in the ledger.
            models.Index(fields=["merchant", "processed_at"], name="shopify_order_unprocessed",
                         condition=models.Q(processed=False)),
            models.Index(fields=["merchant", "shopify_updated_at"], name="shopify_order_updated"),
            models.Index(fields=["merchant", "created_at"], name="shopify_order_created"),
            models.Index(fields=["merchant", "processed_at"], name="shopify_order_processed"),
            # B2B orders by their company location ("with order import" links the locations that have one).
            models.Index(fields=["merchant", "company_location_gid"], name="shopify_order_b2b_location",
                         condition=~models.Q(company_location_gid="")),
        ]

    def __str__(self) -> str:
        return self.name


class OrderChild(models.Model):
    """A row that belongs to an order: scoped to its merchant, unique by GID where Shopify has one."""

    # The merchant is the order's, copied for scoping and for the GID constraints; the database
    # does not check it again on every one of the many rows an import writes.
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="+",
                                 db_constraint=False, db_index=False)
    order = models.ForeignKey(ShopifyOrder, on_delete=models.CASCADE)

    class Meta:
        abstract = True


class ShopifyOrderLine(OrderChild):
    shopify_gid = models.CharField("Shopify ID", max_length=64)
    position = models.PositiveIntegerField()
    sku = models.CharField(max_length=255, blank=True)
    name = models.CharField(max_length=255)
    quantity = models.IntegerField()
    is_gift_card = models.BooleanField(default=False)
    unit_price = models.DecimalField(**MONEY)
    unit_price_presentment = models.DecimalField(**MONEY)
    discount = models.DecimalField(**MONEY, help_text="All discount allocations of the line.")
    tax_rate = models.DecimalField(**RATE, help_text="The combined rate of the line's tax lines.")
    net_amount = models.DecimalField(**SPLIT, help_text="Unit price × quantity before discounts, without tax.")
    net_discount = models.DecimalField(**SPLIT, help_text="The discount without tax, unrounded.")

    class Meta:
        ordering = ["order", "position"]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "shopify_gid"], name="shopify_line_gid_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.name}"


class ShopifyShippingLine(OrderChild):
    shopify_gid = models.CharField("Shopify ID", max_length=64)
    title = models.CharField(max_length=255)
    code = models.CharField(max_length=255, blank=True)
    price = models.DecimalField(**MONEY)
    price_presentment = models.DecimalField(**MONEY)
    discount = models.DecimalField(**MONEY)
    tax_rate = models.DecimalField(**RATE)
    net_price = models.DecimalField(**SPLIT, help_text="The price without tax, unrounded.")
    net_discount = models.DecimalField(**SPLIT)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "shopify_gid"], name="shopify_shipping_gid_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class ShopifyTaxLine(OrderChild):
    """A tax line of an order line or a shipping line (Shopify gives tax lines no ID), or the share
    of a refund's tax that falls on one of them (split in proportion at import)."""

    line = models.ForeignKey(ShopifyOrderLine, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="tax_lines")
    shipping_line = models.ForeignKey(ShopifyShippingLine, null=True, blank=True, on_delete=models.CASCADE,
                                      related_name="tax_lines")
    refund_line = models.ForeignKey("ShopifyRefundLine", null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="tax_lines")
    refund_shipping_line = models.ForeignKey("ShopifyRefundShippingLine", null=True, blank=True,
                                             on_delete=models.CASCADE, related_name="tax_lines")
    title = models.CharField(max_length=255)
    rate = models.DecimalField(max_digits=9, decimal_places=6)
    amount = models.DecimalField(**SPLIT)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.title} {self.rate:%}"


class ShopifyDiscountApplication(OrderChild):
    index = models.PositiveIntegerField()
    kind = models.CharField(max_length=40, help_text="Shopify's type, e.g. DiscountCodeApplication.")
    code_or_title = models.CharField(max_length=255, blank=True)
    allocation_method = models.CharField(max_length=16, blank=True)
    target_type = models.CharField(max_length=16, blank=True)
    value_type = models.CharField(max_length=16, blank=True)
    value = models.DecimalField(max_digits=18, decimal_places=4, default=0)

    class Meta:
        ordering = ["order", "index"]
        constraints = [
            models.UniqueConstraint(fields=["order", "index"], name="shopify_discount_application_unique"),
        ]

    def __str__(self) -> str:
        return self.code_or_title or self.kind


class ShopifyDiscountAllocation(OrderChild):
    line = models.ForeignKey(ShopifyOrderLine, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="discount_allocations")
    shipping_line = models.ForeignKey(ShopifyShippingLine, null=True, blank=True, on_delete=models.CASCADE,
                                      related_name="discount_allocations")
    application_index = models.PositiveIntegerField()
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.amount}"


class ShopifyRefund(OrderChild):
    shopify_gid = models.CharField("Shopify ID", max_length=64)
    created_at = models.DateTimeField()
    note = models.TextField(blank=True)
    total_refunded = models.DecimalField(**MONEY)
    first_seen_at = models.DateTimeField(null=True, blank=True, help_text="When an import first read it.")

    class Meta:
        ordering = ["order", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "shopify_gid"], name="shopify_refund_gid_unique"),
        ]
        indexes = [models.Index(fields=["merchant", "created_at"], name="shopify_refund_created"),
                   models.Index(fields=["merchant", "first_seen_at"], name="shopify_refund_first_seen")]

    def __str__(self) -> str:
        return f"refund {self.total_refunded}"


class ShopifyRefundLine(OrderChild):
    refund = models.ForeignKey(ShopifyRefund, on_delete=models.CASCADE, related_name="lines")
    line_gid = models.CharField(max_length=64)
    quantity = models.IntegerField()
    restock_type = models.CharField(max_length=32, blank=True)
    subtotal = models.DecimalField(**MONEY, help_text="As priced: with tax when prices include tax.")
    total_tax = models.DecimalField(**MONEY)
    is_gift_card = models.BooleanField(default=False)
    net_subtotal = models.DecimalField(**SPLIT, help_text="What was refunded for the goods, without tax.")

    class Meta:
        ordering = ["refund", "id"]

    def __str__(self) -> str:
        return f"{self.quantity} of {self.line_gid}"


class ShopifyRefundShippingLine(OrderChild):
    refund = models.ForeignKey(ShopifyRefund, on_delete=models.CASCADE, related_name="shipping_lines")
    shipping_line_gid = models.CharField(max_length=64, blank=True)
    subtotal = models.DecimalField(**MONEY)
    tax = models.DecimalField(**MONEY)
    net_subtotal = models.DecimalField(**SPLIT)

    class Meta:
        ordering = ["refund", "id"]

    def __str__(self) -> str:
        return f"shipping {self.subtotal}"


class ShopifyTransaction(OrderChild):
    refund = models.ForeignKey(ShopifyRefund, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="transactions")
    shopify_gid = models.CharField("Shopify ID", max_length=64)
    kind = models.CharField(max_length=32, choices=TransactionKind.choices)
    status = models.CharField(max_length=32, choices=TransactionStatus.choices)
    gateway = models.CharField(max_length=64)
    processed_at = models.DateTimeField(null=True, blank=True)
    amount = models.DecimalField(**MONEY)
    amount_presentment = models.DecimalField(**MONEY)
    fee = models.DecimalField(**MONEY, help_text="Sum of the fees; negative for a fee refund.")
    parent_gid = models.CharField(max_length=64, blank=True)
    card_brand = models.CharField(max_length=64, blank=True, help_text="The card's company, e.g. Visa (card payments).")
    is_test = models.BooleanField("test", default=False)
    first_seen_at = models.DateTimeField(null=True, blank=True, help_text="When an import first read it.")
    # A refund paid back PENDING turns SUCCESS hours or days later: the money moves from then on.
    success_seen_at = models.DateTimeField(null=True, blank=True,
                                           help_text="When an import first read it as SUCCESS.")

    class Meta:
        ordering = ["order", "processed_at"]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "shopify_gid"], name="shopify_transaction_gid_unique"),
        ]
        indexes = [models.Index(fields=["merchant", "processed_at"], name="shopify_transaction_processed"),
                   models.Index(fields=["merchant", "first_seen_at"], name="shopify_transaction_first_seen"),
                   models.Index(fields=["merchant", "success_seen_at"], name="shopify_transaction_success")]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} ({self.gateway})"


class ShopifyFulfillmentOrder(OrderChild):
    shopify_gid = models.CharField("Shopify ID", max_length=64)
    status = models.CharField(max_length=32)
    location_gid = models.CharField(max_length=64, blank=True)
    location_name = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "shopify_gid"], name="shopify_fulfillment_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.status} at {self.location_name}"


class ShopifyFulfillmentOrderLine(OrderChild):
    fulfillment_order = models.ForeignKey(ShopifyFulfillmentOrder, on_delete=models.CASCADE, related_name="lines")
    shopify_gid = models.CharField("Shopify ID", max_length=64)
    line_gid = models.CharField(max_length=64)
    total_quantity = models.IntegerField()
    remaining_quantity = models.IntegerField()

    class Meta:
        ordering = ["fulfillment_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "shopify_gid"], name="shopify_fo_line_gid_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.remaining_quantity}/{self.total_quantity} of {self.line_gid}"


class ShopifyCustomer(models.Model):
    """A Shopify customer as Shopify states it (report 30100), with its email and phone also in the
    one form customers are matched by (core/contacts.py)."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="shopify_customers")
    shopify_gid = models.CharField("Shopify ID", max_length=64)
    legacy_id = models.BigIntegerField()
    first_name = models.CharField(max_length=255, blank=True)
    last_name = models.CharField(max_length=255, blank=True)
    email = models.CharField(max_length=254, blank=True, help_text="As Shopify gave it.")
    phone = models.CharField(max_length=64, blank=True, help_text="As Shopify gave it.")
    email_normalized = models.CharField(max_length=254, blank=True, editable=False,
                                        help_text="Lower-cased and stripped: what matching compares.")
    phone_e164 = models.CharField("phone (E.164)", max_length=16, blank=True, editable=False,
                                  help_text="E.164, read in the shop's country when written without +: "
                                            "what matching compares.")
    # The default address.
    address1 = models.CharField(max_length=255, blank=True)
    address2 = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=255, blank=True)
    zip = models.CharField(max_length=32, blank=True)
    province_code = models.CharField(max_length=16, blank=True)
    country_code = models.CharField(max_length=2, blank=True)
    company = models.CharField(max_length=255, blank=True)
    address_name = models.CharField(max_length=255, blank=True, help_text="The name on the default address.")
    address_phone = models.CharField(max_length=64, blank=True)
    tax_exempt = models.BooleanField(default=False)
    tax_exemptions = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=16, blank=True, help_text="Shopify's account state, e.g. ENABLED.")
    tags = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)
    email_marketing_state = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField()
    shopify_updated_at = models.DateTimeField("updated in Shopify")
    imported_at = models.DateTimeField(help_text="When an import first read it.")
    updated_at = models.DateTimeField(help_text="When an import last wrote it.")

    class Meta:
        ordering = ["merchant", "last_name", "first_name"]
        verbose_name = "Shopify customer"
        constraints = [
            models.UniqueConstraint(fields=["merchant", "shopify_gid"], name="shopify_customer_gid_unique"),
        ]
        indexes = [
            models.Index(fields=["merchant", "email_normalized"], name="shopify_customer_email"),
            models.Index(fields=["merchant", "phone_e164"], name="shopify_customer_phone"),
        ]

    def __str__(self) -> str:
        name = " ".join(n for n in (self.first_name, self.last_name) if n)
        return name or self.email or self.phone or self.shopify_gid


class ShopifyProduct(models.Model):
    """A Shopify product as Shopify states it (report 30108); its variants are ShopifyVariant rows."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="shopify_products")
    shopify_gid = models.CharField("Shopify ID", max_length=64)
    legacy_id = models.BigIntegerField()
    title = models.CharField(max_length=255)
    handle = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=16, help_text="ACTIVE, DRAFT or ARCHIVED.")
    vendor = models.CharField(max_length=255, blank=True)
    product_type = models.CharField(max_length=255, blank=True)
    is_gift_card = models.BooleanField(default=False, db_default=False,
                                       help_text="Sold to the gift card account, not as an item.")
    tags = models.JSONField(default=list, blank=True)
    image_gid = models.CharField("featured image", max_length=64, blank=True)
    image_url = models.URLField(max_length=1000, blank=True)
    created_at = models.DateTimeField()
    shopify_updated_at = models.DateTimeField("updated in Shopify")
    imported_at = models.DateTimeField(help_text="When an import first read it.")
    updated_at = models.DateTimeField(help_text="When an import last wrote it.")

    class Meta:
        ordering = ["merchant", "title"]
        verbose_name = "Shopify product"
        constraints = [models.UniqueConstraint(fields=["merchant", "shopify_gid"], name="shopify_product_gid_unique")]

    def __str__(self) -> str:
        return self.title or self.shopify_gid


class ShopifyVariant(models.Model):
    """A variant of a Shopify product: what an order line sells and an item (and item variant) stands for."""

    merchant_lookup = "product__merchant"

    product = models.ForeignKey(ShopifyProduct, on_delete=models.CASCADE, related_name="variants")
    shopify_gid = models.CharField("Shopify ID", max_length=64)
    legacy_id = models.BigIntegerField()
    title = models.CharField(max_length=255, blank=True)
    position = models.PositiveIntegerField(default=1)
    sku = models.CharField("SKU", max_length=255, blank=True)
    barcode = models.CharField(max_length=255, blank=True)
    price = models.DecimalField(max_digits=18, decimal_places=2)
    compare_at_price = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    option_values = models.JSONField(default=list, blank=True, help_text="[{name, value}], in option order.")
    taxable = models.BooleanField(default=True)
    inventory_item_gid = models.CharField(max_length=64, blank=True)
    tracked = models.BooleanField(default=True, help_text="Shopify tracks the stock of its inventory item.")
    unit_cost = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    shopify_updated_at = models.DateTimeField("updated in Shopify")

    class Meta:
        ordering = ["product", "position"]
        verbose_name = "Shopify variant"
        constraints = [models.UniqueConstraint(fields=["product", "shopify_gid"], name="shopify_variant_gid_unique")]
        indexes = [models.Index(fields=["shopify_gid"], name="shopify_variant_gid")]

    def __str__(self) -> str:
        return f"{self.product} – {self.title}" if self.title and self.title != "Default Title" else str(self.product)


class ImportState(models.Model):
    """Where an import of one kind of data stands for a merchant: its watermark and bulk export."""

    class Kind(models.TextChoices):
        ORDERS = "orders", "Orders"
        PAYOUTS = "payouts", "Payouts"
        CUSTOMERS = "customers", "Customers"
        PRODUCTS = "products", "Products"
        COMPANIES = "companies", "Companies"

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="import_states")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    watermark = models.DateTimeField(null=True, blank=True,
                                     help_text="Everything updated before this (less the overlap) is imported.")
    bulk_operation_gid = models.CharField(max_length=64, blank=True)
    bulk_operation_status = models.CharField(max_length=20, blank=True)
    bulk_started_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["merchant", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "kind"], name="import_state_unique_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.merchant} {self.kind}"


class WebhookOutcome(models.TextChoices):
    SCHEDULED = "scheduled", "Order sync scheduled"
    ALREADY_PENDING = "already_pending", "Order sync already pending"
    SYNCS_DISABLED = "syncs_disabled", "Shop's syncs disabled"
    INSTALLATION_CHECK = "installation_check", "Installation check queued"
    BULK_RESUMED = "bulk_resumed", "Bulk import resumed"
    STOCK_RECORDED = "stock_recorded", "Stock level recorded"
    IGNORED = "ignored", "Ignored"


class WebhookDelivery(models.Model):
    """A verified webhook from Shopify (S3). Its event id appears once per shop: a duplicate
    delivery finds it and changes nothing. The body is not kept, only what it was about."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="webhook_deliveries")
    topic = models.CharField(max_length=64)
    event_id = models.CharField(max_length=64, blank=True)
    webhook_id = models.CharField(max_length=64)
    subject = models.CharField(max_length=128, blank=True, help_text="The Shopify ID the event is about.")
    triggered_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=20, choices=WebhookOutcome.choices)
    detail = models.CharField(max_length=255, blank=True)
    entry = models.ForeignKey("syncjobs.JobQueueEntry", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="webhook_deliveries")

    class Meta:
        ordering = ["-received_at"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["merchant", "event_id"], name="webhook_delivery_unique_event",
                                    condition=~models.Q(event_id="")),
            models.UniqueConstraint(fields=["merchant", "webhook_id"], name="webhook_delivery_unique_webhook"),
        ]
        indexes = [models.Index(fields=["received_at"], name="webhook_delivery_received")]

    def __str__(self) -> str:
        return f"{self.topic} {self.event_id or self.webhook_id}"


class ShopifyLocation(models.Model):
    """A location of the shop as Shopify states it (inventory sync): where stock is kept and orders
    are fulfilled from. A third-party fulfillment service's location is shown, never written to."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="shopify_locations")
    shopify_gid = models.CharField("Shopify ID", max_length=64)
    name = models.CharField(max_length=255)
    is_active = models.BooleanField("active", default=True)
    is_fulfillment_service = models.BooleanField(
        "fulfillment service", default=False,
        help_text="A third-party fulfillment service's location: it keeps its own stock; syncsite never writes it.")
    fulfills_online_orders = models.BooleanField(default=True)
    removed_at = models.DateTimeField(null=True, blank=True,
                                      help_text="When an import no longer found it in the shop; cleared if it returns.")
    imported_at = models.DateTimeField(help_text="When an import last read it.")

    class Meta:
        ordering = ["merchant", "name"]
        verbose_name = "Shopify location"
        constraints = [models.UniqueConstraint(fields=["merchant", "shopify_gid"], name="shopify_location_gid_unique")]

    def __str__(self) -> str:
        return self.name or self.shopify_gid


class ShopifyInventoryLevel(models.Model):
    """What Shopify last reported for an inventory item at a location (import, webhook, or the answer to our write)."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="+")
    inventory_item_gid = models.CharField(max_length=64)
    location_gid = models.CharField(max_length=64)
    available = models.IntegerField()
    on_hand = models.IntegerField(null=True, blank=True, help_text="Blank when the last report (a webhook) "
                                                                   "carried only the available quantity.")
    reported_at = models.DateTimeField(help_text="When Shopify said so: its updatedAt, else when syncsite read it.")

    class Meta:
        ordering = ["merchant", "location_gid", "inventory_item_gid"]
        verbose_name = "Shopify inventory level"
        # Location before item: the inventory sync reads a location's levels, and webhooks one level.
        constraints = [models.UniqueConstraint(fields=["merchant", "location_gid", "inventory_item_gid"],
                                               name="shopify_inventory_level_unique")]

    def __str__(self) -> str:
        return f"{self.inventory_item_gid} at {self.location_gid}: {self.available}"
