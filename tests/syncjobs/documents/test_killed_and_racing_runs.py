"""Report 30103 on PostgreSQL when things go wrong: a worker killed in the middle of a batch leaves
no half document, and the next run makes each document once; runs racing over the same orders make
each document once."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from connectors.ledger.models import SalesDocument, SalesLine
from connectors.ledger.target import target_for
from connectors.shopify.models import ShopifyOrder, ShopifyOrderLine
from syncjobs.documents.models import OrderDocument
from syncjobs.documents.processing import create_documents
from tests.factories.order_payloads import imported, line, local, order
from tests.fixtures.concurrency import race
from tests.fixtures.workers import database_url

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[3]
ORDERS = 30


@pytest.fixture
def thirty_orders(merchant):
    imported(merchant, *(order(local("Europe/Paris", 2025, 3, 11, 10), total="60.00", name=f"#{3000 + n}",
                               lines=[line("60.00", 1, [("VAT", "0.2", "10.00")], gid=f"gid://shopify/LineItem/9{n}")])
                         for n in range(ORDERS)))
    # The payloads' lines carry no SKU: they sell shirts.
    ShopifyOrderLine.objects.filter(merchant=merchant).update(sku="SHIRT")
    return merchant


def whole(merchant) -> tuple[int, int, int, int]:
    """(documents, documents with a line, order rows, processed orders): all equal when nothing is half."""
    documents = SalesDocument.objects.filter(merchant=merchant)
    return (documents.count(), SalesLine.objects.filter(document__in=documents).values("document").distinct().count(),
            OrderDocument.objects.filter(merchant=merchant).count(),
            ShopifyOrder.objects.filter(merchant=merchant, processed=True).count())


def test_a_worker_killed_mid_batch_leaves_whole_batches_and_the_next_run_makes_each_document_once(thirty_orders):
    merchant = thirty_orders
    child = subprocess.Popen([sys.executable, "-m", "tests.syncjobs.documents.slow_books", str(merchant.pk)], cwd=ROOT,
                             env={**os.environ, "DATABASE_URL": database_url(), "LOG_LEVEL": "WARNING"},
                             start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while SalesDocument.objects.filter(merchant=merchant).count() < 10 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)   # into the next batch's wait, its documents written but not committed
    finally:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait(timeout=10)

    documents, with_lines, rows, processed = whole(merchant)
    assert 10 <= documents < ORDERS and documents % 5 == 0
    assert documents == with_lines == rows == processed

    counts = create_documents(merchant, target=target_for(merchant))

    assert counts.created == ORDERS - documents and counts.failed == 0
    assert whole(merchant) == (ORDERS, ORDERS, ORDERS, ORDERS)
    assert set(SalesDocument.objects.values_list("shopify_order_id", flat=True)) == set(
        ShopifyOrder.objects.values_list("shopify_gid", flat=True))


def test_runs_racing_over_the_same_orders_make_each_document_once(thirty_orders):
    merchant = thirty_orders

    results = race(lambda _: create_documents(merchant, target=target_for(merchant)), range(3))

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r.created for r in results) == ORDERS
    assert whole(merchant) == (ORDERS, ORDERS, ORDERS, ORDERS)
