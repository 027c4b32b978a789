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
# topic -> (merchant, payload) -> what keeps the body from being one of that topic, or None. The
# signature covers the body only, not the topic header: a body of another topic is refused.
SHAPES: dict[str, Callable[[Any, dict], "str | None"]] = {}


def register_topic(topic: str, handler: Callable[[Any, dict], Handled], *,
                   shape: Callable[[Any, dict], "str | None"]) -> None:
    known = HANDLERS.get(topic)
    if known is not None and known is not handler:
        raise TopicTaken(f"webhook topic {topic} already has a handler: {known.__qualname__}")
    HANDLERS[topic] = handler
    SHAPES[topic] = shape


def shape_problem(topic: str, merchant, payload: dict) -> str | None:
    """Why `payload` is not a body of `topic`, or None (also for topics nobody acts on)."""
    shape = SHAPES.get(topic)
    return shape(merchant, payload) if shape else None


def gid_of(payload: dict, resource: str) -> str | None:
    """What keeps `payload` from naming a Shopify `resource` by its GID and numeric id, or None."""
    gid, number = payload.get("admin_graphql_api_id"), payload.get("id")
    if not isinstance(gid, str) or not gid.startswith(f"gid://shopify/{resource}/"):
        return f"admin_graphql_api_id is not a {resource} GID"
    if resource != "BulkOperation" and (not isinstance(number, int) or gid.rsplit("/", 1)[1] != str(number)):
        return f"id is not the {resource}'s number"
    return None


def subscribed_topics() -> list[str]:
    return sorted(HANDLERS)
