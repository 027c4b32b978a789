"""Webhooks: subscriptions, signed deliveries, duplicates, and what triggers them."""
import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@pytest.fixture
def receiver():
    """A tiny HTTP server that keeps what it receives."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.received = received
    server.url = f"http://127.0.0.1:{server.server_address[1]}/webhooks/shopify/"
    yield server
    server.shutdown()


def wait_for(received, count: int) -> list:
    for _ in range(100):
        if len(received) >= count:
            return received
        time.sleep(0.05)
    raise AssertionError(f"{len(received)} deliveries, wanted {count}")


def subscribe(shopify, topic, url) -> str:
    created = shopify.run("WebhookSubscribe", topic=topic, url=url)["data"]["webhookSubscriptionCreate"]
    assert created["userErrors"] == []
    return created["webhookSubscription"]["id"]


def test_a_new_order_is_delivered_signed_with_the_api_secret_key(shopify, receiver, simulator):
    subscribe(shopify, "ORDERS_CREATE", receiver.url)

    created = shopify.control("POST", "orders", count=1)["orders"][0]
    headers, body = wait_for(receiver.received, 1)[0]

    secret = simulator.shops[0].api_secret_key
    expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    assert hmac.compare_digest(headers["X-Shopify-Hmac-Sha256"], expected)
    assert headers["X-Shopify-Topic"] == "orders/create"
    assert headers["X-Shopify-Shop-Domain"] == simulator.shops[0].domain
    assert headers["X-Shopify-API-Version"] == "2025-01"
    assert headers["X-Shopify-Webhook-Id"] and headers["X-Shopify-Event-Id"]
    assert json.loads(body)["admin_graphql_api_id"] == created


def test_duplicates_repeat_the_event_id_with_new_webhook_ids(shopify, receiver):
    subscribe(shopify, "ORDERS_CREATE", receiver.url)
    shopify.control("POST", "settings", webhook_duplicates=1.0)

    shopify.control("POST", "orders", count=1)
    (first, _), (second, _) = wait_for(receiver.received, 2)[:2]

    assert first["X-Shopify-Event-Id"] == second["X-Shopify-Event-Id"]
    assert first["X-Shopify-Webhook-Id"] != second["X-Shopify-Webhook-Id"]


def test_order_update_keeps_attributes_moves_updated_at_and_notifies(shopify, receiver):
    subscribe(shopify, "ORDERS_UPDATED", receiver.url)
    order = shopify.run("OrdersPage", first=1)["data"]["orders"]["nodes"][0]

    updated = shopify.run("OrderAttributes", input={"id": order["id"], "customAttributes": [
        {"key": "BC Doc. No.", "value": "SO-1001"}]})["data"]["orderUpdate"]
    again = shopify.post("query($id: ID!) { order(id: $id) { updatedAt customAttributes { key value } } }",
                         {"id": order["id"]}).json()["data"]["order"]
    headers, _ = wait_for(receiver.received, 1)[0]

    assert updated["userErrors"] == []
    assert again["customAttributes"] == [{"key": "BC Doc. No.", "value": "SO-1001"}]
    assert again["updatedAt"] > order["updatedAt"]
    assert headers["X-Shopify-Topic"] == "orders/updated"


def test_user_errors_for_bad_subscriptions_and_unknown_orders(shopify, receiver):
    subscribe(shopify, "ORDERS_CREATE", receiver.url)
    taken = shopify.run("WebhookSubscribe", topic="ORDERS_CREATE", url=receiver.url)
    bad_url = shopify.run("WebhookSubscribe", topic="ORDERS_CREATE", url="not a url")
    unknown = shopify.run("OrderAttributes", input={"id": "gid://shopify/Order/1", "note": "x"})

    assert "already been taken" in taken["data"]["webhookSubscriptionCreate"]["userErrors"][0]["message"]
    assert bad_url["data"]["webhookSubscriptionCreate"]["userErrors"] or "errors" in bad_url
    assert unknown["data"]["orderUpdate"]["userErrors"][0]["message"] == "Order does not exist"


def test_deleted_subscriptions_get_nothing_and_uninstall_revokes_the_token(shopify, receiver):
    subscription = subscribe(shopify, "ORDERS_CREATE", receiver.url)
    subscribe(shopify, "APP_UNINSTALLED", receiver.url)
    deleted = shopify.run("WebhookUnsubscribe", id=subscription)["data"]["webhookSubscriptionDelete"]

    shopify.control("POST", "orders", count=1)
    shopify.control("POST", "uninstall")
    headers, _ = wait_for(receiver.received, 1)[0]
    time.sleep(0.2)

    assert deleted["deletedWebhookSubscriptionId"] == subscription
    assert [h["X-Shopify-Topic"] for h, _ in receiver.received] == ["app/uninstalled"]
    assert shopify.post("{ shop { name } }").status_code == 401


def test_a_finished_bulk_operation_is_announced(shopify, receiver):
    subscribe(shopify, "BULK_OPERATIONS_FINISH", receiver.url)

    started = shopify.run("BulkOrders", query="{ orders { edges { node { id } } } }")
    headers, body = wait_for(receiver.received, 1)[0]

    assert headers["X-Shopify-Topic"] == "bulk_operations/finish"
    assert json.loads(body)["admin_graphql_api_id"] == started["data"]["bulkOperationRunQuery"]["bulkOperation"]["id"]
    assert json.loads(body)["status"] == "completed"
