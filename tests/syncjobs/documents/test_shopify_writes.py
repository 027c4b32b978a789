"""What the documents write back to Shopify, over HTTP against the simulator: the document no. as an
order attribute without Business Central's webhook loop, and closing orders once they are done."""
from __future__ import annotations

import json

from connectors.shopify.models import ShopifyOrder, WebhookDelivery, WebhookOutcome
from core.secrets import Secret
from syncjobs.documents.models import OrderDocument
from syncjobs.queue.models import JobQueueEntry
from syncjobs.webhooks import order_changed
from tests.connectors.shopify.test_webhooks import KEY, deliver
from tests.syncjobs.documents.helpers import vat_order


def attributes_of(shopify, gid: str) -> dict[str, str]:
    data = shopify.run_text("query($id: ID!) { order(id: $id) { customAttributes { key value } closed } }", id=gid)
    return {a["key"]: a["value"] for a in data["order"]["customAttributes"]}


def test_the_document_no_goes_to_shopify_and_the_webhook_it_causes_imports_nothing(
        merchant, make_order, run_report, shopify, simulator, client):
    merchant.write_document_no_to_shopify = True
    merchant.auto_sync_orders = True
    merchant.api_secret_key = Secret(KEY)
    merchant.save()
    gid = make_order(**vat_order())
    run_report(30104)
    assert shopify.run("WebhookSubscribe", topic="ORDERS_UPDATED", url="http://127.0.0.1:9/webhooks/shopify/")[
        "data"]["webhookSubscriptionCreate"]["userErrors"] == []
    simulator.webhooks.wait_idle()
    seen = len(simulator.webhooks.deliveries)

    run = run_report(30103)
    simulator.webhooks.wait_idle()

    assert attributes_of(shopify, gid) == {"syncsite document no.": "SO00001"}
    assert "1 document no. written to Shopify" in run.log
    (echo,) = [json.loads(d.body) for d in simulator.webhooks.deliveries[seen:] if d.topic == "orders/updated"]

    entries = JobQueueEntry.objects.count()

    answered = deliver(client, merchant, "orders/updated", echo, key=KEY)   # the webhook path, signed

    assert answered.status_code == 200
    assert WebhookDelivery.objects.get(topic="orders/updated").outcome == WebhookOutcome.IGNORED
    assert JobQueueEntry.objects.count() == entries   # no import queued
    someone_else = {**echo, "updated_at": "2030-01-01T00:00:00Z"}
    assert order_changed(merchant, someone_else).outcome != WebhookOutcome.IGNORED
    # Whatever imports the order after the write leaves its state alone: no conflict, no second write.
    ShopifyOrder.objects.filter(shopify_gid=gid).update(has_error=True, error_message="kept")
    run_report(30104)
    again = run_report(30103)
    order = ShopifyOrder.objects.get(shopify_gid=gid)
    assert (order.has_error, order.error_message, OrderDocument.objects.get().conflict) == (True, "kept", "")
    assert "0 document nos. written to Shopify" in again.log


def test_an_order_is_closed_once_paid_fulfilled_and_invoiced_and_never_while_unpaid(
        merchant, make_order, run_report, shopify, shop):
    merchant.archive_processed_orders = True
    merchant.save()
    shopify.control("POST", "settings", shop=shop.domain, auto_archive=False)   # Shopify closes none itself
    paid = make_order(**vat_order(name="#2001", fulfilled=True, paid=True))
    unpaid = make_order(**vat_order(name="#2002", fulfilled=True, paid=False))
    open_order = make_order(**vat_order(name="#2003", paid=True))
    run_report(30104)
    assert not ShopifyOrder.objects.exclude(closed_at=None).exists()

    run_report(30103)

    closed = {gid: shopify.run_text("query($id: ID!) { order(id: $id) { closed } }", id=gid)["order"]["closed"]
              for gid in (paid, unpaid, open_order)}
    assert closed == {paid: True, unpaid: False, open_order: False}
    assert list(OrderDocument.objects.exclude(archived_at=None).values_list("shopify_order_id", flat=True)) == [paid]
    assert "0 orders closed in Shopify" in run_report(30103).log   # run again: nothing closed twice
