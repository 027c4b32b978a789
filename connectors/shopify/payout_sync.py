"""Importing Shopify Payments: payouts (with their summary), balance transactions and disputes
(report 30105, and report 1 before it posts a day).

Incremental: each run reads what was issued, processed or opened since the watermark less REREAD,
and every dispute held that is not final again by GID (one opened months ago is won or lost long
after the window). Everything is upserted by GID. The watermark moves to the run's start only when
all of it was read and stored; an answer that cannot be read whole is asked again (the client's
retries), never taken for "no more data".

Paged, never bulk: a bulk query must start at a connection and shopifyPaymentsAccount is an object
(Shopify's rule, and the simulator's), so balance transactions have no bulk path; a big first
import pages them at BALANCE_TRANSACTIONS_PER_PAGE under the client's pacing.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Callable, Iterator

from django.utils import timezone

from connectors.shopify.client import ShopifyClient, page_problem
from connectors.shopify.documents import document
from connectors.shopify.importers.counts import ImportCounts
from connectors.shopify.importers.payouts import import_balance_transactions, import_disputes, import_payouts
from connectors.shopify.models import DISPUTE_FINAL, ImportState, ShopifyDispute

logger = logging.getLogger(__name__)
ACCOUNT = "shopifyPaymentsAccount"
# Requested cost ~15 points a payout (its summary is 12 amounts), 6 a balance transaction, 4 a
# dispute: pages stay under the single query limit of 1,000.
PAYOUTS_PER_PAGE = 60
BALANCE_TRANSACTIONS_PER_PAGE = 150
DISPUTES_PER_PAGE = 200
DISPUTES_PER_READ = 100
# A payout's status moves for a few days after it is issued (in transit, then paid or failed), and
# its balance transactions carry that status, so each run reads the last days again.
REREAD = timedelta(days=7)
# (document, search field, connection under the account, the importer, the GID type every node has)
READS = (
    ("PayoutsIssuedSince", "issued_at", "payouts", PAYOUTS_PER_PAGE, import_payouts, "ShopifyPaymentsPayout"),
    ("BalanceTransactionsSince", "processed_at", "balanceTransactions", BALANCE_TRANSACTIONS_PER_PAGE,
     import_balance_transactions, "ShopifyPaymentsBalanceTransaction"),
    ("DisputesInitiatedSince", "initiated_at", "disputes", DISPUTES_PER_PAGE, import_disputes,
     "ShopifyPaymentsDispute"),
)


def sync_payments(*, merchant, client: ShopifyClient | None = None,
                  progress: Callable[[ImportCounts], None] | None = None) -> ImportCounts:
    """Import payouts, balance transactions and disputes changed since the last run."""
    client = client or ShopifyClient.for_merchant(merchant)
    state, _ = ImportState.objects.get_or_create(merchant=merchant, kind=ImportState.Kind.PAYOUTS)
    started_at = timezone.now()
    since = (state.watermark - REREAD).strftime("%Y-%m-%dT%H:%M:%SZ") if state.watermark else None
    counts = ImportCounts()
    read_now: set[str] = set()
    for name, field, connection, per_page, import_page, gid_type in READS:
        variables = {"first": per_page, "query": f"{field}:>='{since}'" if since else None}
        for nodes in _pages(client, document(name), variables, connection, gid_type):
            counts.add(import_page(merchant=merchant, nodes=nodes))
            if connection == "disputes":
                read_now.update(node["id"] for node in nodes)
            if progress:
                progress(counts)
    for nodes in _open_disputes(client, merchant, skip=read_now):
        counts.add(import_disputes(merchant=merchant, nodes=nodes))
        if progress:
            progress(counts)
    if counts.failed:
        # A record that could not be stored is read again next time, from the same watermark.
        logger.warning("payments import of %s: %d records failed; the watermark stays", merchant, counts.failed)
    else:
        ImportState.objects.filter(pk=state.pk).update(watermark=started_at, updated_at=timezone.now())
    return counts



def _pages(client: ShopifyClient, doc, variables: dict, connection: str, gid_type: str) -> Iterator[list[dict]]:
    """The nodes of shopifyPaymentsAccount.<connection>, a page at a time. A page is whole when the
    connection and its pageInfo are there and each node has its GID; else it is asked again.

    A shop without Shopify Payments answers shopifyPaymentsAccount: null (read twice to be sure):
    nothing to import."""
    path = (ACCOUNT, connection)
    after = None
    while True:
        result = client.execute(doc, {**variables, "after": after}, check=lambda d: _page_problem(d, path, gid_type))
        page = result.data[ACCOUNT]
        if page is None:
            again = client.execute(doc, {**variables, "after": after},
                                   check=lambda d: _page_problem(d, path, gid_type))
            if again.data[ACCOUNT] is None:
                logger.info("shop has no Shopify Payments account: no %s to import", connection)
                return
            page = again.data[ACCOUNT]
        found = page[connection]
        yield found["nodes"]
        if not found["pageInfo"]["hasNextPage"]:
            return
        after = found["pageInfo"]["endCursor"]


def _page_problem(data, path: tuple[str, ...], gid_type: str) -> str | None:
    if isinstance(data, dict) and ACCOUNT in data and data[ACCOUNT] is None:
        return None                                   # no account (an explicit null, not a lost answer)
    problem = page_problem(data, path)
    if problem:
        return problem
    return _nodes_problem(data[ACCOUNT][path[1]]["nodes"], gid_type)


def _nodes_problem(nodes: list, gid_type: str) -> str | None:
    prefix = f"gid://shopify/{gid_type}/"
    bad = sum(1 for node in nodes if not isinstance(node, dict) or not str(node.get("id") or "").startswith(prefix))
    return f"{bad} of {len(nodes)} nodes have no {gid_type} id" if bad else None


def _open_disputes(client: ShopifyClient, merchant, *, skip: set[str]) -> Iterator[list[dict]]:
    """Held disputes not final (and not just read), read again DISPUTES_PER_READ at a time.

    Shopify keeps every dispute, so a null among the nodes is a lost answer: asked again."""
    gids = sorted(set(ShopifyDispute.objects.filter(merchant=merchant).exclude(status__in=DISPUTE_FINAL)
                      .values_list("shopify_gid", flat=True)) - skip)
    for start in range(0, len(gids), DISPUTES_PER_READ):
        ids = gids[start:start + DISPUTES_PER_READ]

        def problem(data, ids=ids) -> str | None:
            nodes = data.get("nodes") if isinstance(data, dict) else None
            if not isinstance(nodes, list) or len(nodes) != len(ids):
                return f"nodes holds {len(nodes) if isinstance(nodes, list) else 'no list'} of the {len(ids)} disputes"
            if any(not isinstance(node, dict) or node.get("id") != gid for gid, node in zip(ids, nodes)):
                return "a dispute asked for is missing from nodes"
            return None

        yield client.execute(document("DisputesByIds"), {"ids": ids}, check=problem).data["nodes"]
