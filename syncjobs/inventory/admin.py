"""Shop locations: each Shopify location of a shop, whether its stock is synced and from which ledger
locations. Rows come from Shopify (Sync inventory imports the locations); a person sets the two
settings, in the list or on the page."""
from __future__ import annotations

from django.contrib import admin

from core.admin_base import MerchantScopedAdmin
from syncjobs.inventory.forms import ShopLocationForm
from syncjobs.inventory.locations import why_not_synced
from syncjobs.inventory.models import ShopLocation


@admin.register(ShopLocation)
class ShopLocationAdmin(MerchantScopedAdmin):
    form = ShopLocationForm
    list_display = ("name", "merchant", "kind", "stock_calculation", "ledger_locations", "synced")
    list_editable = ("stock_calculation", "ledger_locations")
    list_filter = ("merchant", "stock_calculation", "location__is_fulfillment_service")
    list_select_related = ("merchant", "location")
    search_fields = ("location__name", "ledger_locations")
    merchant_user_permissions = frozenset({"view", "change"})
    fields = ("merchant", "name", "kind", "stock_calculation", "ledger_locations", "synced")
    readonly_fields = ("merchant", "name", "kind", "synced")

    def has_add_permission(self, request):
        return False   # Shopify's locations come from Shopify

    def get_changelist_form(self, request, **kwargs):
        return ShopLocationForm   # the list's editable columns are checked as the page's are

    @admin.display(description="Shopify location", ordering="location__name")
    def name(self, row: ShopLocation) -> str:
        return row.location.name

    @admin.display(description="kind")
    def kind(self, row: ShopLocation) -> str:
        location = row.location
        if location.is_fulfillment_service:
            return "fulfillment service (never written to)"
        if location.removed_at is not None:
            return "removed from the shop"
        return "the shop's own" if location.is_active else "deactivated"

    @admin.display(description="stock synced")
    def synced(self, row: ShopLocation) -> str:
        return why_not_synced(row) or "yes"
