"""What each Shopify webhook topic does, registered at start-up by the layer that acts on it.

The receiver (connectors.shopify.webhooks) checks, records and deduplicates a delivery, then calls
the handler registered for its topic; it knows nothing of the job queue the handler may use.
A handler runs in the delivery's transaction and must not call Shopify: the answer is due at once.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Handled:
    outcome: str          # one of connectors.shopify.models.WebhookOutcome
    detail: str = ""
    entry: Any = None     # the job queue entry it started or that will read the delivery


class TopicTaken(Exception):
    pass


HANDLERS: dict[str, Callable[[Any, dict], Handled]] = {}


def register_topic(topic: str, handler: Callable[[Any, dict], Handled]) -> None:
    known = HANDLERS.get(topic)
    if known is not None and known is not handler:
        raise TopicTaken(f"webhook topic {topic} already has a handler: {known.__qualname__}")
    HANDLERS[topic] = handler


def subscribed_topics() -> list[str]:
    return sorted(HANDLERS)
