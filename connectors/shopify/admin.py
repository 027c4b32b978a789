from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from connectors.shopify.models import (
    ImportState,
    ShopifyOrder,
    ShopifyOrderLine,
    ShopifyPayout,
    ShopifyTransaction,
    WebhookDelivery,
)
from core.admin_base import MerchantScopedAdmin, ReadOnlyInline, tile_list_filter
from core.paginators import EstimatedCountPaginator
from core.webhook_topics import subscribed_topics


class OrderLineInline(ReadOnlyInline):
    model = ShopifyOrderLine
    fields = ("position", "sku", "name", "quantity", "unit_price", "discount", "is_gift_card")


class TransactionInline(ReadOnlyInline):
    model = ShopifyTransaction
    fields = ("kind", "status", "gateway", "processed_at", "amount", "fee", "refund")


class FinancialStatusFilter(admin.SimpleListFilter):
    """Shopify's statuses as choices: the default filter would run a DISTINCT over every order."""

    title = "financial status"
    parameter_name = "financial_status"
    STATUSES = ("PENDING", "AUTHORIZED", "PARTIALLY_PAID", "PAID", "PARTIALLY_REFUNDED", "REFUNDED", "VOIDED",
                "EXPIRED")

    def lookups(self, request, model_admin):
        return [(status, status.replace("_", " ").capitalize()) for status in self.STATUSES]

    def queryset(self, request, queryset):
        return queryset.filter(financial_status=self.value()) if self.value() else queryset


# The role center's "unprocessed orders": exactly the rows its tile counts.
AwaitingLedgerFilter = tile_list_filter(title="ledger", parameter_name="awaiting_ledger",
                                        choices={"yes": ("unprocessed_orders", "Awaiting the ledger")})


@admin.register(ShopifyOrder)
class ShopifyOrderAdmin(MerchantScopedAdmin):
    list_display = ("name", "merchant", "created_at", "financial_status", "amount", "processed", "has_error")
    list_filter = ("merchant", AwaitingLedgerFilter, "processed", "has_error", FinancialStatusFilter, "is_test")
    list_select_related = ("merchant",)
    search_fields = ("name", "email", "shopify_gid")
    # No date hierarchy: it needs a DISTINCT over every order's date. Lists never count the whole table.
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = EstimatedCountPaginator
    inlines = (OrderLineInline, TransactionInline)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in ("id",)]

    def has_add_permission(self, request):
        return False  # orders come from Shopify

    @admin.display(description="total", ordering="total")
    def amount(self, order: ShopifyOrder) -> str:
        return f"{order.total:,.2f} {order.currency}"


@admin.register(ImportState)
class ImportStateAdmin(MerchantScopedAdmin):
    list_display = ("merchant", "kind", "watermark", "bulk_operation_status", "updated_at")
    list_filter = ("merchant", "kind")
    readonly_fields = ("bulk_operation_gid", "bulk_operation_status", "bulk_started_at", "updated_at")
    merchant_user_permissions = frozenset({"view"})

    def has_add_permission(self, request):
        return False  # the first sync creates it


class FromShopifyAdmin(MerchantScopedAdmin):
    """Rows that come from Shopify and grow without end: read-only, and lists that never count the
    whole table."""

    list_select_related = ("merchant",)
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = EstimatedCountPaginator

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ShopifyPayout)
class ShopifyPayoutAdmin(FromShopifyAdmin):
    list_display = ("issued_at", "merchant", "status", "net", "currency", "shopify_gid")
    list_filter = ("merchant", "status")


class TopicFilter(admin.SimpleListFilter):
    """The topics syncsite subscribes to, as choices (the default filter reads every delivery)."""

    title = "topic"
    parameter_name = "topic"

    def lookups(self, request, model_admin):
        return [(topic, topic) for topic in subscribed_topics()]

    def queryset(self, request, queryset):
        return queryset.filter(topic=self.value()) if self.value() else queryset


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(FromShopifyAdmin):
    """What Shopify sent and what syncsite did about it; kept WEBHOOK_DELIVERY_RETENTION_DAYS."""

    list_display = ("received_at", "merchant", "topic", "outcome", "detail", "entry_link")
    list_filter = ("merchant", "outcome", TopicFilter)
    search_fields = ("event_id", "webhook_id", "subject")

    @admin.display(description="job queue entry")
    def entry_link(self, delivery: WebhookDelivery):
        if delivery.entry_id is None:
            return "—"
        url = reverse("admin:syncjobs_jobqueueentry_change", args=[delivery.entry_id])
        return format_html('<a href="{}">{}</a>', url, delivery.entry_id)
