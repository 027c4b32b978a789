"""One webhook delivery, from raw request to recorded outcome.

Everything is checked before anything is stored: the headers, the size, the shop, the signature
over the raw body, then the JSON. The delivery row and what its topic does share one transaction,
and the row is unique per shop and event id (and per delivery id): a duplicate delivery, even one
arriving at the same moment, finds the first and does nothing more.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from connectors.shopify.models import WebhookDelivery
from connectors.shopify.webhooks.topics import handle
from connectors.shopify.webhooks.verification import is_signed_by, signing_keys
from core.webhook_topics import shape_problem
from merchants.models import Merchant

logger = logging.getLogger(__name__)

TRIGGERED_AT_MAX_AGE = timedelta(days=7)
TRIGGERED_AT_MAX_SKEW = timedelta(hours=1)

REQUIRED_HEADERS = {
    "topic": "HTTP_X_SHOPIFY_TOPIC",
    "hmac": "HTTP_X_SHOPIFY_HMAC_SHA256",
    "shop_domain": "HTTP_X_SHOPIFY_SHOP_DOMAIN",
    "webhook_id": "HTTP_X_SHOPIFY_WEBHOOK_ID",
}
ID_LENGTH = 64
UNKNOWN_SHOP_KEY = "no-such-shop"


class WebhookRejected(Exception):
    """The delivery is refused with `status`; `reason` is logged (the answer stays terse)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


@dataclass(frozen=True)
class Receipt:
    delivery: WebhookDelivery
    duplicate: bool


def receive(*, meta: dict, read_body) -> Receipt:
    """Check and record one delivery. `meta` holds the request's headers as the WSGI environ names
    them (HTTP_X_SHOPIFY_TOPIC, CONTENT_LENGTH …); `read_body(n)` reads up to n bytes of the body.
    Raises WebhookRejected when nothing may be stored."""
    headers = _headers(meta)
    body = _body(meta, read_body)
    merchant = Merchant.objects.filter(shop_domain=headers["shop_domain"].strip().lower()).first()
    if merchant is None:
        # The same work as for a known shop, so the answer's timing does not tell which shops exist.
        is_signed_by(body, headers["hmac"], [UNKNOWN_SHOP_KEY])
        raise WebhookRejected(401, f"no shop has the domain {headers['shop_domain'][:255]!r}")
    if not is_signed_by(body, headers["hmac"], signing_keys(merchant)):
        raise WebhookRejected(401, f"the signature does not match {merchant.code}'s API secret key")
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise WebhookRejected(400, "the body is not JSON") from None
    except RecursionError:   # e.g. 100,000 nested brackets: no topic's body is anything like it
        raise WebhookRejected(400, "the body nests deeper than JSON is read here") from None
    if not isinstance(payload, dict):
        raise WebhookRejected(400, "the body is not a JSON object")
    problem = shape_problem(headers["topic"], merchant, payload)
    if problem:
        raise WebhookRejected(400, f"the body is not one of {headers['topic'][:64]}: {problem}")
    return _record(merchant, headers, payload)


def _headers(meta: dict) -> dict[str, str]:
    values = {name: (meta.get(key) or "").strip() for name, key in REQUIRED_HEADERS.items()}
    missing = [REQUIRED_HEADERS[name][5:].replace("_", "-").title() for name, value in values.items() if not value]
    if missing:
        raise WebhookRejected(400, "missing header " + ", ".join(missing))
    values["event_id"] = (meta.get("HTTP_X_SHOPIFY_EVENT_ID") or "").strip()
    values["triggered_at"] = (meta.get("HTTP_X_SHOPIFY_TRIGGERED_AT") or "").strip()
    for name in ("webhook_id", "event_id"):
        if len(values[name]) > ID_LENGTH:
            raise WebhookRejected(400, f"the {name.replace('_', ' ')} is longer than {ID_LENGTH} characters")
    return values


def _body(meta: dict, read_body) -> bytes:
    limit = settings.WEBHOOK_MAX_BODY_BYTES
    try:
        length = int(meta.get("CONTENT_LENGTH") or "")
    except ValueError:
        raise WebhookRejected(411, "the body's length is not given") from None
    if length < 0:
        raise WebhookRejected(400, f"the body's length is {length}")
    if length > limit:
        raise WebhookRejected(413, f"the body has {length} bytes, more than the {limit} accepted")
    body = read_body(length)
    if len(body) != length:
        raise WebhookRejected(400, f"the body was cut short: {len(body)} of {length} bytes")
    return body


def _record(merchant: Merchant, headers: dict[str, str], payload: dict) -> Receipt:
    topic = headers["topic"][:64]
    received_at = timezone.now()
    delivery = WebhookDelivery(
        merchant=merchant, topic=topic, event_id=headers["event_id"], webhook_id=headers["webhook_id"],
        subject=str(payload.get("admin_graphql_api_id") or "")[:128],
        triggered_at=triggered_time(headers["triggered_at"], received_at=received_at), received_at=received_at,
    )
    try:
        with transaction.atomic():
            handled = handle(merchant, topic, payload)
            delivery.outcome, delivery.detail, delivery.entry = handled.outcome, handled.detail[:255], handled.entry
            delivery.save(force_insert=True)
    except IntegrityError:
        # The same event (or delivery) again: the first one's transaction decided, and it committed,
        # so whatever this one would have done is rolled back with it.
        first = _earlier_delivery(merchant, headers)
        if first is None:
            raise
        return Receipt(first, duplicate=True)
    logger.info("webhook %s for %s: %s (%s)", topic, merchant.code, delivery.get_outcome_display(), delivery.detail)
    return Receipt(delivery, duplicate=False)


def _earlier_delivery(merchant: Merchant, headers: dict[str, str]) -> WebhookDelivery | None:
    deliveries = WebhookDelivery.objects.filter(merchant=merchant)
    if headers["event_id"]:
        found = deliveries.filter(event_id=headers["event_id"]).first()
        if found is not None:
            return found
    return deliveries.filter(webhook_id=headers["webhook_id"]).first()


def triggered_time(value: str, *, received_at: datetime) -> datetime | None:
    """When Shopify says the event happened, if that is a time a delivery can have: Shopify retries a
    delivery for two days at most, so anything older than TRIGGERED_AT_MAX_AGE before its arrival, or
    later than a little clock skew after it, is no time at all (and would break the pages that show it)."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    if not received_at - TRIGGERED_AT_MAX_AGE <= parsed <= received_at + TRIGGERED_AT_MAX_SKEW:
        return None
    return parsed
