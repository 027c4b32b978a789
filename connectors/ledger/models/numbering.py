"""Number series: where the numbers of customers, items and documents come from, as in Business
Central: a prefix and a counter per merchant and series, taken under a row lock so two syncs never
hand out the same number."""
from django.db import models


class SeriesCode(models.TextChoices):
    CUSTOMERS = "customers", "Customers"
    ITEMS = "items", "Items"
    SALES_ORDERS = "sales_orders", "Sales orders"
    SALES_INVOICES = "sales_invoices", "Sales invoices"
    SALES_CREDIT_MEMOS = "sales_credit_memos", "Sales credit memos"
    SALES_RETURN_ORDERS = "sales_return_orders", "Sales return orders"
    POSTED_SHIPMENTS = "posted_shipments", "Posted sales shipments"
    POSTED_INVOICES = "posted_invoices", "Posted sales invoices"
    POSTED_CREDIT_MEMOS = "posted_credit_memos", "Posted sales credit memos"


class NumberSeries(models.Model):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="number_series")
    code = models.CharField(max_length=30, choices=SeriesCode.choices)
    prefix = models.CharField(max_length=10, help_text="e.g. C for C00001.")
    width = models.PositiveSmallIntegerField(default=5, help_text="Digits after the prefix, zero-padded.")
    last_number = models.PositiveIntegerField(default=0, help_text="The last number handed out (0: none yet).")

    class Meta:
        verbose_name_plural = "number series"
        ordering = ["merchant", "code"]
        constraints = [models.UniqueConstraint(fields=["merchant", "code"], name="ledger_one_series_per_code")]

    def __str__(self) -> str:
        return f"{self.get_code_display()} ({self.prefix}{'0' * self.width})"
