"""Products and their variants as report 30108 imported them: read-only (Shopify's record), each
shop's users seeing their own, as the customers (connectors/shopify/admin.py registers this module)."""
from django.contrib import admin

from connectors.shopify.admin import FromShopifyAdmin
from connectors.shopify.models import ShopifyProduct, ShopifyVariant
from core.admin_base import ReadOnlyInline


class VariantInline(ReadOnlyInline):
    model = ShopifyVariant
    fields = ("position", "title", "sku", "barcode", "price", "compare_at_price", "option_values", "taxable",
              "tracked", "unit_cost", "inventory_item_gid", "shopify_gid", "shopify_updated_at")

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class ProductStatusFilter(admin.SimpleListFilter):
    """Shopify's statuses as choices: the default filter would run a DISTINCT over every product."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("ACTIVE", "Active"), ("DRAFT", "Draft"), ("ARCHIVED", "Archived")]

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(ShopifyProduct)
class ShopifyProductAdmin(FromShopifyAdmin):
    list_display = ("__str__", "merchant", "status", "vendor", "product_type", "handle", "shopify_updated_at")
    list_filter = ("merchant", ProductStatusFilter)
    search_fields = ("title", "handle", "vendor", "shopify_gid")
    fieldsets = (
        (None, {"fields": ("merchant", "shopify_gid", "legacy_id", "title", "handle", "status", "vendor",
                           "product_type", "tags")}),
        ("Featured image", {"fields": ("image_gid", "image_url")}),
        ("Times", {"fields": ("created_at", "shopify_updated_at", "imported_at", "updated_at")}),
    )
    inlines = (VariantInline,)
