"""Which ledger customer each Shopify customer is: one link per (shop, Shopify customer), naming the
accounting target's customer by its number (a string: no foreign key into any target's tables)."""
from django.db import models


class MappedBy(models.TextChoices):
    EMAIL = "email", "Same email"
    PHONE = "phone", "Same phone"
    BILL_TO = "bill_to", "Same bill-to name and address"
    COUNTRY_DEFAULT = "country_default", "Default customer of the country"
    DEFAULT_CUSTOMER = "default_customer", "Default customer of the shop"
    CREATED = "created", "Created from the Shopify customer"
    BY_HAND = "by_hand", "Mapped by hand"
    EXPORTED = "exported", "Exported from the ledger"


class Direction(models.TextChoices):
    """Which side's changes the other takes, for the whole customer: never both ways."""
    FROM_SHOPIFY = "from_shopify", "Shopify → ledger"
    TO_SHOPIFY = "to_shopify", "Ledger → Shopify"
    NONE = "", "Neither (mapped to an existing customer)"


class CustomerLink(models.Model):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="customer_links")
    shopify_gid = models.CharField("Shopify customer", max_length=64)
    customer_no = models.CharField("customer no.", max_length=20, blank=True,
                                   help_text="The ledger customer; blank while unmapped.")
    mapped_by = models.CharField(max_length=20, choices=MappedBy.choices, blank=True)
    direction = models.CharField(max_length=20, choices=Direction.choices, blank=True, default=Direction.NONE)
    unmapped_reason = models.CharField(max_length=255, blank=True)
    # What was last written to the other side, so a run with nothing changed writes nothing.
    synced_hash = models.CharField(max_length=64, blank=True, editable=False)
    mapped_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["merchant", "-updated_at"]
        constraints = [models.UniqueConstraint(fields=["merchant", "shopify_gid"], name="customer_link_one_per_gid")]
        indexes = [
            models.Index(fields=["merchant", "customer_no"], name="customer_link_by_no"),
            models.Index(fields=["merchant"], condition=models.Q(customer_no=""), name="customer_link_unmapped"),
        ]

    def __str__(self) -> str:
        buyer = self.buyer_name or getattr(self, "customer_email", "") or self.shopify_gid
        return f"{buyer} → {self.customer_no or 'unmapped'}"

    @property
    def buyer_name(self) -> str:
        """The Shopify customer's name, when the link was read with it (the admin's pages annotate
        first_name, last_name and customer_email); else ""."""
        return " ".join(name for name in (getattr(self, "first_name", ""), getattr(self, "last_name", "")) if name)


class CountryDefaultCustomer(models.Model):
    """Business Central's customer template per country: orders of customers from `country` go to
    this customer, before any other mapping."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE,
                                 related_name="country_default_customers")
    country = models.CharField(max_length=2, help_text="ISO 3166 code, e.g. DE.")
    customer_no = models.CharField("customer no.", max_length=20)

    class Meta:
        verbose_name = "default customer per country"
        verbose_name_plural = "default customers per country"
        ordering = ["merchant", "country"]
        constraints = [models.UniqueConstraint(fields=["merchant", "country"], name="one_default_per_country")]

    def __str__(self) -> str:
        return f"{self.country} → {self.customer_no}"
