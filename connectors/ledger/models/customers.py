"""Customers of the ledger: who a sale is to."""
from django.db import models


class Customer(models.Model):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="ledger_customers")
    number = models.CharField("no.", max_length=20)
    name = models.CharField(max_length=100)
    email = models.CharField(max_length=254, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    address = models.CharField(max_length=100, blank=True)
    address_2 = models.CharField(max_length=100, blank=True)
    city = models.CharField(max_length=50, blank=True)
    post_code = models.CharField(max_length=20, blank=True)
    county = models.CharField(max_length=50, blank=True, help_text="State, province or county code.")
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166 code, e.g. FR.")
    tax_liable = models.BooleanField(default=True, help_text="Off: sales to this customer carry no tax.")
    blocked = models.BooleanField(default=False, help_text="On: no new sale may be made to this customer.")
    tax_registration_no = models.CharField("tax registration no.", max_length=30, blank=True, default="",
                                           db_default="", help_text="VAT or tax ID, e.g. DE123456789.")
    price_list_code = models.CharField("price list", max_length=20, blank=True, default="", db_default="",
                                       help_text="The price list its sales and its B2B catalog are priced from.")
    b2b_company = models.BooleanField("B2B company", default=False, db_default=False,
                                      help_text="On: Sync companies creates it in Shopify as a company.")
    # Kept by the ledger so finding a customer by email, phone or tax ID is one indexed lookup; a sync
    # still compares the full normalised value (lower-cased email, E.164 phone). The tax registration
    # no. stays as typed; its search key is core.contacts.normalized_tax_id of it.
    search_email = models.CharField(max_length=254, blank=True, editable=False)
    search_phone = models.CharField(max_length=30, blank=True, editable=False)
    search_tax_id = models.CharField(max_length=30, blank=True, default="", db_default="", editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["merchant", "number"]
        constraints = [models.UniqueConstraint(fields=["merchant", "number"], name="ledger_customer_no_unique")]
        indexes = [models.Index(fields=["merchant", "search_email"], name="ledger_customer_email"),
                   models.Index(fields=["merchant", "search_phone"], name="ledger_customer_phone"),
                   models.Index(fields=["merchant", "search_tax_id"], name="ledger_customer_tax_id")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"
