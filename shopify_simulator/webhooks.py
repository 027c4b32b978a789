"""Webhook deliveries, signed like Shopify's, sent from a background thread.

Each event gets an X-Shopify-Event-Id that repeats on a duplicate delivery; each delivery its own
X-Shopify-Webhook-Id. A shop may ask for duplicates and for shuffled (out-of-order) delivery.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import queue
import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING

import requests

from shopify_simulator.resources.webhook_subscriptions import topic_header
from shopify_simulator.schema import SCHEMA_VERSION

if TYPE_CHECKING:
    from shopify_simulator.shop import SimulatedShop

logger = logging.getLogger(__name__)
DELIVERY_TIMEOUT = (1.0, 5.0)  # Shopify: 1 s to connect, 5 s in all


def sign(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


@dataclass
class Delivery:
    shop: str
    topic: str
    url: str
    event_id: str
    webhook_id: str
    body: bytes
    headers: dict
    not_before: float = 0.0
    status: int | None = None
    error: str = ""
    delivered_at: str = ""

    def summary(self) -> dict:
        return {"shop": self.shop, "topic": self.topic, "url": self.url, "event_id": self.event_id,
                "webhook_id": self.webhook_id, "status": self.status, "error": self.error,
                "delivered_at": self.delivered_at}


@dataclass
class WebhookSender:
    seed: int = 0
    deliveries: list[Delivery] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._queue: queue.Queue[Delivery | None] = queue.Queue()
        self._random = random.Random(self.seed)
        self._session = requests.Session()
        self._thread = threading.Thread(target=self._work, daemon=True, name="webhook-sender")
        self._thread.start()

    def send(self, shop: "SimulatedShop", topic: str, payload: dict, now: datetime) -> int:
        """Queue one delivery per subscription to `topic`; returns how many were queued."""
        body = json.dumps(payload, separators=(",", ":")).encode()
        event_id = str(uuid.uuid4())
        queued = 0
        for subscription in list(shop.webhooks.values()):
            if subscription.topic != topic:
                continue
            copies = 2 if self._random.random() < shop.settings.webhook_duplicates else 1
            for _ in range(copies):
                delay = self._random.uniform(0, 1.5) if shop.settings.webhook_shuffle else 0.0
                webhook_id = str(uuid.uuid4())
                headers = {
                    "Content-Type": "application/json",
                    "X-Shopify-Topic": topic_header(topic),
                    "X-Shopify-Hmac-Sha256": sign(body, shop.api_secret_key),
                    "X-Shopify-Shop-Domain": shop.domain,
                    "X-Shopify-API-Version": SCHEMA_VERSION,
                    "X-Shopify-Webhook-Id": webhook_id,
                    "X-Shopify-Event-Id": event_id,
                    "X-Shopify-Triggered-At": now.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                }
                self._queue.put(Delivery(shop.domain, topic_header(topic), subscription.callback_url, event_id,
                                         webhook_id, body, headers, not_before=time.monotonic() + delay))
                queued += 1
        return queued

    def wait_idle(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.02)

    def stop(self) -> None:
        self._queue.put(None)

    def _work(self) -> None:
        pending: list[Delivery] = []
        while True:
            try:
                item = self._queue.get(timeout=0.05 if pending else None)
                if item is None:
                    self._queue.task_done()
                    return
                pending.append(item)
            except queue.Empty:
                pass
            pending.sort(key=lambda d: d.not_before)
            while pending and pending[0].not_before <= time.monotonic():
                self._deliver(pending.pop(0))
                self._queue.task_done()

    def _deliver(self, delivery: Delivery) -> None:
        try:
            response = self._session.post(delivery.url, data=delivery.body, headers=delivery.headers,
                                          timeout=DELIVERY_TIMEOUT)
            delivery.status = response.status_code
        except requests.RequestException as exc:
            delivery.error = type(exc).__name__
        delivery.delivered_at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.deliveries.append(delivery)
        if len(self.deliveries) > 1000:
            del self.deliveries[:500]
