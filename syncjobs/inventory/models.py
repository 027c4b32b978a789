"""Each Shopify location of a shop and what stock it shows: the ledger locations it stands for and
how their stock is counted (Business Central's "Shpfy Shop Location")."""
from django.db import models


class StockCalculation(models.TextChoices):
    """The ledger's stock calculations (connectors.ledger.records.StockCalculation), as choices."""

    DISABLED = "disabled", "Disabled (stock is not synced)"
    ON_HAND = "on_hand", "On hand"
    AVAILABLE = "available", "Available (on hand less open sales documents)"


class ShopLocation(models.Model):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="shop_locations")
    location = models.OneToOneField("shopify.ShopifyLocation", on_delete=models.CASCADE, related_name="settings",
                                    verbose_name="Shopify location")
    stock_calculation = models.CharField(max_length=20, choices=StockCalculation.choices,
                                         default=StockCalculation.DISABLED)
    ledger_locations = models.CharField(
        "ledger locations", max_length=250, blank=True,
        help_text="The ledger location codes whose stock Shopify shows here, separated by commas, e.g. MAIN, "
                  "WEST; blank: every ledger location.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "shop location"
        ordering = ["merchant", "location__name"]

    def __str__(self) -> str:
        return self.location.name

    @property
    def ledger_codes(self) -> list[str]:
        return codes_of(self.ledger_locations)


def codes_of(text: str) -> list[str]:
    return list(dict.fromkeys(code.strip() for code in (text or "").split(",") if code.strip()))
