"""Report 30107 Sync Images: item pictures to their products, or product pictures to their items, as
the shop card says, only those whose content changed (syncjobs.products.images)."""
from __future__ import annotations

from syncjobs.products.sync import sync_images
from syncjobs.queue.outcome import RecordFailure
from syncjobs.reports.base import Report, ReportError, RunContext, RunResult, register


@register
class SyncImagesReport(Report):
    number = 30107
    name = "Sync Images"
    button_label = "Sync images"
    button_position = 50
    unit = "products"
    count_words = {"created": "pictures sent", "updated": "pictures received", "skipped": "unchanged"}
    recurring_minutes = 24 * 60

    @classmethod
    def unavailable_for(cls, merchant) -> str | None:
        if not merchant.sync_item_images:
            return "the shop card's Sync item images is 'Do not sync'"
        return None

    def run(self, ctx: RunContext) -> RunResult:
        if why := self.unavailable_for(ctx.merchant):
            raise ReportError(why)
        counts = sync_images(ctx.merchant)
        ctx.log(f"{counts.read} products looked at: {counts.sent} pictures sent to Shopify, {counts.received} given "
                f"to items, {counts.unchanged} unchanged")
        return RunResult(read=counts.read, created=counts.sent, updated=counts.received, skipped=counts.unchanged,
                         failed=len(counts.failed),
                         failures=[RecordFailure("ledger item", number, why) for number, why in counts.failed])
