"""Which ledger customer each Shopify company location is: one link per (shop, company location),
naming the accounting target's customer by its number (a string: no foreign key into any target's
tables). A B2B order placed for a location is sold to its customer."""
from django.db import models


class MappedBy(models.TextChoices):
    EMAIL = "email", "Same email as the main contact"
    PHONE = "phone", "Same phone as the main contact"
    TAX_ID = "tax_id", "Same tax registration no."
    DEFAULT_COMPANY = "default_company", "Default company of the shop"
    CREATED = "created", "Created from the Shopify company"
    BY_HAND = "by_hand", "Mapped by hand"
    EXPORTED = "exported", "Exported from the ledger"


class Direction(models.TextChoices):
    """Which side's changes the other takes: never both ways."""
    FROM_SHOPIFY = "from_shopify", "Shopify → ledger"
    TO_SHOPIFY = "to_shopify", "Ledger → Shopify"
    NONE = "", "Neither (mapped to an existing customer)"


class CompanyLink(models.Model):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="company_links")
    company_location_gid = models.CharField("Shopify company location", max_length=64)
    company_gid = models.CharField("Shopify company", max_length=64)
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
        verbose_name = "company link"
        constraints = [models.UniqueConstraint(fields=["merchant", "company_location_gid"],
                                               name="company_link_one_per_location")]
        indexes = [
            models.Index(fields=["merchant", "customer_no"], name="company_link_by_no"),
            models.Index(fields=["merchant"], condition=models.Q(customer_no=""), name="company_link_unmapped"),
        ]

    def __str__(self) -> str:
        # The admin's pages read the link with its company's and location's names (with_names).
        company, location = getattr(self, "company_name", ""), getattr(self, "location_name", "")
        named = f"{company} — {location}" if company and location and location != company else company
        return f"{named or self.company_location_gid} → {self.customer_no or 'unmapped'}"
