"""B2B catalogs as Shopify holds them (reports 30115, 30116): a catalog offers a publication's
products to company locations (or a market) at its price list's prices, in the price list's
currency. `ShopifyCatalogPrice` is what Shopify holds as the price list's fixed prices, as last read
or written, so a price sync sends only what differs from it."""
from django.db import models

from connectors.shopify.models.fields import MONEY


class CatalogKind(models.TextChoices):
    COMPANY_LOCATION = "COMPANY_LOCATION", "Company location"
    MARKET = "MARKET", "Market"


class ShopifyCatalog(models.Model):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="shopify_catalogs")
    shopify_gid = models.CharField("Shopify ID", max_length=64)
    title = models.CharField(max_length=255)
    kind = models.CharField(max_length=20, choices=CatalogKind.choices)
    status = models.CharField(max_length=20, blank=True, help_text="ACTIVE, DRAFT or ARCHIVED.")
    company_location_gids = models.JSONField(default=list, blank=True,
                                             help_text="The company locations it is for (company catalogs).")
    market_names = models.JSONField(default=list, blank=True, help_text="The markets it is for (market catalogs).")
    price_list_gid = models.CharField(max_length=64, blank=True, help_text="Blank: the catalog has no price list.")
    price_list_name = models.CharField(max_length=255, blank=True)
    currency = models.CharField(max_length=3, blank=True, help_text="The price list's currency.")
    adjustment_type = models.CharField(max_length=32, blank=True)
    adjustment_value = models.DecimalField(max_digits=9, decimal_places=4, null=True, blank=True)
    fixed_prices_count = models.PositiveIntegerField(default=0)
    publication_gid = models.CharField(max_length=64, blank=True)
    # The products the catalog offers (its publication's), None when it offers all of them.
    product_gids = models.JSONField(null=True, blank=True)
    # When the fixed prices were last read whole from Shopify (None: never; the price mirror is empty).
    prices_read_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True, help_text="When a catalog sync no longer found it.")
    imported_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["merchant", "title"]
        verbose_name = "Shopify catalog"
        constraints = [models.UniqueConstraint(fields=["merchant", "shopify_gid"], name="shopify_catalog_gid_unique")]

    def __str__(self) -> str:
        return self.title or self.shopify_gid


class ShopifyCatalogPrice(models.Model):
    """A fixed price of a catalog's price list, as Shopify holds it."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="+")
    catalog = models.ForeignKey(ShopifyCatalog, on_delete=models.CASCADE, related_name="prices")
    variant_gid = models.CharField(max_length=64)
    price = models.DecimalField(**MONEY)
    compare_at_price = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["catalog", "variant_gid"]
        verbose_name = "Shopify catalog price"
        constraints = [models.UniqueConstraint(fields=["catalog", "variant_gid"], name="shopify_catalog_price_unique")]

    def __str__(self) -> str:
        return f"{self.variant_gid}: {self.price}"
