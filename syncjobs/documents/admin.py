"""Which document each Shopify order became: read-only, since only 30103 makes these rows."""
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from connectors.ledger.target import target_for
from core.admin_base import MerchantScopedAdmin
from syncjobs.documents.models import OrderDocument


@admin.register(OrderDocument)
class OrderDocumentAdmin(MerchantScopedAdmin):
    list_display = ("order_link", "merchant", "kind", "document_link", "created_at")
    list_filter = ("merchant", "kind")
    list_select_related = ("merchant", "order")
    search_fields = ("document_no", "order__name", "shopify_order_id")
    merchant_user_permissions = frozenset({"view"})
    fields = readonly_fields = ("merchant", "order_link", "kind", "document_link", "shopify_order_id", "created_at")

    @admin.display(description="Shopify order", ordering="order__name")
    def order_link(self, row: OrderDocument):
        return format_html('<a href="{}">{}</a>', reverse("admin:shopify_shopifyorder_change", args=[row.order_id]),
                           row.order.name)

    @admin.display(description="document", ordering="document_no")
    def document_link(self, row: OrderDocument):
        return format_html('<a href="{}">{}</a>', target_for(row.merchant).document_url(row.kind, row.document_no),
                           str(row))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
