"""Report 297 Batch Post Sales Invoices (Business Central's base report): post the released sales
invoices the request page chooses, one transaction per invoice."""
from __future__ import annotations

from connectors.ledger.records import DocumentType
from syncjobs.reports.base import Report, register
from syncjobs.reports.batch_post_sales_orders import BatchPosting


@register
class BatchPostSalesInvoicesReport(BatchPosting, Report):
    number = 297
    name = "Batch Post Sales Invoices"
    button_label = "Post sales invoices"
    button_position = 114
    document_type = DocumentType.INVOICE
    unit = "sales invoices"
