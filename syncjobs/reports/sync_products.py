"""Report 30108 Sync Products: Shopify's products imported and each variant linked to a ledger item
by Business Central's SKU mapping, and the shop's items sent to Shopify when the card says so
(syncjobs.products). The request page's "only prices" sends just changed prices."""
from __future__ import annotations

from django import forms

from syncjobs.products.sync import sync_products
from syncjobs.queue.outcome import RecordFailure
from syncjobs.reports.base import Report, RunContext, RunResult, register


class SyncProductsRequestForm(forms.Form):
    only_prices = forms.BooleanField(
        required=False, label="Only sync prices",
        help_text="Send only the prices of the shop's items that changed (items synced to Shopify); nothing is "
                  "imported.")


@register
class SyncProductsReport(Report):
    number = 30108
    name = "Sync Products"
    button_label = "Sync products"
    button_position = 30
    unit = "products"
    count_words = {"created": "items created", "updated": "items updated", "skipped": "variants not mapped"}
    form_class = SyncProductsRequestForm
    recurring_minutes = 60
    task_timeout = 6 * 60 * 60   # a first import of a large catalog (a bulk export) takes long

    def run(self, ctx: RunContext) -> RunResult:
        merchant, only_prices = ctx.merchant, bool(ctx.parameters.get("only_prices"))
        result = sync_products(merchant, progress=ctx.progress, expect=ctx.expect, only_prices=only_prices)
        imported, links, exported = result.imported, result.links, result.exported
        if not only_prices:
            ctx.log(f"{imported.read} products read from Shopify: {imported.created} new, {imported.updated} changed")
            ctx.log(f"{links.mapped} variants linked to an existing item, {links.created} items created, "
                    f"{links.updated} items updated from Shopify")
        if merchant.sync_item_direction == "to_shopify":
            ctx.log(f"items sent to Shopify: {exported.created} products created, {exported.updated} updated, "
                    f"{exported.prices} prices sent, {exported.removed} taken out of the shop, {exported.unchanged} "
                    f"unchanged, in {exported.calls} requests")
        elif only_prices:
            ctx.log("the shop card does not sync items to Shopify: no price was sent")
        for gid, name, why in links.unmapped:
            ctx.skip(f"variant {name}", why, shopify_id=gid)
        failures = RunResult.of(imported).failures + [
            RecordFailure("ledger item", number, why) for number, why in exported.failed]
        return RunResult(read=links.read if not only_prices else exported.prices,
                         created=links.created + exported.created, updated=links.updated + exported.updated,
                         skipped=len(links.unmapped), failed=imported.failed + len(exported.failed),
                         failures=failures)
