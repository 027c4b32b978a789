"""Report 30105 Sync Payments: Shopify Payments' payouts, balance transactions and disputes
imported (connectors.shopify.payout_sync), then each payout reconciled with the books
(syncjobs.payments): what it holds against its net, and against what the journals posted.

Posting is the daily journal's (report 1), in both posting modes: this report never posts."""
from __future__ import annotations

from connectors.shopify.payout_sync import sync_payments
from syncjobs.payments.reconciliation import reconcile_payouts
from syncjobs.reports.base import Report, RunContext, RunResult, register

STATE_WORDS = {"reconciled": "reconciled", "difference": "with a difference", "waiting": "waiting",
               "failed": "failed", "before_start": "from before the daily sync's start"}


@register
class SyncPaymentsReport(Report):
    number = 30105
    name = "Sync Payments"
    button_label = "Sync payments"
    button_position = 80
    unit = "payments records"
    count_words = {"created": "new", "updated": "changed", "skipped": "unchanged"}
    recurring_minutes = 3 * 60    # a payout a day at most; its status moves over a few days

    def run(self, ctx: RunContext) -> RunResult:
        merchant = ctx.merchant
        counts = sync_payments(merchant=merchant, progress=ctx.progress)
        ctx.log(f"imported {counts.summary('payouts, balance transactions and disputes')}")
        states = reconcile_payouts(merchant=merchant)
        if states:
            ctx.log("payouts: " + ", ".join(f"{count} {STATE_WORDS.get(state, state)}"
                                            for state, count in sorted(states.items()) if count))
        return RunResult.of(counts)
