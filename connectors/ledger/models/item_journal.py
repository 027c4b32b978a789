"""The item journal (Business Central's): stock a bookkeeper puts into the books or takes out of them
by hand, kept as typed until it is posted as item ledger entries (connectors.ledger.item_journal)."""
from django.db import models

from connectors.ledger.models.items import Item
from connectors.ledger.models.stock import EntryType, Location

# The entry types a line of the item journal posts; sales and transfers come from their documents.
JOURNAL_ENTRY_TYPES = (EntryType.POSITIVE_ADJUSTMENT, EntryType.NEGATIVE_ADJUSTMENT, EntryType.PURCHASE)


class ItemJournalLine(models.Model):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="item_journal_lines")
    posting_date = models.DateField()
    entry_type = models.CharField(max_length=30, default=EntryType.POSITIVE_ADJUSTMENT,
                                  choices=[(t.value, t.label) for t in JOURNAL_ENTRY_TYPES])
    document_no = models.CharField("document no.", max_length=30, blank=True)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="journal_lines")
    variant_code = models.CharField(max_length=10, blank=True)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="journal_lines")
    quantity = models.DecimalField(max_digits=18, decimal_places=3,
                                   help_text="How many, always positive: a negative adjustment takes them out.")
    description = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = "item journal line"
        verbose_name_plural = "item journal"
        ordering = ["merchant", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(entry_type__in=[t.value for t in JOURNAL_ENTRY_TYPES]),
                                              name="ledger_journal_line_entry_type")]

    def __str__(self) -> str:
        return f"line {self.pk}" if self.pk else "new line"
