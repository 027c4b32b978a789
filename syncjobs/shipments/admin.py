"""Shipments to Shopify: where each posted shipment of a Shopify order stands, read-only but for
"Send again", which reopens errors and starts Sync Shipments for them as the card's button would."""
from __future__ import annotations

from django.contrib import admin, messages
from django.utils.html import format_html

from connectors.ledger.target import target_for
from core.admin_base import MerchantScopedAdmin, tile_list_filter
from core.sentences import counted
from syncjobs.reports.sync_shipments import SyncShipmentsReport
from syncjobs.shipments.models import ShipmentFulfillment
from syncjobs.shipments.retry import reopen
from syncjobs.shop_card import start_for_selected

TileFilter = tile_list_filter(title="needs attention", parameter_name="tile", choices={
    "unprocessed": ("unprocessed_shipments", "Not sent yet"), "errors": ("shipment_errors", "Shipment errors")})


@admin.register(ShipmentFulfillment)
class ShipmentFulfillmentAdmin(MerchantScopedAdmin):
    list_display = ("shipment", "merchant", "shopify_order_no", "posting_date", "state", "reason", "fulfillment_count")
    list_filter = ("merchant", TileFilter, "state")
    list_select_related = ("merchant",)
    search_fields = ("shipment_no", "order_no", "shopify_order_no", "shopify_order_id")
    fields = readonly_fields = ("merchant", "shipment", "order_no", "shopify_order_no", "shopify_order_id",
                                "posting_date", "state", "reason", "fulfillments", "attempted_at", "fulfilled_at")
    actions = ("send_again",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="shipment", ordering="shipment_no")
    def shipment(self, row: ShipmentFulfillment):
        return format_html('<a href="{}">{}</a>', target_for(row.merchant).shipment_url(row.shipment_no),
                           row.shipment_no)

    @admin.display(description="fulfillments")
    def fulfillment_count(self, row: ShipmentFulfillment) -> int:
        return len(row.fulfillments)

    @admin.action(description="Send again (shipment errors and nothing to send)")
    def send_again(self, request, queryset) -> None:
        chosen = queryset.count()   # before reopening: a reopened row may leave the list's filter
        reopened = reopen(queryset)
        left = chosen - len(reopened)
        if left:
            self.message_user(request, f"{counted(left, 'selected shipment')} not a shipment error or with nothing "
                                       "to send: left as they are.", messages.WARNING)
        by_shop: dict = {}
        for row in reopened:
            by_shop.setdefault(row.merchant, []).append(row.shipment_no)
        start_for_selected(self, request, SyncShipmentsReport, by_shop, parameter="shipment_nos", noun="shipment",
                           every="every shipment not sent yet")
