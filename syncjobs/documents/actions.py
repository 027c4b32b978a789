"""The Shopify orders list's action "Process orders": the selected unprocessed orders of
documents-mode shops go through report 30103 again, started as the shop card's button starts it
(in the background, or at once when background syncs are off)."""
from __future__ import annotations

from django.contrib import admin, messages

from core.sentences import counted
from merchants.models import PostingMode
from syncjobs.reports.create_sales_documents import CreateSalesDocumentsReport
from syncjobs.shop_card import ShopCardActionFailed, ShopCardActionUnavailable, start_report

# A longer list of orders is not worth a filter: the run takes every unprocessed order of the shop.
NAMED_AT_MOST = 100


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
    for merchant, names in names_by_shop.items():
        parameters = {"order_nos": ", ".join(names)} if len(names) <= NAMED_AT_MOST else {}
        try:
            outcome = start_report(CreateSalesDocumentsReport, merchant=merchant, user=request.user,
                                   raw_parameters=parameters)
        except (ShopCardActionUnavailable, ShopCardActionFailed) as exc:
            modeladmin.message_user(request, f"{merchant.code}: {exc}", messages.ERROR)
            continue
        scope = counted(len(names), "order") if parameters else "every unprocessed order"
        modeladmin.message_user(request, f"{merchant.code}, {scope}: {outcome.message}", messages.SUCCESS)
        for warning in outcome.warnings:
            modeladmin.message_user(request, warning, messages.WARNING)
