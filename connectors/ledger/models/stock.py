"""Where stock is kept and how it moved: quantity on hand is the sum of item ledger entries, never a
figure updated in place, so every quantity can be explained entry by entry."""
from django.db import models

from connectors.ledger.models.items import Item


class Location(models.Model):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="ledger_locations")
    code = models.CharField(max_length=10)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["merchant", "code"]
        constraints = [models.UniqueConstraint(fields=["merchant", "code"], name="ledger_location_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class EntryType(models.TextChoices):
    POSITIVE_ADJUSTMENT = "positive_adjustment", "Positive adjustment"
    NEGATIVE_ADJUSTMENT = "negative_adjustment", "Negative adjustment"
    PURCHASE = "purchase", "Purchase"
    SALE = "sale", "Sale"
    TRANSFER = "transfer", "Transfer"


class ItemLedgerEntry(models.Model):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="item_ledger_entries")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="ledger_entries")
    variant_code = models.CharField(max_length=10, blank=True)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="ledger_entries")
    posting_date = models.DateField()
    entry_type = models.CharField(max_length=30, choices=EntryType.choices)
    quantity = models.DecimalField(max_digits=18, decimal_places=3, help_text="Positive in, negative out.")
    document_no = models.CharField("document no.", max_length=30, blank=True)
    description = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "item ledger entries"
        ordering = ["merchant", "-id"]
        indexes = [models.Index(fields=["item", "variant_code", "location"], name="ledger_stock_key")]
        constraints = [models.CheckConstraint(condition=~models.Q(quantity=0), name="ledger_entry_moves_stock")]

    def __str__(self) -> str:
        return f"{self.item.number} {self.variant_code} {self.location.code} {self.quantity:+}"
