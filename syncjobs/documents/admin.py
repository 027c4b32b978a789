"""Which document each Shopify order became: read-only, since only 30103 makes these rows."""
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from connectors.ledger.target import target_for
from core.admin_base import MerchantScopedAdmin, tile_list_filter
from core.sentences import counted
from syncjobs.documents.conflicts import mark_resolved
from syncjobs.documents.models import OrderDocument

ConflictFilter = tile_list_filter(title="changed after processing", parameter_name="conflict",
                                  choices={"yes": ("unprocessed_order_updates", "Changed in Shopify since")})


@admin.register(OrderDocument)
class OrderDocumentAdmin(MerchantScopedAdmin):
    list_display = ("order_link", "merchant", "kind", "document_link", "created_at", "conflict")
    list_filter = ("merchant", ConflictFilter, "kind")
    list_select_related = ("merchant", "order")
    search_fields = ("document_no", "order__name", "shopify_order_id")
    merchant_user_permissions = frozenset({"view"})
    fields = readonly_fields = ("merchant", "order_link", "kind", "document_link", "shopify_order_id", "created_at",
                                "conflict", "conflict_found_at")
    actions = ("resolve_conflicts",)

    @admin.action(description="Mark conflict resolved (the document says what the order now says)")
    def resolve_conflicts(self, request, queryset):
        chosen = queryset.count()
        resolved = mark_resolved(queryset)
        left = chosen - resolved
        self.message_user(request, f"{counted(resolved, 'conflict')} marked resolved" +
                          (f"; {counted(left, 'row')} had none" if left else "") + ".", messages.SUCCESS)

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
