"""Report 297 Batch Post Sales Invoices (Business Central's base report): post the released sales
invoices the request page chooses, one transaction per invoice."""
from __future__ import annotations

from connectors.ledger.records import DocumentType
from syncjobs.reports.base import Report, RunContext, RunResult, register
from syncjobs.reports.batch_post_sales_orders import BatchPostRequestForm, batch_post


@register
class BatchPostSalesInvoicesReport(Report):
    number = 297
    name = "Batch Post Sales Invoices"
    button_label = "Post sales invoices"
    button_position = 114
    unit = "sales invoices"
    count_words = {"created": "posted", "failed": "not posted"}
    form_class = BatchPostRequestForm

    @classmethod
    def in_sync_all(cls, merchant) -> bool:
        return False   # posting is for good: someone chooses to

    def run(self, ctx: RunContext) -> RunResult:
        return batch_post(ctx, DocumentType.INVOICE, "sales invoices")
