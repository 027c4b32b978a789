"""Report 30115 Sync Catalogs: the shop's B2B catalogs (company-location and market catalogs)
imported and linked, and, with the shop card's auto-create catalog, a catalog of its own created for
each mapped company location that has none (syncjobs.catalogs)."""
from __future__ import annotations

from core.sentences import counted, joined
from merchants.models import CustomerImport
from syncjobs.catalogs.models import CatalogLink
from syncjobs.catalogs.sync import sync_catalogs
from syncjobs.queue.outcome import RecordFailure
from syncjobs.reports.base import Report, RunContext, RunResult, register

NO_B2B = "the shop has no B2B catalogs"


@register
class SyncCatalogsReport(Report):
    number = 30115
    name = "Sync Catalogs"
    button_label = "Sync catalogs"
    button_position = 90
    unit = "catalogs"
    count_words = {"created": "new", "updated": "changed"}
    recurring_minutes = 24 * 60

    @classmethod
    def in_sync_all(cls, merchant) -> bool:
        """A shop that sells to companies: it imports them, or it has catalogs already."""
        return merchant.company_import != CustomerImport.NONE or \
            CatalogLink.objects.filter(merchant=merchant).exists()

    def run(self, ctx: RunContext) -> RunResult:
        merchant = ctx.merchant
        result = sync_catalogs(merchant, progress=ctx.progress)
        imported, links, creation = result.imported, result.links, result.creation
        failures = RunResult.of(imported).failures + [
            RecordFailure("company location", gid, why) for gid, why in creation.failed]
        counts = RunResult(read=imported.read, created=imported.created + creation.created, updated=imported.updated,
                           failed=imported.failed + len(creation.failed), failures=failures)
        if not result.total:
            ctx.log(NO_B2B)
            counts.summary = NO_B2B
            return counts
        ctx.log(f"{counted(result.total, 'catalog')}: {result.company} company, {result.market} market; "
                f"{result.priced} marked for price sync")
        if links.new:
            ctx.log(f"{counted(links.new, 'catalog')} new to syncsite: their prices are not synced until marked "
                    "for price sync (Catalogs)")
        if result.removed:
            ctx.log(f"{counted(result.removed, 'catalog')} no longer in Shopify: kept, and never priced")
        if merchant.auto_create_catalog:
            made = f": {joined(creation.titles)}" if creation.titles else ""
            ctx.log(f"auto-create catalog: {counted(creation.created, 'catalog')} created for company locations "
                    f"that had none{made}")
        return counts
