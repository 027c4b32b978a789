"""Report 30104 Sync Orders from Shopify."""
from __future__ import annotations

from datetime import date

from django import forms

from connectors.shopify.order_sync import OrderFilters, sync_orders
from merchants.models import PostingMode
from syncjobs.documents.processing import unprocessed_orders
from syncjobs.queue.entries import start_in_background
from syncjobs.reports.base import Report, RunContext, RunResult, register
from syncjobs.reports.create_sales_documents import CreateSalesDocumentsReport

FINANCIAL_STATUSES = [("", "Any"), ("paid", "Fully paid"), ("pending", "Pending"), ("authorized", "Authorized"),
                      ("partially_paid", "Partially paid"), ("partially_refunded", "Partially refunded"),
                      ("refunded", "Refunded"), ("voided", "Voided")]
FULFILLMENT_STATUSES = [("", "Any"), ("shipped", "Shipped"), ("unshipped", "Not shipped"),
                        ("partial", "Partially shipped")]


# Shopify opened in 2006; an earlier day is a typo (year 1 would not even make a search).
FIRST_ORDER_DAY = date(2006, 1, 1)


class SyncOrdersRequestForm(forms.Form):
    intro = ("With every filter empty, the sync imports the orders changed since the last sync. With any filter "
             "set, it reads every order the filters choose from Shopify again, changed lately or not, and leaves "
             "the point the next unfiltered sync starts from where it is.")

    financial_status = forms.ChoiceField(choices=FINANCIAL_STATUSES, required=False,
                                         help_text="Only orders in this payment state now.")
    fulfillment_status = forms.ChoiceField(choices=FULFILLMENT_STATUSES, required=False,
                                           help_text="Only orders in this shipping state now.")
    created_from = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                   help_text="Orders created on this day or later.")
    created_to = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                 help_text="Orders created on this day or earlier.")
    order_no = forms.CharField(required=False, max_length=64,
                               help_text="One order by its Shopify order no., e.g. #1001.")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("created_from"), cleaned.get("created_to")
        for name, day in (("created_from", start), ("created_to", end)):
            if day and day < FIRST_ORDER_DAY:
                self.add_error(name, f"Shopify holds no order before {FIRST_ORDER_DAY:%Y}; choose a later day.")
        if start and end and start > end:
            raise forms.ValidationError("The date range ends before it starts.")
        return cleaned


@register
class SyncOrdersReport(Report):
    number = 30104
    name = "Sync Orders from Shopify"
    button_label = "Sync orders"
    button_position = 10
    unit = "orders"
    count_words = {"created": "new", "updated": "changed", "skipped": "unchanged"}
    form_class = SyncOrdersRequestForm
    recurring_minutes = 15
    task_timeout = 6 * 60 * 60   # a first import of a large store (a bulk export) takes hours

    def run(self, ctx: RunContext) -> RunResult:
        filters = OrderFilters(**{k: v for k, v in ctx.parameters.items() if v not in (None, "")})
        result = RunResult.of(sync_orders(merchant=ctx.merchant, filters=filters, progress=ctx.progress,
                                          expect=ctx.expect))
        _queue_documents(ctx)
        return result


def _queue_documents(ctx: RunContext) -> None:
    """Auto-create sales documents: the orders this import brought are processed by a 30103 entry in
    the shop's category, so it runs once this run lets the category go (M1)."""
    merchant = ctx.merchant
    if merchant.posting_mode != PostingMode.DOCUMENTS or not merchant.auto_create_sales_documents:
        return
    if not unprocessed_orders(merchant).filter(has_error=False).exists():
        return
    started = start_in_background(merchant=merchant, report_number=CreateSalesDocumentsReport.number,
                                  raw_parameters={}, user=None)
    ctx.log(f"{CreateSalesDocumentsReport.label()} queued for the new orders (auto-create sales documents is on)"
            if started.created else f"{CreateSalesDocumentsReport.label()} is already waiting to run")
