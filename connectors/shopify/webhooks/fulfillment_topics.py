"""fulfillments/create and fulfillments/update: a fulfillment made or changed in Shopify (by syncsite,
the merchant, or a fulfillment service) is passed on as the `fulfillment_changed` signal, for the
part of syncsite that keeps shipments in step with Shopify. Nothing here calls Shopify.

The body is Shopify's REST fulfillment: `admin_graphql_api_id` (the fulfillment's GID), `order_id`,
`status` (success, cancelled, error, failure, open, pending) and `updated_at`. The signal is sent in
the delivery's transaction: a repeated event's is rolled back (receiving.py), and what receivers did
with it goes too. Deliveries come in any order: receivers compare `updated_at`.
"""
from __future__ import annotations

import logging
from datetime import datetime

from connectors.shopify.models import WebhookOutcome
from connectors.shopify.signals import fulfillment_changed
from core.webhook_topics import Handled, gid_of, register_topic

logger = logging.getLogger(__name__)
TOPICS = ("fulfillments/create", "fulfillments/update")


def fulfillment_changed_in_shopify(merchant, payload: dict) -> Handled:
    fulfillment_gid = payload["admin_graphql_api_id"]
    order_gid = f"gid://shopify/Order/{payload['order_id']}"
    status = payload["status"].upper()
    answers = fulfillment_changed.send(sender=None, merchant=merchant, order_gid=order_gid,
                                       fulfillment_gid=fulfillment_gid, status=status,
                                       updated_at=_moment(payload.get("updated_at")))
    handled = next((answer for _, answer in answers if isinstance(answer, Handled)), None)
    if handled is not None:
        return handled
    what = f"fulfillment {fulfillment_gid.rsplit('/', 1)[1]} of order {payload['order_id']} is {status.lower()}"
    if not answers:
        return Handled(WebhookOutcome.IGNORED, f"{what}; no part of syncsite follows fulfillments")
    return Handled(WebhookOutcome.IGNORED, f"{what}; passed on to what follows fulfillments")


def fulfillment_shape(merchant, payload: dict) -> str | None:
    """A fulfillment's body names the fulfillment, its order and its status."""
    problem = gid_of(payload, "Fulfillment")
    if problem:
        return problem
    order_id = payload.get("order_id")
    if not isinstance(order_id, int) or isinstance(order_id, bool) or order_id <= 0:
        return "order_id is not an order's number"
    if not isinstance(payload.get("status"), str) or not payload["status"]:
        return "status is missing"
    updated_at = payload.get("updated_at")
    if updated_at is not None and _moment(updated_at) is None:
        return "updated_at is not a time"
    return None


def _moment(value) -> datetime | None:
    """An ISO 8601 time with its offset, or None."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def register() -> None:
    for topic in TOPICS:
        register_topic(topic, fulfillment_changed_in_shopify, shape=fulfillment_shape)
