"""Items the merchant sells, their variants and barcodes."""
from django.db import models


class ItemType(models.TextChoices):
    INVENTORY = "inventory", "Inventory"
    SERVICE = "service", "Service"


class Item(models.Model):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="ledger_items")
    number = models.CharField("no.", max_length=20)
    description = models.CharField(max_length=100)
    type = models.CharField(max_length=20, choices=ItemType.choices, default=ItemType.INVENTORY)
    base_unit = models.CharField("base unit of measure", max_length=10, default="PCS")
    unit_price = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    unit_cost = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    vendor_item_no = models.CharField("vendor item no.", max_length=50, blank=True)
    blocked = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["merchant", "number"]
        constraints = [models.UniqueConstraint(fields=["merchant", "number"], name="ledger_item_no_unique")]

    def __str__(self) -> str:
        return f"{self.number} {self.description}"


class ItemVariant(models.Model):
    merchant_lookup = "item__merchant"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="variants")
    code = models.CharField(max_length=10)
    description = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["item", "code"]
        constraints = [models.UniqueConstraint(fields=["item", "code"], name="ledger_variant_code_unique")]

    def __str__(self) -> str:
        return f"{self.item.number} {self.code}"


class ItemBarcode(models.Model):
    """A barcode (EAN, UPC, GTIN) of an item or one of its variants (Business Central's item reference)."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="ledger_barcodes")
    barcode = models.CharField(max_length=50)
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="barcodes")
    variant_code = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["merchant", "barcode"]
        constraints = [models.UniqueConstraint(fields=["merchant", "barcode"], name="ledger_barcode_unique")]

    def __str__(self) -> str:
        return self.barcode


class ItemPicture(models.Model):
    """An item's picture, in a table of its own so reading items never loads the bytes."""

    merchant_lookup = "item__merchant"

    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="picture")
    content = models.BinaryField()
    content_type = models.CharField(max_length=50)
    filename = models.CharField(max_length=255, blank=True)
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the content: a changed picture has a new one.")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.filename or f"picture of {self.item.number}"
