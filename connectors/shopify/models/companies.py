"""B2B companies as Shopify holds them (report 30114): a company, its locations (the branches that
order, each billed and shipped at its own address) and its contacts (customers of the shop buying
for it)."""
from django.db import models

ADDRESS = {"max_length": 255, "blank": True, "default": ""}


class ShopifyCompany(models.Model):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="shopify_companies")
    shopify_gid = models.CharField("Shopify ID", max_length=64)
    name = models.CharField(max_length=255)
    external_id = models.CharField("external ID", max_length=64, blank=True)
    note = models.TextField(blank=True)
    # The main contact, as mapping "by email/phone" reads it (normalised: lower-cased email, E.164 phone).
    main_contact_gid = models.CharField(max_length=64, blank=True)
    main_contact_customer_gid = models.CharField(max_length=64, blank=True)
    main_contact_name = models.CharField(max_length=255, blank=True)
    main_contact_email = models.CharField(max_length=254, blank=True)
    main_contact_phone = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    shopify_updated_at = models.DateTimeField(null=True, blank=True)
    imported_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["merchant", "name"]
        verbose_name = "Shopify company"
        verbose_name_plural = "Shopify companies"
        constraints = [models.UniqueConstraint(fields=["merchant", "shopify_gid"], name="shopify_company_gid_unique")]

    def __str__(self) -> str:
        return self.name or self.shopify_gid


class ShopifyCompanyLocation(models.Model):
    """A company's location: what a B2B order is placed for, and what maps to a ledger customer."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey(ShopifyCompany, on_delete=models.CASCADE, related_name="locations")
    shopify_gid = models.CharField("Shopify ID", max_length=64)
    name = models.CharField(max_length=255)
    external_id = models.CharField("external ID", max_length=64, blank=True)
    phone = models.CharField(max_length=64, blank=True)
    locale = models.CharField(max_length=16, blank=True)
    currency = models.CharField(max_length=3, blank=True, help_text="The currency the location buys in.")
    tax_registration_id = models.CharField("tax registration ID", max_length=64, blank=True)
    tax_exempt = models.BooleanField(default=False)
    payment_terms = models.CharField(max_length=64, blank=True, help_text="Shopify's template, e.g. Net 30.")
    payment_terms_days = models.PositiveIntegerField(null=True, blank=True)
    bill_to_address1 = models.CharField(**ADDRESS)
    bill_to_address2 = models.CharField(**ADDRESS)
    bill_to_city = models.CharField(**ADDRESS)
    bill_to_zip = models.CharField(max_length=32, blank=True, default="")
    bill_to_province_code = models.CharField(max_length=16, blank=True, default="")
    bill_to_country_code = models.CharField(max_length=2, blank=True, default="")
    bill_to_recipient = models.CharField(**ADDRESS)
    ship_to_address1 = models.CharField(**ADDRESS)
    ship_to_address2 = models.CharField(**ADDRESS)
    ship_to_city = models.CharField(**ADDRESS)
    ship_to_zip = models.CharField(max_length=32, blank=True, default="")
    ship_to_province_code = models.CharField(max_length=16, blank=True, default="")
    ship_to_country_code = models.CharField(max_length=2, blank=True, default="")
    ship_to_recipient = models.CharField(**ADDRESS)
    created_at = models.DateTimeField(null=True, blank=True)
    shopify_updated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["merchant", "company", "name"]
        verbose_name = "Shopify company location"
        constraints = [models.UniqueConstraint(fields=["merchant", "shopify_gid"],
                                               name="shopify_company_location_gid_unique")]
        indexes = [models.Index(fields=["merchant", "tax_registration_id"], name="company_location_tax_id")]

    def __str__(self) -> str:
        return self.name or self.shopify_gid


class ShopifyCompanyContact(models.Model):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey(ShopifyCompany, on_delete=models.CASCADE, related_name="contacts")
    shopify_gid = models.CharField("Shopify ID", max_length=64)
    customer_gid = models.CharField("Shopify customer", max_length=64, blank=True)
    name = models.CharField(max_length=255, blank=True)
    email = models.CharField(max_length=254, blank=True, help_text="Lower-cased.")
    phone = models.CharField(max_length=64, blank=True, help_text="E.164.")
    title = models.CharField(max_length=255, blank=True)
    is_main_contact = models.BooleanField(default=False)
    # The company locations this contact may order for, with its role at each, e.g. {gid: "Location admin"}.
    roles = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["merchant", "company", "-is_main_contact", "name"]
        verbose_name = "Shopify company contact"
        constraints = [models.UniqueConstraint(fields=["merchant", "shopify_gid"],
                                               name="shopify_company_contact_gid_unique")]

    def __str__(self) -> str:
        return self.name or self.email or self.shopify_gid
