"""Sales price lists: a price list is in one currency and gives prices per item (or item variant),
each valid from a starting date to an ending date (either open). A customer may carry one; B2B
catalogs are priced from them (report 30116)."""
from django.db import models


class PriceList(models.Model):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="ledger_price_lists")
    code = models.CharField(max_length=20)
    description = models.CharField(max_length=100, blank=True)
    currency = models.CharField(max_length=3, help_text="ISO 4217 code: every price of the list is in it.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["merchant", "code"]
        constraints = [models.UniqueConstraint(fields=["merchant", "code"], name="ledger_price_list_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.description}".strip()


class PriceListLine(models.Model):
    """A price of an item (all its variants when `variant_code` is blank, else that variant), from
    `starting_date` (blank: always) to `ending_date` (blank: open)."""

    merchant_lookup = "price_list__merchant"

    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="lines")
    item_no = models.CharField("item no.", max_length=20)
    variant_code = models.CharField(max_length=10, blank=True)
    unit_price = models.DecimalField(max_digits=18, decimal_places=2)
    starting_date = models.DateField(null=True, blank=True)
    ending_date = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["price_list", "item_no", "variant_code", "starting_date"]
        constraints = [
            models.UniqueConstraint(fields=["price_list", "item_no", "variant_code", "starting_date"],
                                    name="ledger_price_line_unique", nulls_distinct=False),
            models.CheckConstraint(condition=models.Q(ending_date__isnull=True) | models.Q(starting_date__isnull=True)
                                   | models.Q(ending_date__gte=models.F("starting_date")),
                                   name="ledger_price_line_dates_in_order"),
        ]
        indexes = [models.Index(fields=["price_list", "item_no"], name="ledger_price_line_item")]

    def __str__(self) -> str:
        return f"{self.item_no} {self.variant_code}".strip() + f": {self.unit_price}"
