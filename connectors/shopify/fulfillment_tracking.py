"""A fulfillment's tracking changed after it was made (fulfillmentTrackingInfoUpdate): the parcel's
number often comes after the goods left. Setting the same tracking twice changes nothing, so the
write is retried like a read."""
from __future__ import annotations

from connectors.shopify.client import ShopifyClient
from connectors.shopify.documents import document
from connectors.shopify.fulfillments import Tracking


def update_tracking(client: ShopifyClient, fulfillment_gid: str, tracking: Tracking, *,
                    notify_customer: bool) -> str:
    """Set the fulfillment's tracking; "" when Shopify took it, else why not, in Shopify's words."""
    variables = {"id": fulfillment_gid, "notify": notify_customer,
                 "tracking": {"company": tracking.company or None, "number": tracking.number or None,
                              "url": tracking.url or None}}
    payload = client.execute(document("FulfillmentTrackingUpdate"), variables, check=_problem).data[
        "fulfillmentTrackingInfoUpdate"]
    errors = payload.get("userErrors") or []
    return "; ".join(str(error.get("message")) for error in errors)


def _problem(data) -> str | None:
    payload = (data or {}).get("fulfillmentTrackingInfoUpdate")
    if not isinstance(payload, dict):
        return "fulfillmentTrackingInfoUpdate is missing"
    if not payload.get("userErrors") and not isinstance(payload.get("fulfillment"), dict):
        return "the fulfillment is missing from the answer"
    return None
