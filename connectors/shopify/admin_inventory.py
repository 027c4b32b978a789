"""The shop's locations as the inventory sync imported them: read-only (Shopify's record), each
shop's users seeing their own (connectors/shopify/admin.py registers this module)."""
from django.contrib import admin

from connectors.shopify.admin import FromShopifyAdmin
from connectors.shopify.models import ShopifyLocation


@admin.register(ShopifyLocation)
class ShopifyLocationAdmin(FromShopifyAdmin):
    list_display = ("name", "merchant", "is_active", "is_fulfillment_service", "fulfills_online_orders",
                    "removed_at", "imported_at")
    list_filter = ("merchant", "is_active", "is_fulfillment_service")
    search_fields = ("name", "shopify_gid")
    fields = ("merchant", "name", "shopify_gid", "is_active", "is_fulfillment_service", "fulfills_online_orders",
              "removed_at", "imported_at")

    def has_delete_permission(self, request, obj=None):
        return False   # the next import would bring it back; the stock settings hang on it
