"""Report 298 Batch Post Sales Credit Memos (Business Central's base report): post the released credit
memos the request page chooses (those made from Shopify refunds, by default), one transaction each."""
from __future__ import annotations

from connectors.ledger.records import DocumentType
from syncjobs.reports.base import Report, RunContext, RunResult, register
from syncjobs.reports.batch_post_sales_orders import BatchPostRequestForm, batch_post


@register
class BatchPostSalesCreditMemosReport(Report):
    number = 298
    name = "Batch Post Sales Credit Memos"
    button_label = "Post sales credit memos"
    button_position = 116
    unit = "sales credit memos"
    count_words = {"created": "posted", "failed": "not posted"}
    form_class = BatchPostRequestForm

    @classmethod
    def in_sync_all(cls, merchant) -> bool:
        return False   # posting is for good: someone chooses to

    def run(self, ctx: RunContext) -> RunResult:
        return batch_post(ctx, DocumentType.CREDIT_MEMO, "sales credit memos")
