"""The webhook topics the connector itself acts on, and the dispatch of a delivery to its topic's
handler (core.webhook_topics). Handlers that start syncs are registered by syncjobs. Nothing here
calls Shopify: the request must answer within seconds."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from django.utils import timezone

from connectors.shopify.models import ImportState, WebhookOutcome
from core.webhook_topics import HANDLERS, Handled, register_topic
from merchants.services import disable_shop


def handle(merchant, topic: str, payload: dict) -> Handled:
    handler = HANDLERS.get(topic)
    if handler is None:
        return Handled(WebhookOutcome.IGNORED, f"syncsite does not act on {topic}")
    return handler(merchant, payload)


def app_uninstalled(merchant, payload: dict) -> Handled:
    local = timezone.now().astimezone(ZoneInfo(merchant.time_zone))
    reason = (f"the app was uninstalled from {merchant.shop_domain} on {local:%Y-%m-%d %H:%M} ({merchant.time_zone}); "
              "reinstall it, enter the new access token and enable the shop")
    disable_shop(merchant, reason=reason)
    return Handled(WebhookOutcome.SYNCS_DISABLED, "shop disabled: its syncs wait until it is enabled again")


def note_bulk_operation_finished(merchant, payload: dict) -> bool:
    """Record the end of a bulk export the orders import waits for; False if it is not one of ours."""
    gid = str(payload.get("admin_graphql_api_id") or "")
    states = ImportState.objects.filter(merchant=merchant, kind=ImportState.Kind.ORDERS, bulk_operation_gid=gid)
    return bool(gid) and bool(states.update(bulk_operation_status=str(payload.get("status") or "").upper()[:20]))


def uninstalled_shape(merchant, payload: dict) -> str | None:
    """app/uninstalled carries the shop itself: its myshopify domain is the sending shop's."""
    domain = payload.get("myshopify_domain")
    if not isinstance(domain, str) or domain.lower() != merchant.shop_domain.lower():
        return "myshopify_domain is not the shop's"
    gid = payload.get("admin_graphql_api_id")
    if gid is not None and not str(gid).startswith("gid://shopify/Shop/"):
        return "admin_graphql_api_id names something other than the shop"
    return None


def register() -> None:
    register_topic("app/uninstalled", app_uninstalled, shape=uninstalled_shape)
