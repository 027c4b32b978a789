"""Report 30116 Sync Catalog Prices: the ledger's prices → the fixed prices of the catalogs marked
for price sync, only what changed (syncjobs.catalogs.price_sync). The request page narrows the run to
some catalogs (two entries with different catalogs split a large set: they share the shop's job
queue category, so they run one after the other) and can read Shopify's prices again first."""
from __future__ import annotations

import re
from functools import partial

from django import forms

from core.sentences import counted
from syncjobs.catalogs.models import CatalogLink
from syncjobs.catalogs.price_sync import PriceSyncResult, PriceSyncStopped, sync_catalog_prices
from syncjobs.catalogs.selectors import priced_catalog_choices
from syncjobs.queue.outcome import RecordFailure
from syncjobs.reports.base import Report, ReportFailed, RunContext, RunResult, register

CATALOG_GID = re.compile(r"^gid://shopify/(CompanyLocationCatalog|MarketCatalog|AppCatalog|Catalog)/\d+$")


def catalog_gids_in(value) -> list[str]:
    """The catalog GIDs a request page holds: a list (the page's choices, an entry's parameters) or
    text, separated by commas, spaces or lines (typed on a job queue entry, or --param on the command
    line), without repeats."""
    if value in (None, ""):
        return []
    values = [value] if isinstance(value, str) else list(value)
    return list(dict.fromkeys(part for v in values for part in re.split(r"[\s,]+", str(v)) if part))


class CatalogChoices(forms.CheckboxSelectMultiple):
    """The shop's catalogs marked for price sync, to tick."""

    def value_from_datadict(self, data, files, name):
        return catalog_gids_in(data.getlist(name) if hasattr(data, "getlist") else data.get(name))


class CatalogGidsInput(forms.Textarea):
    """Catalog GIDs typed one a line, where the shop is not known yet to list its catalogs."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"rows": 3, "cols": 60, **(attrs or {})})

    def value_from_datadict(self, data, files, name):
        return catalog_gids_in(data.getlist(name) if hasattr(data, "getlist") else data.get(name))

    def format_value(self, value):
        return "\n".join(catalog_gids_in(value)) or None


class CatalogsField(forms.MultipleChoiceField):
    """Catalog GIDs: among the shop's catalogs marked for price sync once the form knows the shop;
    without a shop (the stored parameters checked again at run time) any catalog GID, as the run
    says plainly what it left out."""

    widget = CatalogGidsInput
    default_error_messages = {"invalid_choice": "%(value)s is not a catalog of this shop marked for price sync.",
                              "invalid_gid": "%(value)s is not a Shopify catalog ID (gid://shopify/…Catalog/…)."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.shop_known = False

    def to_python(self, value):
        return catalog_gids_in(value)

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        for gid in value:
            if not self.shop_known and not CATALOG_GID.match(gid):
                raise forms.ValidationError(self.error_messages["invalid_gid"], code="invalid_gid",
                                            params={"value": gid})
            if self.shop_known and not self.valid_value(gid):
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                            params={"value": gid})


class SyncCatalogPricesRequestForm(forms.Form):
    intro = ("Sets the prices of the shop's catalogs marked for price sync (Catalogs) from the ledger, sending only "
             "those that differ from Shopify's.")

    catalogs = CatalogsField(
        required=False, label="Only these catalogs",
        help_text="None chosen: every catalog marked for price sync. Two job queue entries with different catalogs "
                  "split a large set; they run one after the other.")
    read_shopify_prices = forms.BooleanField(
        required=False, label="Read Shopify's prices first",
        help_text="Read each catalog's fixed prices from Shopify again before comparing (a price changed in "
                  "Shopify's admin is then set back); otherwise compare with what Shopify last told or was sent.")

    def __init__(self, *args, merchant=None, **kwargs):
        super().__init__(*args, **kwargs)
        if merchant is not None:
            field = self.fields["catalogs"]
            field.shop_known = True
            field.choices = priced_catalog_choices(merchant)
            field.widget = CatalogChoices(choices=field.choices)


@register
class SyncCatalogPricesReport(Report):
    number = 30116
    name = "Sync Catalog Prices"
    button_label = "Sync catalog prices"
    button_position = 100
    unit = "prices"
    count_words = {"read": "prices compared", "updated": "prices sent to Shopify", "skipped": "variants left out"}
    form_class = SyncCatalogPricesRequestForm
    recurring_minutes = 24 * 60
    task_timeout = 6 * 60 * 60     # tens of thousands of prices; a stopped run is resumed by the next

    @classmethod
    def request_form(cls, merchant):
        return partial(SyncCatalogPricesRequestForm, merchant=merchant)

    @classmethod
    def in_sync_all(cls, merchant) -> bool:
        """Only once a catalog of the shop is marked for price sync (Catalogs)."""
        return CatalogLink.objects.filter(merchant=merchant, sync_prices=True).exists()

    def run(self, ctx: RunContext) -> RunResult:
        try:
            result = sync_catalog_prices(ctx.merchant, catalog_gids=ctx.parameters.get("catalogs") or None,
                                         read_shopify=bool(ctx.parameters.get("read_shopify_prices")),
                                         progress=ctx.progress)
        except PriceSyncStopped as exc:
            self._log(ctx, exc.result)
            stopped_in = exc.result.catalogs[-1].title if exc.result.catalogs else ""
            where = f" in {stopped_in}" if stopped_in else ""
            raise ReportFailed(f"stopped{where}: {exc}; the next run goes on from there, without sending again "
                               "what was sent", self._counts(exc.result)) from exc
        self._log(ctx, result)
        counts = self._counts(result)
        if not result.catalogs and not result.resumed:
            counts.summary = "nothing to do: no catalog of the shop is marked for price sync (Catalogs)" \
                if not result.left_out else "nothing to do: no catalog chosen can be priced (see the run's log)"
        return counts

    @staticmethod
    def _log(ctx: RunContext, result: PriceSyncResult) -> None:
        if result.restarted_from:
            ctx.log(f"an unfinished pass begun {result.restarted_from} was too old to go on with; started over")
        if result.resumed:
            ctx.log(f"resumed: {counted(result.resumed, 'catalog')} done before")
        for gid, title, why in result.left_out:
            ctx.log(f"{title} not synced: {why}")
        for catalog in result.catalogs:
            if catalog.failure:
                ctx.log(f"{catalog.title}: failed: {catalog.failure}")
                continue
            read = "; Shopify's prices read first" if catalog.read_from_shopify else ""
            ctx.log(f"{catalog.title} ({catalog.currency}, {catalog.source}): {catalog.sent} sent, "
                    f"{catalog.unchanged} unchanged, {len(catalog.refused)} failed{read}")
            if catalog.unit_priced:
                ctx.log(f"{catalog.title}: {counted(catalog.unit_priced, 'variant')} at their item's unit price, "
                        f"{catalog.source} having no price for them")
            if catalog.note:
                ctx.log(f"{catalog.title}: {catalog.note}")
            for why, (count, names) in catalog.left_out.items():
                examples = ", ".join(names) + (" …" if count > len(names) else "")
                ctx.skip(f"catalog {catalog.title}", f"{counted(count, 'variant')} left out ({examples}): {why}",
                         shopify_id=catalog.gid)

    @staticmethod
    def _counts(result: PriceSyncResult) -> RunResult:
        failures = []
        for catalog in result.catalogs:
            if catalog.failure:
                failures.append(RecordFailure("catalog", catalog.gid, f"{catalog.title}: {catalog.failure}"))
            failures += [RecordFailure("catalog price", variant, f"{catalog.title}: {message}")
                         for variant, message in catalog.refused]
        return RunResult(read=result.read, updated=result.updated, skipped=result.skipped, failed=len(failures),
                         failures=failures)
