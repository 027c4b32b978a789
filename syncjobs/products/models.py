"""Which ledger item each Shopify product and variant is: links naming the accounting target's item
by its number and the item variant by its code (strings: no foreign key into any target's tables)."""
from django.db import models
from django.db.models import Q


class MappedBy(models.TextChoices):
    ITEM_NO = "item_no", "SKU is the item no."
    VARIANT_CODE = "variant_code", "SKU is the variant code"
    ITEM_NO_VARIANT_CODE = "item_no_variant_code", "SKU is item no. + variant code"
    VENDOR_ITEM_NO = "vendor_item_no", "SKU is the vendor item no."
    BARCODE = "barcode", "Same barcode"
    CREATED = "created", "Created from the Shopify product"
    EXPORTED = "exported", "Exported from the ledger"
    BY_HAND = "by_hand", "Mapped by hand"


class Direction(models.TextChoices):
    """Which side's changes the other takes, for the whole product: never both ways."""
    FROM_SHOPIFY = "from_shopify", "Shopify → ledger"
    TO_SHOPIFY = "to_shopify", "Ledger → Shopify"
    NONE = "", "Neither (mapped to an existing item)"


class ProductLink(models.Model):
    """A Shopify product and the item it stands for. An item added to the shop has a link before its
    product exists (`shopify_gid` blank until Sync products creates it)."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="product_links")
    shopify_gid = models.CharField("Shopify product", max_length=64, blank=True)
    item_no = models.CharField("item no.", max_length=20, blank=True, help_text="Blank while unmapped.")
    direction = models.CharField(max_length=20, choices=Direction.choices, blank=True, default=Direction.NONE)
    title = models.CharField(max_length=255, blank=True, help_text="The product's title, for the lists.")
    # What was last written to the other side, so a run with nothing changed writes nothing.
    synced_hash = models.CharField(max_length=64, blank=True, editable=False)
    prices_hash = models.CharField(max_length=64, blank=True, editable=False)
    image_hash = models.CharField(max_length=64, blank=True, editable=False,
                                  help_text="The content hash of the picture both sides last agreed on.")
    image_url = models.URLField(max_length=1000, blank=True, editable=False,
                                help_text="The Shopify image last read (a changed image has a new URL).")
    image_gid = models.CharField(max_length=64, blank=True, editable=False,
                                 help_text="The Shopify media last sent, taken off when a newer picture goes.")
    removed_at = models.DateTimeField(null=True, blank=True,
                                      help_text="When its item was taken out of the shop.")
    removed_status = models.CharField(max_length=10, blank=True, editable=False,
                                      help_text="The status sent once its item left the shop (blank: not yet).")
    failure = models.CharField(max_length=255, blank=True, help_text="Why the last write to Shopify failed.")
    mapped_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["merchant", "title"]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "shopify_gid"], condition=~Q(shopify_gid=""),
                                    name="product_link_one_per_gid"),
            models.UniqueConstraint(fields=["merchant", "item_no"], condition=Q(direction="to_shopify"),
                                    name="product_link_one_export_per_item"),
        ]
        indexes = [models.Index(fields=["merchant", "item_no"], name="product_link_by_item")]

    def __str__(self) -> str:
        return f"{self.title or self.shopify_gid or 'new product'} → {self.item_no or 'unmapped'}"


class VariantLink(models.Model):
    """A Shopify variant and the item (and item variant) an order line selling it becomes."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="variant_links")
    product = models.ForeignKey(ProductLink, on_delete=models.CASCADE, related_name="variants")
    shopify_gid = models.CharField("Shopify variant", max_length=64)
    sku = models.CharField("SKU", max_length=255, blank=True)
    title = models.CharField(max_length=255, blank=True)
    item_no = models.CharField("item no.", max_length=20, blank=True, help_text="Blank while unmapped.")
    variant_code = models.CharField(max_length=20, blank=True)
    mapped_by = models.CharField(max_length=20, choices=MappedBy.choices, blank=True)
    unmapped_reason = models.CharField(max_length=255, blank=True)
    mapped_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["merchant", "product", "title"]
        constraints = [models.UniqueConstraint(fields=["merchant", "shopify_gid"], name="variant_link_one_per_gid")]
        indexes = [
            models.Index(fields=["merchant", "item_no", "variant_code"], name="variant_link_by_item"),
            models.Index(fields=["merchant"], condition=Q(item_no=""), name="variant_link_unmapped"),
        ]

    def __str__(self) -> str:
        item = f"{self.item_no} {self.variant_code}".strip()
        return f"{self.sku or self.shopify_gid} → {item or 'unmapped'}"
