"""inventory_levels/update: a level's new available quantity, kept as Shopify's latest report of it
(ShopifyInventoryLevel), so the next inventory sync compares against it without reading the shop's
stock again. Webhooks come late and in any order: one older than what is held changes nothing.
Nothing here calls Shopify."""
from __future__ import annotations

from connectors.shopify.importers.upserts import PayloadError, payload_time
from connectors.shopify.inventory_levels import record_reported_level
from connectors.shopify.inventory_reads import LevelReport
from connectors.shopify.models import WebhookOutcome
from core.webhook_topics import Handled, register_topic

TOPIC = "inventory_levels/update"


def level_updated(merchant, payload: dict) -> Handled:
    available = payload["available"]
    if available is None:   # Shopify sends null for an item whose stock it does not track
        return Handled(WebhookOutcome.IGNORED, "Shopify does not track this item's stock")
    item = f"gid://shopify/InventoryItem/{payload['inventory_item_id']}"
    location = f"gid://shopify/Location/{payload['location_id']}"
    # Webhooks carry only the available quantity: on hand is unknown until the next read.
    report = LevelReport(item, location, available, None, payload_time(payload["updated_at"]))
    if not record_reported_level(merchant, report):
        return Handled(WebhookOutcome.IGNORED, "syncsite holds as late a report of this level already")
    return Handled(WebhookOutcome.STOCK_RECORDED, f"{available} available of {item} at {location}")


def level_shape(merchant, payload: dict) -> str | None:
    for field in ("inventory_item_id", "location_id"):
        number = payload.get(field)
        if not isinstance(number, int) or isinstance(number, bool) or number <= 0:
            return f"{field} is not a number"
    available = payload.get("available", 0)
    if available is not None and (not isinstance(available, int) or isinstance(available, bool)):
        return "available is not a whole number"
    if "available" not in payload:
        return "available is missing"
    try:
        payload_time(payload.get("updated_at"))
    except PayloadError as exc:
        return f"updated_at: {exc}"
    gid = payload.get("admin_graphql_api_id")
    if gid is not None and not str(gid).startswith("gid://shopify/InventoryLevel/"):
        return "admin_graphql_api_id names something other than an inventory level"
    return None


def register() -> None:
    register_topic(TOPIC, level_updated, shape=level_shape)
