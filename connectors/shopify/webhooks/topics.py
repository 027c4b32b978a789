"""What each webhook topic does. Nothing here calls Shopify: the request must answer within seconds,
so work that needs Shopify is scheduled on the job queue instead."""
from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from connectors.shopify.models import ImportState, WebhookOutcome
from merchants.services import disable_shop
from syncjobs.models import EntryStatus, JobQueueEntry
from syncjobs.on_demand import start_unless_pending
from syncjobs.reports.sync_orders import SyncOrdersReport


@dataclass(frozen=True)
class Handled:
    outcome: str
    detail: str = ""
    entry: JobQueueEntry | None = None


def handle(merchant, topic: str, payload: dict) -> Handled:
    handler = HANDLERS.get(topic)
    if handler is None:
        return Handled(WebhookOutcome.IGNORED, f"syncsite does not act on {topic}")
    return handler(merchant, payload)


def _order_changed(merchant, payload: dict) -> Handled:
    if not merchant.is_enabled:
        return Handled(WebhookOutcome.IGNORED, f"{merchant.code} is disabled")
    if not merchant.auto_sync_orders:
        return Handled(WebhookOutcome.IGNORED, "Auto sync orders is off on the shop card")
    return _import_orders(merchant, reason="Shopify webhook")


def _import_orders(merchant, *, reason: str) -> Handled:
    started = start_unless_pending(merchant=merchant, report_number=SyncOrdersReport.number, reason=reason)
    if started.created:
        return Handled(WebhookOutcome.SCHEDULED, f"entry {started.entry.pk} started", started.entry)
    return Handled(WebhookOutcome.ALREADY_PENDING, f"entry {started.entry.pk} will read it", started.entry)


def _app_uninstalled(merchant, payload: dict) -> Handled:
    local = timezone.now().astimezone(ZoneInfo(merchant.time_zone))
    reason = (f"the app was uninstalled from {merchant.shop_domain} on {local:%Y-%m-%d %H:%M} ({merchant.time_zone}); "
              "reinstall it, enter the new access token and enable the shop")
    disable_shop(merchant, reason=reason)
    return Handled(WebhookOutcome.SYNCS_DISABLED, "shop disabled: its syncs wait until it is enabled again")


def _bulk_operation_finished(merchant, payload: dict) -> Handled:
    """The orders import waits for its bulk export by polling; a run that died while waiting left the
    operation on the import state, and this starts the run that reads it."""
    gid = str(payload.get("admin_graphql_api_id") or "")
    states = ImportState.objects.filter(merchant=merchant, kind=ImportState.Kind.ORDERS, bulk_operation_gid=gid)
    if not gid or not states.update(bulk_operation_status=str(payload.get("status") or "").upper()[:20]):
        return Handled(WebhookOutcome.IGNORED, "not a bulk export syncsite is waiting for")
    running = JobQueueEntry.objects.filter(merchant=merchant, report_number=SyncOrdersReport.number,
                                           status=EntryStatus.IN_PROCESS).first()
    if running is not None:
        return Handled(WebhookOutcome.IGNORED, f"the running import (entry {running.pk}) reads it", running)
    if not merchant.is_enabled:
        return Handled(WebhookOutcome.IGNORED, f"{merchant.code} is disabled")
    handled = _import_orders(merchant, reason="bulk export finished")
    return Handled(WebhookOutcome.BULK_RESUMED, handled.detail, handled.entry)


HANDLERS = {
    "orders/create": _order_changed,
    "orders/updated": _order_changed,
    "app/uninstalled": _app_uninstalled,
    "bulk_operations/finish": _bulk_operation_finished,
}
