"""Report 30103 Create Sales Documents: each unprocessed, fully mapped order of a documents-mode
shop becomes a sales order, or an invoice when it is fulfilled and the card says so
(syncjobs.documents). The request page filters by Shopify's payment and shipping states."""
from __future__ import annotations

from django import forms

from connectors.ledger.target import target_for
from connectors.shopify.states import FinancialStatus, FulfillmentStatus
from core.sentences import counted
from merchants.models import PostingMode
from syncjobs.documents.processing import OrderFilters, create_documents
from syncjobs.documents.refunds import credit_refunds
from syncjobs.documents.shopify_writes import WriteCounts, archive_done, write_back
from syncjobs.queue.outcome import RecordFailure
from syncjobs.reports.base import Report, RunContext, RunResult, register


class CreateSalesDocumentsRequestForm(forms.Form):
    financial_status = forms.ChoiceField(choices=[("", "Any"), *FinancialStatus.choices], required=False,
                                         help_text="Only orders in this payment state, e.g. Paid.")
    fulfillment_status = forms.ChoiceField(choices=[("", "Any"), *FulfillmentStatus.choices], required=False,
                                           help_text="Only orders in this shipping state.")
    order_nos = forms.CharField(required=False, max_length=2000, label="Order nos.",
                                help_text="Only these Shopify order nos., separated by commas, e.g. #1001, #1002.")


def nothing_to_do_in_summary_mode(ctx: RunContext, what: str) -> RunResult | None:
    """A daily-summary shop posts one journal a day and has no sales documents: the run says so and
    succeeds (it is no error to light the errors tile)."""
    if ctx.merchant.posting_mode == PostingMode.DOCUMENTS:
        return None
    why = (f"nothing to do: {ctx.merchant.code} posts a daily summary journal, so it has no {what}; its posting "
           "mode is on the shop card")
    ctx.log(why)
    return RunResult(summary=why)


@register
class CreateSalesDocumentsReport(Report):
    number = 30103
    name = "Create Sales Documents"
    button_label = "Process orders"
    button_position = 110
    unit = "orders"
    count_words = {"created": "documents created", "updated": "documents found already made",
                   "skipped": "cancelled or test orders without a document", "failed": "orders not processed"}
    form_class = CreateSalesDocumentsRequestForm

    @classmethod
    def in_sync_all(cls, merchant) -> bool:
        return merchant.posting_mode == PostingMode.DOCUMENTS

    def run(self, ctx: RunContext) -> RunResult:
        if (done := nothing_to_do_in_summary_mode(ctx, "sales documents to create")) is not None:
            return done
        parameters = ctx.parameters
        filters = OrderFilters(
            financial_status=parameters.get("financial_status") or "",
            fulfillment_status=parameters.get("fulfillment_status") or "",
            order_nos=tuple(no for no in (parameters.get("order_nos") or "").split(",") if no.strip()))
        counts = create_documents(ctx.merchant, target=target_for(ctx.merchant), filters=filters,
                                  progress=ctx.progress)
        if counts.read:
            made = ", ".join(counted(n, f"sales {kind.replace('_', ' ')}") for kind, n in sorted(counts.made.items()))
            parts = [f"{made or 'no document'} made", f"{counts.failed} not processed (see the errors)",
                     f"{counts.skipped} cancelled or test orders without a document" if counts.skipped else "",
                     f"{counts.updated} already in the books" if counts.updated else ""]
            ctx.log(f"{counted(counts.read, 'order')} read: " + ", ".join(p for p in parts if p))
        else:
            ctx.log("no unprocessed order matches the request page")
        refunds = credit_refunds(ctx.merchant, target=target_for(ctx.merchant))
        if refunds.read:
            waiting = f", {refunds.waiting} waiting for a pending payment back" if refunds.waiting else ""
            ctx.log(f"{counted(refunds.read, 'refund')} of processed orders read: {refunds.created} credited"
                    f"{waiting}, {refunds.failed} not")
        writes = WriteCounts()
        if ctx.merchant.write_document_no_to_shopify:
            write_back(ctx.merchant, counts=writes)
            ctx.log(f"{counted(writes.written, 'document no.', 'document nos.')} written to Shopify")
        if ctx.merchant.archive_processed_orders:
            archive_done(ctx.merchant, target=target_for(ctx.merchant), counts=writes)
            ctx.log(f"{counted(writes.closed, 'order')} closed in Shopify (paid, fulfilled and through)")
        return RunResult(read=counts.read, created=counts.created + refunds.created, updated=counts.updated,
                         skipped=counts.skipped, failed=counts.failed + refunds.failed + len(writes.errors),
                         failures=[RecordFailure("order", gid, f"{name}: {why}") for gid, name, why in counts.errors]
                         + [RecordFailure("refund", gid, f"{name}: {why}") for gid, name, why in refunds.errors]
                         + [RecordFailure("order", gid, why) for gid, why in writes.errors])
