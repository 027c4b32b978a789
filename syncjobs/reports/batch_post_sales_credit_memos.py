"""Report 298 Batch Post Sales Credit Memos (Business Central's base report): post the released credit
memos the request page chooses (those made from Shopify refunds, by default), one transaction each."""
from __future__ import annotations

from connectors.ledger.records import DocumentType
from syncjobs.reports.base import Report, register
from syncjobs.reports.batch_post_sales_orders import BatchPosting


@register
class BatchPostSalesCreditMemosReport(BatchPosting, Report):
    number = 298
    name = "Batch Post Sales Credit Memos"
    button_label = "Post sales credit memos"
    button_position = 116
    document_type = DocumentType.CREDIT_MEMO
    unit = "sales credit memos"
