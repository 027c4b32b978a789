"""Which document each Shopify order became: read-only, since only 30103 makes these rows."""
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from connectors.ledger.target import target_for
from core.admin_base import ReadOnlyScopedAdmin, tile_list_filter
from core.sentences import counted
from syncjobs.documents.conflicts import mark_resolved, update_documents
from syncjobs.documents.links import KIND_NAMES
from syncjobs.documents.models import OrderDocument

ConflictFilter = tile_list_filter(title="changed after processing", parameter_name="conflict",
                                  choices={"yes": ("unprocessed_order_updates", "Changed in Shopify since")})


def documents_of(merchant, gids):
    return target_for(merchant).documents_of_shopify_orders(merchant, gids)


class DocumentsChangeList(ChangeList):
    """The page's rows with their documents in the books: one call per shop on the page."""

    def get_results(self, request):
        super().get_results(request)
        by_shop = {}
        for row in self.result_list:
            by_shop.setdefault(row.merchant, []).append(row)
        for merchant, rows in by_shop.items():
            refs = documents_of(merchant, [row.shopify_order_id for row in rows])
            for row in rows:
                row.refs = refs.get(row.shopify_order_id, [])


@admin.register(OrderDocument)
class OrderDocumentAdmin(ReadOnlyScopedAdmin):
    list_display = ("order_link", "merchant", "kind", "document_link", "created_at", "conflict")
    list_filter = ("merchant", ConflictFilter, "kind")
    list_select_related = ("merchant", "order")
    search_fields = ("document_no", "order__name", "shopify_order_id")
    merchant_user_permissions = frozenset({"view"})
    fields = readonly_fields = ("merchant", "order_link", "kind", "document_link", "shopify_order_id", "created_at",
                                "conflict", "conflict_found_at")
    actions = ("update_from_orders", "resolve_conflicts")

    @admin.action(description="Update the documents from their orders (open documents only)")
    def update_from_orders(self, request, queryset):
        outcome = update_documents(queryset, target_for=target_for)
        self.message_user(request, f"{counted(outcome.updated, 'document')} made again from their orders, their "
                                   "conflicts resolved.", messages.SUCCESS if outcome.updated else messages.WARNING)
        for document, why in outcome.refused[:10]:
            self.message_user(request, f"{document} was left as it is: {why}", messages.WARNING)

    @admin.action(description="Mark conflict resolved (the document says what the order now says)")
    def resolve_conflicts(self, request, queryset):
        chosen = queryset.count()
        resolved = mark_resolved(queryset)
        left = chosen - resolved
        self.message_user(request, f"{counted(resolved, 'conflict')} marked resolved" +
                          (f"; {counted(left, 'row')} had none" if left else "") + ".", messages.SUCCESS)

    @admin.display(description="order", ordering="order__name")
    def order_link(self, row: OrderDocument):
        return format_html('<a href="{}">{}</a>', reverse("admin:shopify_shopifyorder_change", args=[row.order_id]),
                           row.order.name)

    @admin.display(description="in the books", ordering="document_no")
    def document_link(self, row: OrderDocument):
        """The document while open, and what posting it made once posted (asked of the books)."""
        refs = getattr(row, "refs", None)
        if refs is None:
            refs = documents_of(row.merchant, [row.shopify_order_id]).get(row.shopify_order_id, [])
        target = target_for(row.merchant)
        return format_html_join(", ", '<a href="{}">{}</a>', (
            (target.document_url(ref.kind, ref.number), f"{KIND_NAMES.get(ref.kind, ref.kind)} {ref.number}")
            for ref in refs)) or "—"

    def get_changelist(self, request, **kwargs):
        return DocumentsChangeList
