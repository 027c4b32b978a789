"""A first import through a bulk export, shared by the order and customer imports.

The operation is kept on the import state as soon as it starts, so an import killed while waiting
or reading picks the same export up next time (or restarts if Shopify dropped it); the watermark is
the moment the export started, so whatever changed while it ran is read by the next incremental run.
"""
from __future__ import annotations

from typing import Callable

from django.db import connection
from django.utils import timezone

from connectors.shopify.bulk import start_bulk_export, wait_for_bulk_export
from connectors.shopify.client import ShopifyClient
from connectors.shopify.documents import document
from connectors.shopify.errors import BulkOperationFailed
from connectors.shopify.models import ImportState


def bulk_first_import(client: ShopifyClient, state: ImportState, export: str, read: Callable[[str], None]) -> None:
    """Run (or resume) the bulk export `export` (a document name) and `read` its result's URL."""
    states = ImportState.objects.filter(pk=state.pk)
    gid, started = state.bulk_operation_gid, state.bulk_started_at
    if not gid:
        started = timezone.now()
        gid = start_bulk_export(client, document(export))
        states.update(bulk_operation_gid=gid, bulk_operation_status="CREATED", bulk_started_at=started)
    try:
        operation = wait_for_bulk_export(
            client, gid, on_status=lambda op: states.update(bulk_operation_status=op["status"]))
    except BulkOperationFailed:
        states.update(bulk_operation_gid="", bulk_operation_status="", bulk_started_at=None)
        raise
    if operation.get("url"):
        read(operation["url"])
    states.update(watermark=started, bulk_operation_gid="", bulk_operation_status="", bulk_started_at=None)


def refresh_planner_statistics(models) -> None:
    """After a bulk import, tables that were nearly empty hold many rows; PostgreSQL's statistics
    still say otherwise until autovacuum gets to them, and what runs right after (a daily sync,
    matching customers) would be planned as on empty tables. ANALYZE takes a sample: under a second."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(f'"{model._meta.db_table}"' for model in models))
