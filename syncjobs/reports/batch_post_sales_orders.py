"""Report 296 Batch Post Sales Orders (Business Central's base report): post the released sales
orders the request page chooses, shipping and invoicing them, one transaction per order."""
from __future__ import annotations

from typing import ClassVar

from django import forms

from connectors.ledger.records import DocumentType
from connectors.ledger.target import target_for
from core.sentences import counted
from syncjobs.documents.posting import PostingFilters, post_documents
from syncjobs.queue.outcome import RecordFailure
from syncjobs.reports.base import Report, RunContext, RunResult, register
from syncjobs.reports.create_sales_documents import nothing_to_do_in_summary_mode


class BatchPostRequestForm(forms.Form):
    # Blank choices are the defaults, so an entry made without its request page (a recurring one)
    # posts what the page would have proposed.
    documents = forms.ChoiceField(choices=[("", "Shopify orders only"), ("all", "All documents")], required=False,
                                  help_text="Shopify's documents carry a Shopify order no.")
    date_from = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                help_text="Documents dated this day or later.")
    date_to = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                              help_text="Documents dated this day or earlier.")
    posting_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                   help_text="Post on this day; blank: each document's own date.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            raise forms.ValidationError("The date range ends before it starts.")
        return cleaned


class BatchPostOrdersRequestForm(BatchPostRequestForm):
    post = forms.ChoiceField(choices=[("", "Ship and invoice"), ("ship", "Ship only"),
                                      ("invoice", "Invoice only (orders shipped before)")], required=False)


def filters_of(parameters: dict) -> PostingFilters:
    return PostingFilters(shopify_only=parameters.get("documents") != "all", date_from=parameters.get("date_from"),
                          date_to=parameters.get("date_to"), posting_date=parameters.get("posting_date"))


def batch_post(ctx: RunContext, type: str, what: str, *, ship: bool = True, invoice: bool = True) -> RunResult:
    if (done := nothing_to_do_in_summary_mode(ctx, f"{what} to post")) is not None:
        return done
    counts = post_documents(ctx.merchant, type, target=target_for(ctx.merchant), filters=filters_of(ctx.parameters),
                            ship=ship, invoice=invoice, progress=ctx.progress)
    if counts.not_released:
        ctx.log(f"{counts.not_released} open {what} left out: release them first (Sales documents → Release)")
    if not counts.read:
        ctx.log(f"no released {what} match the request page")
    else:
        shipped = f", {counted(counts.shipped, 'order')} shipped and left to invoice" if counts.shipped else ""
        ctx.log(f"{counted(counts.posted, 'document')} posted{shipped}, {counts.failed} not posted")
    return RunResult(read=counts.read, created=counts.posted, updated=counts.shipped, failed=counts.failed,
                     failures=[RecordFailure(f"sales {type.replace('_', ' ')}", number, why)
                               for number, why in counts.errors])


class BatchPosting:
    """What the batch posting reports share (mixed into each report class, one per module): their
    request page, their counts, posting only when someone chooses to (never in Sync all)."""

    document_type: ClassVar[str]
    unit: ClassVar[str]
    count_words = {"created": "posted", "failed": "not posted"}
    form_class = BatchPostRequestForm

    @classmethod
    def in_sync_all(cls, merchant) -> bool:
        return False   # posting is for good: someone chooses to

    def run(self, ctx: RunContext) -> RunResult:
        return batch_post(ctx, self.document_type, self.unit)


@register
class BatchPostSalesOrdersReport(BatchPosting, Report):
    number = 296
    name = "Batch Post Sales Orders"
    button_label = "Post sales orders"
    button_position = 112
    unit = "sales orders"
    document_type = DocumentType.ORDER
    count_words = {"created": "posted", "updated": "shipped only", "failed": "not posted"}
    form_class = BatchPostOrdersRequestForm

    def run(self, ctx: RunContext) -> RunResult:
        post = ctx.parameters.get("post") or ""
        ship, invoice = post in ("", "ship"), post in ("", "invoice")
        return batch_post(ctx, DocumentType.ORDER, "sales orders", ship=ship, invoice=invoice)
