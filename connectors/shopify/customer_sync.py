"""Report 30100's import: customers changed since the watermark, read page by page and upserted.

As the order import (order_sync.py): a first import of a large store goes through a bulk export,
kept on the import state so a killed import resumes it; the watermark is taken before reading and
moved only once everything was read, and a small overlap re-reads the last minutes (those customers
are counted as skipped). Mapping the customers to the accounting target's is the sync domain's
business, not this module's.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Callable

from django.utils import timezone

from connectors.shopify.bulk import stream_lines
from connectors.shopify.client import ShopifyClient
from connectors.shopify.documents import document
from connectors.shopify.first_import import bulk_first_import, refresh_planner_statistics
from connectors.shopify.importers.counts import ImportCounts
from connectors.shopify.importers.customers import import_customers
from connectors.shopify.models import ImportState, ShopifyCustomer

logger = logging.getLogger(__name__)
WATERMARK_OVERLAP = timedelta(minutes=5)
# CustomersUpdatedSince costs 2 + 3 points a customer (the customer, its default address, its email
# consent): Shopify's largest page, 250, asks 752 points, under the 1,000 a query may cost and a
# basic shop's bucket holds.
CUSTOMERS_PER_PAGE = 250
BULK_THRESHOLD = 2_500       # a first import of more customers than this uses a bulk export
BULK_BATCH = 2_000

Progress = Callable[[ImportCounts], None]


def sync_customers(*, merchant, client: ShopifyClient | None = None, progress: Progress | None = None,
                   expect: Callable[[int], None] | None = None, bulk_threshold: int = BULK_THRESHOLD,
                   only_known: bool = False) -> ImportCounts:
    """Import the customers changed since the last run (all of them the first time, by a bulk export
    when there are many). `expect` hears how many a first import will read, once Shopify said.

    `only_known` (customer import "with order import"): only customers already imported, with their
    orders, are brought up to date; the first run just sets the watermark, as they are fresh."""
    client = client or ShopifyClient.for_merchant(merchant)
    state, _ = ImportState.objects.get_or_create(merchant=merchant, kind=ImportState.Kind.CUSTOMERS)
    counts = ImportCounts()
    if only_known:
        return _refresh_known(merchant, client, state, counts, progress)
    country = shop_country(client)
    first_import_size = None
    if not state.bulk_operation_gid and state.watermark is None:
        first_import_size = _customer_count(client)
        if expect:
            expect(first_import_size)
    if state.bulk_operation_gid or (first_import_size is not None and first_import_size > bulk_threshold):
        _bulk_import(merchant, client, state, country, counts, progress)
        state.refresh_from_db()
    started_at = timezone.now()
    query = None
    if state.watermark:
        since = (state.watermark - WATERMARK_OVERLAP).strftime("%Y-%m-%dT%H:%M:%SZ")
        query = f"updated_at:>='{since}'"
    variables = {"first": CUSTOMERS_PER_PAGE, "query": query}
    for page in client.pages(document("CustomersUpdatedSince"), variables, ("customers",)):
        counts.add(import_customers(merchant=merchant, payloads=page, shop_country=country))
        if progress:
            progress(counts)
    ImportState.objects.filter(pk=state.pk).update(watermark=started_at, updated_at=timezone.now())
    return counts


def _refresh_known(merchant, client: ShopifyClient, state: ImportState, counts: ImportCounts,
                   progress: Progress | None) -> ImportCounts:
    started_at = timezone.now()
    if state.watermark is not None:
        country = shop_country(client)
        since = (state.watermark - WATERMARK_OVERLAP).strftime("%Y-%m-%dT%H:%M:%SZ")
        variables = {"first": CUSTOMERS_PER_PAGE, "query": f"updated_at:>='{since}'"}
        for page in client.pages(document("CustomersUpdatedSince"), variables, ("customers",)):
            known = set(ShopifyCustomer.objects.filter(merchant=merchant, shopify_gid__in=[c.get("id") for c in page])
                        .values_list("shopify_gid", flat=True))
            counts.skipped += len(page) - len(known)
            counts.add(import_customers(merchant=merchant, payloads=[c for c in page if c.get("id") in known],
                                        shop_country=country))
            if progress:
                progress(counts)
    ImportState.objects.filter(pk=state.pk).update(watermark=started_at, updated_at=timezone.now())
    return counts


def shop_country(client: ShopifyClient) -> str:
    """The shop's country (ISO code), in which phone numbers written without + are read."""
    data = client.execute(document("ShopCountry"), check=_country_problem).data
    return data["shop"]["billingAddress"]["countryCodeV2"]


def _country_problem(data: dict) -> str | None:
    address = ((data.get("shop") if isinstance(data, dict) else None) or {}).get("billingAddress")
    return None if isinstance(address, dict) and address.get("countryCodeV2") else "shop.billingAddress is missing"


def _customer_count(client: ShopifyClient) -> int:
    def problem(data: dict) -> str | None:
        count = (data.get("customersCount") if isinstance(data, dict) else None) or {}
        return None if isinstance(count.get("count"), int) else "customersCount is missing"

    return client.execute(document("CustomersCount"), {"query": None}, check=problem).data["customersCount"]["count"]


def _bulk_import(merchant, client: ShopifyClient, state: ImportState, country: str, counts: ImportCounts,
                 progress: Progress | None) -> None:
    def read(url: str) -> None:
        import_bulk_result(merchant, url, country, counts, progress)
        # Matching by email or phone right after would be planned as on an empty table.
        refresh_planner_statistics([ShopifyCustomer])

    bulk_first_import(client, state, "CustomersBulkExport", read)


def import_bulk_result(merchant, url: str, country: str, counts: ImportCounts,
                       progress: Progress | None = None) -> None:
    """The customers of a finished export, BULK_BATCH at a time, each batch in a transaction of its own."""
    batch: list[dict] = []
    for line in stream_lines(url):
        if "__parentId" in line:   # the export has no nested connection: nothing of ours
            logger.warning("bulk line of %s with parent %s skipped", line.get("__typename") or "?", line["__parentId"])
            continue
        batch.append(line)
        if len(batch) == BULK_BATCH:
            counts.add(import_customers(merchant=merchant, payloads=batch, shop_country=country))
            batch = []
            if progress:
                progress(counts)
    if batch:
        counts.add(import_customers(merchant=merchant, payloads=batch, shop_country=country))
        if progress:
            progress(counts)
