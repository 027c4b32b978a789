"""The Shopify orders list's action "Process orders": the selected unprocessed orders of
documents-mode shops go through report 30103 again, started as the shop card's button starts it
(in the background, or at once when background syncs are off)."""
from __future__ import annotations

from django.contrib import admin, messages

from core.sentences import counted
from merchants.models import PostingMode
from syncjobs.reports.create_sales_documents import CreateSalesDocumentsReport
from syncjobs.shop_card import start_for_selected


@admin.action(description="Process orders (create their sales documents)")
def process_orders(modeladmin, request, queryset) -> None:
    chosen = queryset.filter(processed=False, merchant__posting_mode=PostingMode.DOCUMENTS)
    left_out = queryset.count() - chosen.count()
    if left_out:
        modeladmin.message_user(request, f"{counted(left_out, 'selected order')} processed already or of a "
                                         "daily-summary shop: left out.", messages.WARNING)
    names_by_shop: dict = {}
    for order in chosen.select_related("merchant").order_by("merchant_id", "pk"):
        names_by_shop.setdefault(order.merchant, []).append(order.name)
    start_for_selected(modeladmin, request, CreateSalesDocumentsReport, names_by_shop, parameter="order_nos",
                       noun="order", every="every unprocessed order")
