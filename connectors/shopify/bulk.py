"""Bulk exports: start one, poll it with backoff, stream its JSONL and rebuild each object.

Shopify writes nested connections as lines of their own that carry `__parentId` and follow their
parent; `rebuild_objects` puts them back under their parent (by `__typename`), one top-level
object at a time, so memory stays flat however large the export.
"""
from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Callable, Iterable, Iterator

import orjson
import requests
from django.utils.dateparse import parse_datetime

from connectors.shopify.client import ShopifyClient
from connectors.shopify.documents import Document, document
from connectors.shopify.errors import (
    BulkOperationFailed,
    ShopifyConnectionLost,
    ShopifyMalformedResponse,
    ShopifyUserErrors,
)

logger = logging.getLogger(__name__)
FINISHED = {"COMPLETED", "FAILED", "CANCELED", "EXPIRED"}


class BulkOperationBusy(ShopifyUserErrors):
    """Shopify runs one bulk query per shop at a time; another one is running."""


RUNNING = {"CREATED", "RUNNING"}
# How far Shopify's clock may be behind ours. An export created earlier than that before we first
# asked is someone else's or older than the watermark we are about to take (the 5-minute overlap
# of the next import covers this much, no more).
CLOCK_SKEW = timedelta(seconds=60)


def start_bulk_export(client: ShopifyClient, export: Document) -> str:
    """Start `export` as a bulk query; returns the operation's GID.

    A start whose answer was lost (a read timeout) is retried, and Shopify then says a bulk query is
    already in progress: when that one is our export (the same query, created since we first asked),
    it is adopted, running or already completed, instead of failing the import and throwing the
    export away. One running anything else stays BulkOperationBusy."""
    asked_at = datetime.now(UTC)
    result = client.execute(document("BulkOperationRunQuery"), {"query": export.text},
                            check=_answers("bulkOperationRunQuery")).data["bulkOperationRunQuery"]
    errors = result.get("userErrors") or []
    if not errors:
        return result["bulkOperation"]["id"]
    if any(e.get("code") == "OPERATION_IN_PROGRESS" for e in errors):
        current = client.execute(document("CurrentBulkOperation"),
                                 check=_answers("currentBulkOperation")).data["currentBulkOperation"] or {}
        if current.get("query") == export.text and _ours(current, asked_at):
            logger.info("bulk export %s was already started by a retried call: adopted", current["id"])
            return current["id"]
        raise BulkOperationBusy("BulkOperationRunQuery", errors)
    raise ShopifyUserErrors("BulkOperationRunQuery", errors)


def _ours(operation: dict, asked_at: datetime) -> bool:
    """Created since our start was first tried, and running or completed (it may have ended while
    the start was retried)."""
    created = parse_datetime(operation.get("createdAt") or "")
    return (operation.get("status") in RUNNING | {"COMPLETED"} and created is not None
            and created >= asked_at - CLOCK_SKEW)


def bulk_operation(client: ShopifyClient, gid: str) -> dict | None:
    """The operation, or None when Shopify no longer has it (`node` answered null, not left out)."""
    return client.execute(document("BulkOperationStatus"), {"id": gid}, check=_answers("node")).data["node"]


def _answers(field: str) -> Callable[[dict], str | None]:
    """A check that the answer holds `field` (null included): an answer without it, such as HTTP 200
    with {"data": {}}, is retried, never read as "no operation"."""
    return lambda data: None if isinstance(data, dict) and field in data else f"{field} is missing"


def wait_for_bulk_export(client: ShopifyClient, gid: str, *,
                         on_status: Callable[[dict], None] | None = None) -> dict:
    """Poll until the operation ends; the finished operation, or BulkOperationFailed."""
    delay = client.settings.bulk_poll_min
    while True:
        operation = bulk_operation(client, gid)
        if operation is None:
            raise BulkOperationFailed("EXPIRED", None)
        if on_status:
            on_status(operation)
        if operation["status"] in FINISHED:
            if operation["status"] != "COMPLETED":
                raise BulkOperationFailed(operation["status"], operation.get("errorCode"))
            return operation
        client.pause(delay)
        delay = min(client.settings.bulk_poll_max, delay * 1.5)


def stream_lines(url: str, *, session: requests.Session | None = None, timeout: float = 60) -> Iterator[dict]:
    """The JSONL result, a line at a time. The URL is signed: no access token is sent with it."""
    session = session or requests.Session()
    try:
        with session.get(url, stream=True, timeout=timeout) as response:
            if response.status_code != 200:
                raise BulkOperationFailed("EXPIRED" if response.status_code in (403, 404) else "FAILED", None)
            for raw in response.iter_lines(chunk_size=1 << 16):
                if raw:
                    try:
                        yield orjson.loads(raw)  # several times faster than json on large exports
                    except orjson.JSONDecodeError:
                        raise ShopifyMalformedResponse(200) from None
    except requests.RequestException:
        raise ShopifyConnectionLost() from None


def rebuild_objects(lines: Iterable[dict], fields: dict[str, str]) -> Iterator[dict]:
    """Top-level objects with their children back in `{"nodes": [...]}` under the field `fields`
    names for each child's __typename (e.g. {"LineItem": "lineItems"})."""
    root: dict | None = None
    by_id: dict[str, dict] = {}
    for line in lines:
        parent_id = line.pop("__parentId", None)
        if parent_id is None:
            if root is not None:
                yield root
            root = line
            by_id = {line["id"]: line} if "id" in line else {}
            continue
        parent = by_id.get(parent_id)
        typename = line.get("__typename", "")
        field = fields.get(typename)
        if parent is None or field is None:
            logger.warning("bulk line of %s with unknown parent %s skipped", typename or "?", parent_id)
            continue
        parent.setdefault(field, {"nodes": []})["nodes"].append(line)
        if "id" in line:
            by_id[line["id"]] = line
    if root is not None:
        yield root
