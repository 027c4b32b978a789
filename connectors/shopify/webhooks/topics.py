"""The webhook topics the connector itself acts on, and the dispatch of a delivery to its topic's
handler (core.webhook_topics). Handlers that start syncs are registered by syncjobs. Nothing here
calls Shopify: the request must answer within seconds."""
from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from connectors.shopify.connection_check import check_connection
from connectors.shopify.errors import ShopifyAuthError, ShopifyError
from connectors.shopify.models import ImportState, WebhookOutcome
from core.local_time import in_zone
from core.webhook_topics import HANDLERS, Handled, register_topic
from merchants.models import Merchant
from merchants.services import disable_shop

logger = logging.getLogger(__name__)
INSTALLATION_CHECK = "connectors.shopify.webhooks.topics.check_installation"


def handle(merchant, topic: str, payload: dict) -> Handled:
    handler = HANDLERS.get(topic)
    if handler is None:
        return Handled(WebhookOutcome.IGNORED, f"syncsite does not act on {topic}")
    return handler(merchant, payload)


def app_uninstalled(merchant, payload: dict) -> Handled:
    """The topic header is not signed, so this may be a replay: Shopify is asked once the request
    has answered (nothing calls Shopify in it), and only a rejected token disables the shop."""
    transaction.on_commit(lambda: async_task(INSTALLATION_CHECK, merchant.pk, task_name=f"installation of {merchant}"))
    return Handled(WebhookOutcome.INSTALLATION_CHECK, "Shopify is asked whether the app is still installed")


def check_installation(merchant_id: int) -> str:
    """The task app/uninstalled queues: a token Shopify rejects (401) means the app is gone, and the
    shop is disabled with the reason; any other answer leaves it as it is."""
    merchant = Merchant.objects.get(pk=merchant_id)
    try:
        check_connection(merchant=merchant)
    except ShopifyAuthError:   # a 401: the token is no longer accepted
        when = in_zone(timezone.now(), merchant.time_zone)
        reason = (f"the app was uninstalled from {merchant.shop_domain} on {when}; reinstall it, enter the new "
                  "access token and enable the shop")
        disable_shop(merchant, reason=reason)
        return f"{merchant.code} disabled: {reason}"
    except ShopifyError as exc:   # Shopify could not say: the next sync meets the same answer, and says it
        logger.warning("installation check of %s could not reach Shopify: %s", merchant.code, exc)
        return f"{merchant.code}: Shopify could not be asked ({exc}); the shop stays enabled"
    return f"{merchant.code}: the app is still installed"


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
