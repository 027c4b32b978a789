"""Report 30114 Sync Companies: Shopify's B2B companies imported as the shop card says, each company
location linked to a ledger customer by Business Central's company mapping, and the ledger's B2B
customers created in Shopify as companies (syncjobs.companies). With "auto-create catalog" on, the
locations mapped or exported in the run get a catalog of their own (syncjobs.catalogs), unless one
is offered them already."""
from __future__ import annotations

from connectors.ledger.target import target_for
from connectors.shopify.client import ShopifyClient
from core.sentences import counted
from merchants.models import CompanyMapping, CustomerImport
from syncjobs.catalogs.creation import create_company_catalogs
from syncjobs.companies.sync import sync_companies
from syncjobs.queue.outcome import RecordFailure
from syncjobs.reports.base import Report, RunContext, RunResult, register


@register
class SyncCompaniesReport(Report):
    number = 30114
    name = "Sync Companies"
    button_label = "Sync companies"
    button_position = 70
    unit = "company locations"
    count_words = {"created": "created (customers in the ledger, companies in Shopify)",
                   "updated": "updated in the ledger", "skipped": "not mapped"}
    recurring_minutes = 60

    @classmethod
    def in_sync_all(cls, merchant) -> bool:
        """A shop that imports companies, or has ledger customers to send to Shopify as companies."""
        return merchant.company_import != CustomerImport.NONE or \
            bool(target_for(merchant).b2b_customer_numbers(merchant))

    def run(self, ctx: RunContext) -> RunResult:
        merchant = ctx.merchant
        client = ShopifyClient.for_merchant(merchant)
        result = sync_companies(merchant, client=client, progress=ctx.progress)
        imported, links, exported = result.imported, result.links, result.exported
        if merchant.company_import == CustomerImport.NONE:
            ctx.log("company import is 'none': nothing imported; B2B orders of company locations not linked go to "
                    + (f"the default company, {merchant.default_company_no}" if merchant.default_company_no else
                       "their buyer's own customer (no default company is set on the shop card)"))
        elif not result.has_b2b:
            ctx.log(result.imported.note or "the shop has no B2B companies")
        else:
            ctx.log(f"{counted(imported.read, 'company', 'companies')} read from Shopify: {imported.created} new, "
                    f"{imported.updated} changed")
            if merchant.company_import == CustomerImport.WITH_ORDER_IMPORT:
                ctx.log("company import is 'with order import': every company is read, but only the locations "
                        "imported orders were placed for are linked")
        matched = links.mapped - links.defaulted - links.exported
        ctx.log(f"company locations: {matched} linked to the ledger customer with the same "
                f"{'tax ID' if merchant.company_mapping == CompanyMapping.BY_TAX_ID else 'email or phone'}, "
                f"{links.defaulted} to the default company, {links.exported} to the customer they were exported "
                f"from, {links.created} created in the ledger, {len(links.unmapped)} not mapped; {links.updated} "
                "ledger customers took Shopify's changes")
        if result.forgotten:
            ctx.log(f"{result.forgotten} unmapped links of locations no longer in Shopify removed")
        if exported.considered:
            ctx.log(f"ledger B2B customers sent to Shopify as companies: {exported.created} created, "
                    f"{len(exported.failed)} failed")
        catalogs = None
        new_locations = [*links.newly_mapped, *exported.locations]
        if merchant.auto_create_catalog and new_locations:
            catalogs = create_company_catalogs(merchant, client=client, location_gids=new_locations)
            ctx.log(f"auto-create catalog: {counted(catalogs.created, 'catalog')} created for the company locations "
                    f"mapped or exported in this run, {len(catalogs.failed)} failed")
        for gid, name, why in links.unmapped:
            ctx.skip(f"company location {name}", why, shopify_id=gid)
        failed_catalogs = catalogs.failed if catalogs is not None else []
        failures = [*RunResult.of(imported).failures,
                    *(RecordFailure("ledger customer", number, why) for number, why in exported.failed),
                    *(RecordFailure("catalog for company location", gid, why) for gid, why in failed_catalogs)]
        # Created: ledger customers made from Shopify's companies and Shopify companies made from the ledger's.
        return RunResult(read=links.read, created=links.created + exported.created, updated=links.updated,
                         skipped=len(links.unmapped),
                         failed=imported.failed + len(exported.failed) + len(failed_catalogs), failures=failures)
