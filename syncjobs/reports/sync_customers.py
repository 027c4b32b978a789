"""Report 30100 Sync Customers: Shopify's customers imported as the shop card says, and each linked
to a ledger customer by Business Central's mapping rules (syncjobs.customers)."""
from __future__ import annotations

from merchants.models import CustomerImport
from syncjobs.customers.sync import sync_customers
from syncjobs.queue.outcome import RecordFailure
from syncjobs.reports.base import Report, RunContext, RunResult, register


@register
class SyncCustomersReport(Report):
    number = 30100
    name = "Sync Customers"
    button_label = "Sync customers"
    button_position = 60
    unit = "customers"
    count_words = {"created": "created in the ledger", "updated": "updated in the ledger",
                   "skipped": "not mapped"}
    recurring_minutes = 60

    def run(self, ctx: RunContext) -> RunResult:
        merchant = ctx.merchant
        result = sync_customers(merchant, progress=ctx.progress, expect=ctx.expect)
        imported, links = result.imported, result.links
        if merchant.customer_import == CustomerImport.ALL_CUSTOMERS:
            ctx.log(f"{imported.read} customers read from Shopify: {imported.created} new, {imported.updated} "
                    "changed")
        elif merchant.customer_import == CustomerImport.WITH_ORDER_IMPORT:
            ctx.log(f"customer import is 'with order import': {imported.updated} customers of imported orders "
                    "brought up to date; others come with their orders")
        else:
            ctx.log("customer import is 'none': every customer goes to a default customer")
        ctx.log(f"{links.mapped - links.defaulted} linked to the ledger customer with the same email, phone or "
                f"bill-to, {links.defaulted} to a default customer, {links.created} created in the ledger")
        exported = result.exported
        if merchant.export_customers_to_shopify:
            ctx.log(f"ledger customers sent to Shopify: {exported.created} created, {exported.updated} updated, "
                    f"{exported.unchanged} unchanged")
        for gid, name, why in links.unmapped:
            ctx.skip(f"customer {name}", why, shopify_id=gid)
        failures = RunResult.of(imported).failures + [
            RecordFailure("ledger customer", number, why) for number, why in exported.failed]
        return RunResult(read=links.read, created=links.created, updated=links.updated, skipped=len(links.unmapped),
                         failed=imported.failed + len(exported.failed), failures=failures)
