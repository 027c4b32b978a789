"""Report 30108 Sync Products: Shopify's products imported and each variant linked to a ledger item
by Business Central's SKU mapping, and the shop's items sent to Shopify when the card says so
(syncjobs.products). The request page's "only prices" sends just changed prices."""
from __future__ import annotations

from functools import partial

from django import forms

from core.sentences import counted
from syncjobs.products.sync import sync_products
from syncjobs.queue.outcome import RecordFailure
from syncjobs.reports.base import Report, ReportError, RunContext, RunResult, register


class SyncProductsRequestForm(forms.Form):
    only_prices = forms.BooleanField(
        required=False, label="Only sync prices",
        help_text="Send only the ledger's prices that changed to Shopify, nothing else, and import nothing (for a "
                  "shop whose card syncs items to Shopify).")

    def __init__(self, *args, merchant=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.merchant = merchant

    def clean_only_prices(self):
        only_prices = self.cleaned_data["only_prices"]
        if only_prices and self.merchant is not None and self.merchant.sync_item_direction != "to_shopify":
            raise forms.ValidationError(PRICES_NEED_EXPORT)
        return only_prices


PRICES_NEED_EXPORT = ("prices go to Shopify only when the shop card's Sync items is 'To Shopify'; this shop's "
                      "items are not synced to Shopify")


@register
class SyncProductsReport(Report):
    number = 30108
    name = "Sync Products"
    button_label = "Sync products"
    button_position = 30
    unit = "products"
    count_words = {"skipped": "variants not mapped"}
    form_class = SyncProductsRequestForm
    recurring_minutes = 60
    task_timeout = 6 * 60 * 60   # a first import of a large catalog (a bulk export) takes long

    @classmethod
    def request_form(cls, merchant):
        return partial(SyncProductsRequestForm, merchant=merchant)

    def run(self, ctx: RunContext) -> RunResult:
        merchant, only_prices = ctx.merchant, bool(ctx.parameters.get("only_prices"))
        if only_prices and merchant.sync_item_direction != "to_shopify":
            raise ReportError(PRICES_NEED_EXPORT)
        result = sync_products(merchant, progress=ctx.progress, expect=ctx.expect, only_prices=only_prices)
        imported, links, exported = result.imported, result.links, result.exported
        if only_prices:
            ctx.log(f"only prices: {counted(exported.prices, 'price')} sent to Shopify in "
                    f"{counted(exported.calls, 'request')}, {counted(exported.unchanged, 'variant')} unchanged; "
                    "nothing was imported")
            return RunResult(read=exported.prices + exported.unchanged, updated=exported.prices,
                             failed=len(exported.failed), failures=self._failures(imported, exported))
        ctx.log(f"{counted(imported.read, 'product')} read from Shopify: {imported.created} new, "
                f"{imported.updated} changed")
        ctx.log(f"{counted(links.mapped, 'variant')} linked to an existing item, {counted(links.created, 'item')} "
                f"created and {counted(links.updated, 'item')} updated from Shopify products")
        if merchant.sync_item_direction == "to_shopify":
            ctx.log(f"items sent to Shopify: {counted(exported.created, 'product')} created, {exported.updated} "
                    f"updated, {exported.removed} taken out of the shop, {exported.unchanged} unchanged, in "
                    f"{counted(exported.calls, 'request')}")
        for gid, name, why in links.unmapped:
            ctx.skip(f"variant {name}", why, shopify_id=gid)
        # Counts of what changed in the books and in Shopify alike: items created in the ledger and
        # products created in Shopify are both "created".
        return RunResult(read=imported.read, created=links.created + exported.created,
                         updated=links.updated + exported.updated, skipped=len(links.unmapped),
                         failed=imported.failed + len(exported.failed), failures=self._failures(imported, exported))

    @staticmethod
    def _failures(imported, exported) -> list[RecordFailure]:
        return RunResult.of(imported).failures + [
            RecordFailure("ledger item", number, why) for number, why in exported.failed]
