"""Report 30109 Sync Shipments to Shopify: each posted shipment of a Shopify order not sent yet
becomes its fulfillments in Shopify, with its tracking (syncjobs.shipments); one that cannot is a
shipment error saying why. The request page can name the shipments."""
from __future__ import annotations

from django import forms

from connectors.ledger.target import target_for
from core.sentences import counted
from merchants.models import PostingMode
from syncjobs.queue.context import SkippedRecordNote
from syncjobs.queue.outcome import RecordFailure
from syncjobs.reports.base import Report, RunContext, RunResult, register
from syncjobs.reports.create_sales_documents import nothing_to_do_in_summary_mode
from syncjobs.shipments.sending import send_shipments


class SyncShipmentsRequestForm(forms.Form):
    shipment_nos = forms.CharField(
        required=False, max_length=2000, label="Shipment nos.",
        help_text="Only these posted shipments, separated by commas; blank: every shipment not sent yet.")

    def clean_shipment_nos(self) -> list[str]:
        return list(dict.fromkeys(n.strip() for n in self.cleaned_data["shipment_nos"].split(",") if n.strip()))


@register
class SyncShipmentsReport(Report):
    number = 30109
    name = "Sync Shipments to Shopify"
    button_label = "Sync shipments"
    button_position = 20
    unit = "shipments"
    count_words = {"created": "fulfilled in Shopify", "skipped": "with nothing to send",
                   "failed": "shipment errors"}
    form_class = SyncShipmentsRequestForm
    recurring_minutes = 30

    @classmethod
    def in_sync_all(cls, merchant) -> bool:
        return merchant.posting_mode == PostingMode.DOCUMENTS

    def run(self, ctx: RunContext) -> RunResult:
        if (done := nothing_to_do_in_summary_mode(ctx, "posted shipments to send")) is not None:
            return done
        counts = send_shipments(ctx.merchant, target=target_for(ctx.merchant),
                                shipment_nos=ctx.parameters.get("shipment_nos") or None,
                                progress=ctx.progress, expect=ctx.expect)
        if counts.recorded:
            ctx.log(f"{counted(counts.recorded, 'posted shipment')} of Shopify orders found in the books")
        if counts.read:
            ctx.log(f"{counted(counts.read, 'shipment')} read: {counts.created} fulfilled in Shopify with "
                    f"{counted(counts.fulfillments, 'fulfillment')}, {counts.skipped} with nothing to send, "
                    f"{counts.failed} not (see the errors)")
        elif not counts.tracking_sent:
            ctx.log("no posted shipment of a Shopify order waits to be sent")
        if counts.tracking_sent:
            ctx.log(f"the changed tracking of {counted(counts.tracking_sent, 'shipment')} sent to its fulfillments")
        return RunResult(
            read=counts.read, created=counts.created, skipped=counts.skipped, failed=counts.failed,
            failures=[RecordFailure(f"shipment {number}", gid, why) for number, gid, why in counts.errors],
            skipped_records=[SkippedRecordNote(record, why, gid) for record, why, gid in counts.skipped_records])
