from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models

from core.secret_fields import EncryptedSecretField

DEFAULT_API_VERSION = "2025-01"


class CustomerImport(models.TextChoices):
    NONE = "none", "None"
    WITH_ORDER_IMPORT = "with_order_import", "With order import"
    ALL_CUSTOMERS = "all_customers", "All customers"


class CustomerMapping(models.TextChoices):
    BY_EMAIL_PHONE = "by_email_phone", "By email/phone"
    BY_BILL_TO = "by_bill_to", "By bill-to info"
    DEFAULT_CUSTOMER = "default_customer", "Always the default customer"


class CompanyImport(models.TextChoices):
    """What Sync companies imports; the values are the customer import's (they were shared before)."""
    NONE = "none", "None"
    WITH_ORDER_IMPORT = "with_order_import", "With order import"
    ALL_COMPANIES = "all_customers", "All companies"


class CompanyMapping(models.TextChoices):
    BY_EMAIL_PHONE = "by_email_phone", "By email/phone"
    BY_TAX_ID = "by_tax_id", "By tax ID"
    DEFAULT_COMPANY = "default_company", "Always the default company"


class SkuMapping(models.TextChoices):
    """What a Shopify variant's SKU holds, by which it finds its item (and item variant)."""
    SKU = "sku", "Item no."
    VARIANT_CODE = "variant_code", "Variant code"
    ITEM_NO_VARIANT_CODE = "item_no_variant_code", "Item no. + variant code"
    VENDOR_ITEM_NO = "vendor_item_no", "Vendor item no."
    BARCODE = "barcode", "Barcode"


class ProductStatus(models.TextChoices):
    ACTIVE = "ACTIVE", "Active"
    DRAFT = "DRAFT", "Draft"


class RemovedItemAction(models.TextChoices):
    NOTHING = "", "Do nothing"
    DRAFT = "DRAFT", "Set the product to draft"
    ARCHIVE = "ARCHIVED", "Archive the product"


class SyncImages(models.TextChoices):
    NONE = "", "Do not sync"
    TO_SHOPIFY = "to_shopify", "To Shopify"
    FROM_SHOPIFY = "from_shopify", "From Shopify"


class RefundProcess(models.TextChoices):
    IMPORT_ONLY = "import_only", "Import only"
    AUTO_CREDIT_MEMO = "auto_credit_memo", "Auto-create credit memo"
    AUTO_RETURN_ORDER = "auto_return_order", "Auto-create return order"


class PostingMode(models.TextChoices):
    DOCUMENTS = "documents", "Documents (a sales document per order)"
    DAILY_SUMMARY = "daily_summary", "Daily summary (one journal per day)"


class SyncItemDirection(models.TextChoices):
    NONE = "", "Do not sync"
    TO_SHOPIFY = "to_shopify", "To Shopify"
    FROM_SHOPIFY = "from_shopify", "From Shopify"


class Merchant(models.Model):
    """A connected Shopify store and everything syncsite needs to keep its books: the shop card."""

    # The users who see the merchant's rows (core.scoping knows merchants by settings.MERCHANT_MODEL).
    members_lookup = "memberships__user"

    # General
    code = models.CharField(
        max_length=20, unique=True, help_text="A short code, e.g. DEMO-EU.",
        validators=[RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9_-]*\Z",
                                   "Use letters A–Z, digits 0–9, hyphens and underscores, e.g. DEMO-EU.")],
    )
    name = models.CharField(max_length=100)
    shop_domain = models.CharField(
        max_length=255, unique=True,
        help_text="The store's myshopify.com address, e.g. mystore.myshopify.com. Webhooks find the merchant by it.",
    )
    api_base_url = models.CharField(
        "API base URL", max_length=255, blank=True,
        help_text="Leave blank for https://{shop domain}. Any http(s) base URL, e.g. the bundled simulator's.",
    )
    access_token = EncryptedSecretField(help_text="The Admin API access token (shpat_…).")
    api_secret_key = EncryptedSecretField(
        "API secret key", help_text="The app's client secret; Shopify signs webhooks with it."
    )
    # After the key changes, webhooks Shopify signed with the old one are still accepted for a while.
    previous_api_secret_key = EncryptedSecretField(editable=False)
    previous_api_secret_key_until = models.DateTimeField(null=True, blank=True, editable=False)
    api_version = models.CharField(
        "API version", max_length=10, default=DEFAULT_API_VERSION,
        validators=[RegexValidator(r"^\d{4}-\d{2}$", "Enter a Shopify API version such as 2025-01.")],
    )
    is_enabled = models.BooleanField("enabled", default=True, help_text="Off: no sync runs for this shop.")
    disabled_reason = models.CharField(max_length=255, blank=True, editable=False)
    time_zone = models.CharField(max_length=64, default="UTC", help_text="IANA name, e.g. Europe/Paris.")
    shop_currency = models.CharField(max_length=3, default="USD", help_text="ISO 4217 code, e.g. EUR.")

    # Background syncs
    allow_background_syncs = models.BooleanField(
        default=True, help_text="Syncs started by hand run on the job queue; off, they run at once in the page."
    )

    # Customers
    customer_import = models.CharField(
        max_length=20, choices=CustomerImport.choices, default=CustomerImport.WITH_ORDER_IMPORT
    )
    customer_mapping = models.CharField(
        max_length=20, choices=CustomerMapping.choices, default=CustomerMapping.BY_EMAIL_PHONE
    )
    default_customer_no = models.CharField("default customer no.", max_length=20, blank=True)
    auto_create_unknown_customers = models.BooleanField(default=False)
    customer_template_no = models.CharField(
        "customer template no.", max_length=20, blank=True, default="", db_default="",
        help_text="An auto-created customer takes this ledger customer's settings (tax liable); blank: "
                  "tax liable unless Shopify says the customer is tax exempt.")
    export_customers_to_shopify = models.BooleanField(
        "export customers to Shopify", default=False, db_default=False,
        help_text="Sync customers also creates and updates the ledger's own customers in Shopify.")

    # Products
    sync_item_direction = models.CharField(
        "sync items", max_length=20, choices=SyncItemDirection.choices, blank=True, default=SyncItemDirection.NONE
    )
    sku_mapping = models.CharField("SKU mapping", max_length=20, choices=SkuMapping.choices, default=SkuMapping.SKU,
                                   help_text="What a Shopify variant's SKU holds; exported variants get their SKU "
                                             "the same way.")
    sku_field_separator = models.CharField(
        "SKU field separator", max_length=3, blank=True, default="-", db_default="-",
        help_text="Between item no. and variant code, for the SKU mapping 'Item no. + variant code'.")
    find_mapping_by_barcode = models.BooleanField(
        default=True, db_default=True,
        help_text="A variant whose SKU finds no item is looked up by its barcode.")
    auto_create_unknown_items = models.BooleanField(
        default=False, help_text="Sync products creates a ledger item for a Shopify product no item stands for.")
    item_template_no = models.CharField(
        "item template no.", max_length=20, blank=True, default="", db_default="",
        help_text="An auto-created item takes this ledger item's settings (type, base unit).")
    status_for_created_products = models.CharField(
        max_length=10, choices=ProductStatus.choices, default=ProductStatus.ACTIVE, db_default=ProductStatus.ACTIVE,
        help_text="The status of products created in Shopify from ledger items.")
    action_for_removed_items = models.CharField(
        "action for removed items", max_length=10, choices=RemovedItemAction.choices, blank=True, default="",
        db_default="", help_text="What happens to the Shopify product of an item taken out of the shop or blocked.")
    sync_item_images = models.CharField(
        "sync item images", max_length=20, choices=SyncImages.choices, blank=True, default="", db_default="")

    # Order processing
    auto_sync_orders = models.BooleanField(
        default=False,
        help_text="Shopify notifies syncsite of new and changed orders, stock and fulfillments (webhooks).",
    )
    webhook_subscription_ids = models.JSONField(default=list, blank=True, editable=False)
    auto_create_sales_documents = models.BooleanField(default=False)
    create_fulfilled_orders_as_invoices = models.BooleanField(default=True)
    use_shopify_order_no = models.BooleanField("use Shopify order no. as document no.", default=False)
    refund_process = models.CharField(
        max_length=20, choices=RefundProcess.choices, default=RefundProcess.IMPORT_ONLY
    )
    write_document_no_to_shopify = models.BooleanField(
        "write the document no. to Shopify", default=False, db_default=False,
        help_text="Each order gets its sales document's no. as an order attribute in Shopify.")
    archive_processed_orders = models.BooleanField(
        default=False, db_default=False,
        help_text="Close an order in Shopify once it is fully paid and fulfilled and its document is made.")

    # Shipments
    send_shipping_confirmation = models.BooleanField(default=True)

    # Payments
    posting_mode = models.CharField(
        max_length=20, choices=PostingMode.choices, default=PostingMode.DAILY_SUMMARY,
        help_text="Chosen once: it cannot change while postings exist.",
    )
    auto_create_accounts = models.BooleanField(
        "auto-create missing accounts", default=False,
        help_text="Create a missing tax or payment clearing account automatically (never revenue).",
    )
    auto_create_code_from = models.CharField("auto-create codes from", max_length=20, blank=True)
    auto_create_code_to = models.CharField("auto-create codes to", max_length=20, blank=True)

    # B2B
    company_import = models.CharField(
        max_length=20, choices=CompanyImport.choices, default=CompanyImport.NONE
    )
    company_mapping = models.CharField(
        max_length=20, choices=CompanyMapping.choices, default=CompanyMapping.BY_EMAIL_PHONE
    )
    auto_create_unknown_companies = models.BooleanField(
        default=False, help_text="A company location no ledger customer matches becomes a new customer.")
    default_company_no = models.CharField(
        "default company no.", max_length=20, blank=True, default="", db_default="",
        help_text="The ledger customer of companies mapped to none (and of all of them with 'always the default').")
    auto_create_catalog = models.BooleanField(
        default=False, db_default=False,
        help_text="A company new to syncsite gets a catalog of its own in Shopify, priced from the ledger.")
    catalog_price_list_code = models.CharField(
        "price list for catalog prices", max_length=20, blank=True, default="", db_default="",
        help_text="Catalogs whose company customer has no price list of its own are priced from it; blank: the "
                  "items' unit prices.")

    # Daily sync
    daily_sync_enabled = models.BooleanField(default=True)
    daily_sync_hour = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(23)], help_text="Local hour (0–23) at which yesterday is synced."
    )
    daily_sync_start_date = models.DateField(
        null=True, blank=True, help_text="No day before it is ever synced."
    )
    daily_sync_disabled_reason = models.CharField(max_length=255, blank=True, editable=False)
    daily_sync_disabled_at = models.DateTimeField(null=True, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "shop"  # Business Central's word: the shop card of a Shopify shop
        verbose_name_plural = "shops"
        constraints = [
            models.CheckConstraint(condition=models.Q(daily_sync_hour__lte=23), name="merchant_daily_sync_hour_0_23"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def effective_api_base_url(self) -> str:
        return (self.api_base_url or f"https://{self.shop_domain}").rstrip("/")


class Membership(models.Model):
    """A user's access to a merchant (M4)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="merchant_memberships")
    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["merchant", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "merchant"], name="membership_unique_user_merchant"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.merchant}"
