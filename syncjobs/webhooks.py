"""The webhook topics that start syncs: a new or changed order, a finished bulk export (S3).

Registered with core.webhook_topics at start-up; the receiver in connectors.shopify calls them in
the delivery's transaction.
"""
from __future__ import annotations

from connectors.shopify.models import WebhookOutcome
from connectors.shopify.webhooks.topics import note_bulk_operation_finished
from core.webhook_topics import Handled, gid_of, register_topic
from syncjobs.documents.shopify_writes import is_our_own_write
from syncjobs.queue.models import EntryStatus, JobQueueEntry
from syncjobs.queue.on_demand import start_unless_pending
from syncjobs.reports.sync_orders import SyncOrdersReport


def order_changed(merchant, payload: dict) -> Handled:
    if not merchant.is_enabled:
        return Handled(WebhookOutcome.IGNORED, f"{merchant.code} is disabled")
    if not merchant.auto_sync_orders:
        return Handled(WebhookOutcome.IGNORED, "Auto sync orders is off on the shop card")
    if is_our_own_write(merchant, payload):
        return Handled(WebhookOutcome.IGNORED, "syncsite's own write of the document no.: nothing to import")
    return _import_orders(merchant, reason="Shopify webhook")


def bulk_operation_finished(merchant, payload: dict) -> Handled:
    """The orders import waits for its bulk export by polling; a run that died while waiting left the
    operation on the import state, and this starts the run that reads it."""
    if not note_bulk_operation_finished(merchant, payload):
        return Handled(WebhookOutcome.IGNORED, "not a bulk export syncsite is waiting for")
    running = JobQueueEntry.objects.filter(merchant=merchant, report_number=SyncOrdersReport.number,
                                           status=EntryStatus.IN_PROCESS).first()
    if running is not None:
        return Handled(WebhookOutcome.IGNORED, f"the running import (entry {running.pk}) reads it", running)
    if not merchant.is_enabled:
        return Handled(WebhookOutcome.IGNORED, f"{merchant.code} is disabled")
    handled = _import_orders(merchant, reason="bulk export finished")
    return Handled(WebhookOutcome.BULK_RESUMED, handled.detail, handled.entry)


def _import_orders(merchant, *, reason: str) -> Handled:
    started = start_unless_pending(merchant=merchant, report_number=SyncOrdersReport.number, reason=reason)
    if started.created:
        return Handled(WebhookOutcome.SCHEDULED, f"entry {started.entry.pk} started", started.entry)
    return Handled(WebhookOutcome.ALREADY_PENDING, f"entry {started.entry.pk} will read it", started.entry)


def order_shape(merchant, payload: dict) -> str | None:
    return gid_of(payload, "Order")


def bulk_operation_shape(merchant, payload: dict) -> str | None:
    return gid_of(payload, "BulkOperation") or (None if isinstance(payload.get("status"), str) else "no status")


def register() -> None:
    register_topic("orders/create", order_changed, shape=order_shape)
    register_topic("orders/updated", order_changed, shape=order_shape)
    register_topic("bulk_operations/finish", bulk_operation_finished, shape=bulk_operation_shape)
