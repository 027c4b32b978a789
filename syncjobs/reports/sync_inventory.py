"""Report 30102 Sync Inventory: the ledger's stock → Shopify, per Shopify location that syncs stock
(syncjobs.inventory). The request page can skip the import of Shopify's stock (compare with what
Shopify last reported) and name the variants to sync."""
from __future__ import annotations

from django import forms

from connectors.ledger.target import target_for
from core.sentences import counted, joined
from syncjobs.inventory.sync import sync_inventory
from syncjobs.queue.context import SkippedRecordNote
from syncjobs.queue.outcome import RecordFailure
from syncjobs.reports.base import Report, RunContext, RunResult, register


class SyncInventoryRequestForm(forms.Form):
    skip_import = forms.BooleanField(
        required=False, label="Skip the import of Shopify's stock",
        help_text="Compare with the stock Shopify last reported (its webhooks and the last run) instead of reading "
                  "it all again first: much faster for a large shop; a sale in between is still caught when the "
                  "quantity is written.")
    variants = forms.CharField(
        required=False, max_length=5000, label="Only these variants",
        help_text="Shopify variant IDs or SKUs, separated by commas; blank: every mapped variant.")

    def clean_variants(self) -> list[str]:
        return list(dict.fromkeys(v.strip() for v in self.cleaned_data["variants"].split(",") if v.strip()))


@register
class SyncInventoryReport(Report):
    number = 30102
    name = "Sync Inventory"
    button_label = "Sync inventory"
    button_position = 40
    unit = "stock levels"
    count_words = {"read": "stock levels compared", "updated": "quantities set in Shopify",
                   "skipped": "quantities not sent (see the skipped records)", "failed": "locations not synced"}
    form_class = SyncInventoryRequestForm
    recurring_minutes = 60
    task_timeout = 6 * 60 * 60   # a first import of a large shop's stock (a bulk export) takes long

    def run(self, ctx: RunContext) -> RunResult:
        reference = f"gid://syncsite/SyncRun/{ctx.run_id}" if ctx.run_id else None
        counts = sync_inventory(ctx.merchant, target=target_for(ctx.merchant),
                                skip_import=bool(ctx.parameters.get("skip_import")),
                                variant_filter=ctx.parameters.get("variants") or None,
                                progress=ctx.progress, expect=ctx.expect, reference=reference)
        for why in counts.left_out:
            ctx.log(f"not synced: {why}")
        if not counts.locations and not counts.errors:
            ctx.log("no Shopify location syncs stock: choose a stock calculation for the shop's locations "
                    "(Shop locations)" if not counts.left_out else "no location left to sync")
            return RunResult(summary="nothing to do: no Shopify location of the shop syncs stock; choose a stock "
                                     "calculation on Shop locations")
        if counts.levels_read:
            ctx.log(f"{counted(counts.levels_read, 'stock level')} read from Shopify first")
        elif ctx.parameters.get("skip_import"):
            ctx.log("Shopify's stock was not read first (skip import): compared with what it last reported")
        if counts.locations:
            ctx.log(f"stock of {joined(counts.locations)}: {counts.updated} set in Shopify, {counts.unchanged} "
                    f"already right, {counts.skipped} not sent, in {counted(counts.calls, 'request')}")
        notes = [(counts.untracked, "variant whose stock is not tracked (in Shopify, or as an inventory item) left "
                                    "alone", "variants whose stock is not tracked (in Shopify, or as an inventory "
                                             "item) left alone"),
                 (counts.not_stocked, "variant not stocked at its location in Shopify left alone",
                  "variants not stocked at their location in Shopify left alone"),
                 (counts.sent_as_zero, "negative ledger stock sent as 0", "negative ledger stock figures sent as 0")]
        for count, one, many in notes:
            if count:
                ctx.log(counted(count, one, many))
        return RunResult(
            read=counts.read, updated=counts.updated, skipped=counts.skipped, failed=counts.failed,
            failures=[RecordFailure(what, gid, why) for what, gid, why in counts.errors],
            skipped_records=[SkippedRecordNote(record, why, gid) for record, why, gid in counts.skipped_records])
