"""B2B companies as report 30114 imported them, with their locations and contacts: read-only
(Shopify's record), each shop's users seeing their own (connectors/shopify/admin.py registers this
module)."""
from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html_join

from connectors.shopify.models import ShopifyCompany, ShopifyCompanyContact, ShopifyCompanyLocation
from core.admin_base import ReadOnlyInline, ReadOnlyScopedAdmin


def address_lines(location: ShopifyCompanyLocation, prefix: str) -> list[str]:
    """One of a location's addresses (`prefix` "bill_to" or "ship_to"), a line at a time."""
    part = lambda name: getattr(location, f"{prefix}_{name}")   # noqa: E731
    lines = [part("recipient"), part("address1"), part("address2"),
             " ".join(p for p in (part("zip"), part("city")) if p),
             " ".join(p for p in (part("province_code"), part("country_code")) if p)]
    return [line for line in lines if line]


def _lines(lines: list[str]):
    return format_html_join("", "{}<br>", ((line,) for line in lines)) if lines else "—"


class CompanyLocationInline(ReadOnlyInline):
    model = ShopifyCompanyLocation
    verbose_name_plural = "locations"
    fields = ("name", "bill_to", "ship_to", "tax_registration_id", "tax_exempt", "currency", "terms", "external_id",
              "shopify_gid")

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    @admin.display(description="bill-to address")
    def bill_to(self, location: ShopifyCompanyLocation):
        return _lines(address_lines(location, "bill_to"))

    @admin.display(description="ship-to address")
    def ship_to(self, location: ShopifyCompanyLocation):
        return _lines(address_lines(location, "ship_to"))

    @admin.display(description="payment terms")
    def terms(self, location: ShopifyCompanyLocation) -> str:
        return location.payment_terms or "pay at checkout"


class CompanyContactInline(ReadOnlyInline):
    model = ShopifyCompanyContact
    verbose_name_plural = "contacts"
    fields = ("name", "email", "phone", "title", "is_main_contact", "roles_at", "customer_gid", "shopify_gid")

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def get_queryset(self, request):
        # Each contact's roles name its company's locations: all of them come in one more query.
        return super().get_queryset(request).select_related("company").prefetch_related("company__locations")

    @admin.display(description="roles")
    def roles_at(self, contact: ShopifyCompanyContact):
        names = {location.shopify_gid: location.name for location in contact.company.locations.all()}
        return _lines([f"{role} at {names.get(gid, gid)}" for gid, role in sorted(
            (contact.roles or {}).items(), key=lambda item: names.get(item[0], item[0]))])


@admin.register(ShopifyCompany)
class ShopifyCompanyAdmin(ReadOnlyScopedAdmin):
    list_display = ("name", "merchant", "external_id", "main_contact", "location_count", "shopify_updated_at")
    list_filter = ("merchant",)
    list_select_related = ("merchant",)
    search_fields = ("name", "external_id", "main_contact_email", "main_contact_name", "shopify_gid")
    fieldsets = (
        (None, {"fields": ("merchant", "name", "external_id", "note", "shopify_gid")}),
        ("Main contact", {"fields": ("main_contact_name", "main_contact_email", "main_contact_phone",
                                     "main_contact_gid", "main_contact_customer_gid")}),
        ("Times", {"fields": ("created_at", "shopify_updated_at", "imported_at", "updated_at")}),
    )
    inlines = (CompanyLocationInline, CompanyContactInline)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(location_count=Count("locations"))

    @admin.display(description="main contact")
    def main_contact(self, company: ShopifyCompany) -> str:
        parts = [company.main_contact_name, company.main_contact_email]
        return " · ".join(part for part in parts if part) or "—"

    @admin.display(description="locations", ordering="location_count")
    def location_count(self, company: ShopifyCompany) -> int:
        return company.location_count
