"""What the shipments tests share: an order shipped in the books, and Shopify's fulfillments read back
over GraphQL as a merchant would see them in Shopify."""
from __future__ import annotations

import json
import uuid

from django.utils import timezone

from connectors.ledger.models import SalesDocument
from connectors.shopify.webhooks.verification import signature
from tests.fixtures.job_queue import commits_run_callbacks
from tests.syncjobs.documents.helpers import vat_line

FULFILLMENTS_OF_ORDER = """
query ($id: ID!) {
  order(id: $id) {
    fulfillments(first: 20) { id status trackingInfo(first: 5) { company number url } location { id } }
  }
}
"""
# One fulfillment's lines a query: 250 lines of one fulfillment cost about 500 points of 1,000.
LINES_OF_FULFILLMENT = """
query ($id: ID!) {
  fulfillment(id: $id) { fulfillmentLineItems(first: 250) { nodes { quantity lineItem { sku } } } }
}
"""


def shirt_order(quantity: int = 2, **changes) -> dict:
    return {"name": "#3001", "taxes_included": True, "lines": [vat_line("60.00", quantity, f"{20 * quantity}.00")],
            **changes}


def ship_in_books(merchant, run_report, *, agent: str = "", tracking_no: str = "", post: str = "ship") -> None:
    """Sync orders and Process orders, give the sales orders their tracking (as a bookkeeper does on
    the order), then post them: ship only by default."""
    assert run_report(30104).status == "success"
    assert run_report(30103).status == "success"
    SalesDocument.objects.filter(merchant=merchant, type="order").update(shipping_agent=agent,
                                                                         package_tracking_no=tracking_no)
    posted = run_report(296, post=post)
    assert posted.status == "success", posted.message


def fulfillments_in_shopify(shopify, gid: str) -> list[dict]:
    """The order's fulfillments as Shopify holds them: status, tracking, location, {sku: quantity} and
    how many lines."""
    order = shopify.run_text(FULFILLMENTS_OF_ORDER, id=gid)["order"]
    made = []
    for fulfillment in order["fulfillments"]:
        lines = shopify.run_text(LINES_OF_FULFILLMENT, id=fulfillment["id"])["fulfillment"][
            "fulfillmentLineItems"]["nodes"]
        quantities: dict[str, int] = {}
        for line in lines:
            quantities[line["lineItem"]["sku"]] = quantities.get(line["lineItem"]["sku"], 0) + line["quantity"]
        made.append({"status": fulfillment["status"], "tracking": fulfillment["trackingInfo"],
                     "location": fulfillment["location"]["id"], "lines": quantities, "line_count": len(lines)})
    return made


WEBHOOK_KEY = "shpss_shipments_key"


def deliver_webhook(client, merchant, topic: str, payload: dict):
    """POST a webhook to syncsite as Shopify does, signed with the merchant's API secret key
    (WEBHOOK_KEY), its on-commit work run."""
    body = json.dumps(payload).encode()
    headers = {"X-Shopify-Topic": topic, "X-Shopify-Hmac-Sha256": signature(body, WEBHOOK_KEY),
               "X-Shopify-Shop-Domain": merchant.shop_domain, "X-Shopify-API-Version": "2025-01",
               "X-Shopify-Webhook-Id": str(uuid.uuid4()), "X-Shopify-Event-Id": str(uuid.uuid4()),
               "X-Shopify-Triggered-At": timezone.now().strftime("%Y-%m-%dT%H:%M:%S.000Z")}
    with commits_run_callbacks():
        return client.post("/webhooks/shopify/", data=body, content_type="application/json", headers=headers)
