"""Importing Shopify Payments payouts and balance transactions (part of report 1, and 30105)."""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from connectors.shopify.client import ShopifyClient
from connectors.shopify.documents import document
from connectors.shopify.importers.counts import ImportCounts
from connectors.shopify.importers.payouts import import_balance_transactions, import_payouts
from connectors.shopify.models import ImportState

PAGE = 100
# A payout's status moves for a few days after it is issued (in transit, then paid), so each run
# reads the last days again and updates what changed.
REREAD = timedelta(days=7)


def sync_payouts(*, merchant, client: ShopifyClient | None = None, progress=None) -> ImportCounts:
    client = client or ShopifyClient.for_merchant(merchant)
    state, _ = ImportState.objects.get_or_create(merchant=merchant, kind=ImportState.Kind.PAYOUTS)
    started_at = timezone.now()
    since = ""
    if state.watermark:
        since = (state.watermark - REREAD).strftime("%Y-%m-%dT%H:%M:%SZ")
    counts = ImportCounts()
    pages = (
        (document("PayoutsIssuedSince"), f"issued_at:>='{since}'", ("shopifyPaymentsAccount", "payouts"),
         import_payouts),
        (document("BalanceTransactionsSince"), f"processed_at:>='{since}'",
         ("shopifyPaymentsAccount", "balanceTransactions"), import_balance_transactions),
    )
    for doc, query, path, import_page in pages:
        for nodes in client.pages(doc, {"first": PAGE, "query": query if since else None}, path):
            counts.add(import_page(merchant=merchant, nodes=nodes))
            if progress:
                progress(counts)
    ImportState.objects.filter(pk=state.pk).update(watermark=started_at, updated_at=timezone.now())
    return counts
