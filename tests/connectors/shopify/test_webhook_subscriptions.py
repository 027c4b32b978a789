"""Auto sync orders on the shop card subscribes the shop's webhooks to syncsite, and a new order in
the shop reaches the ledger's import through them (S3, with the simulator sending real deliveries)."""
import pytest
import requests
from django.urls import reverse
from django.utils import timezone

from connectors.shopify.models import ShopifyOrder, WebhookDelivery, WebhookOutcome
from connectors.shopify.webhooks.subscriptions import TOPICS
from core.secrets import Secret
from merchants.models import Merchant
from syncjobs.queue.models import JobQueueEntry, RunStatus, SyncRun
from tests.fixtures.job_queue import work_off_queue
from tests.fixtures.shop_card import shop_card_post_data


def change_url(merchant):
    return reverse("admin:merchants_merchant_change", args=[merchant.pk])


@pytest.fixture
def connected(merchant, shop):
    merchant.api_secret_key = Secret(shop.api_secret_key)
    merchant.save()
    return merchant


def subscribed_urls(shop) -> dict[str, str]:
    return {s.topic: s.callback_url for s in shop.webhooks.values()}


def switch(client, merchant, on: bool):
    return client.post(change_url(merchant), shop_card_post_data(merchant, auto_sync_orders="on" if on else None),
                       follow=True)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.mark.django_db
def test_turning_auto_sync_orders_on_and_off_subscribes_and_unsubscribes(connected, shop, admin_client, settings):
    settings.SYNCSITE_PUBLIC_URL = "https://syncsite.example.com/"

    response = switch(admin_client, connected, on=True)

    connected.refresh_from_db()
    expected = "https://syncsite.example.com/webhooks/shopify/"
    assert any(m.startswith(f"{connected.code}'s shop now sends its webhooks") and m.endswith(f"to {expected}.")
               for m in messages_of(response))
    assert subscribed_urls(shop) == {topic: expected for topic in TOPICS}
    assert sorted(connected.webhook_subscription_ids) == sorted(s.gid for s in shop.webhooks.values())
    assert connected.webhook_subscription_ids[0] in admin_client.get(change_url(connected)).content.decode()

    switch(admin_client, connected, on=False)

    connected.refresh_from_db()
    assert shop.webhooks == {} and connected.webhook_subscription_ids == []
    assert not connected.auto_sync_orders


@pytest.mark.django_db
def test_subscribing_again_adds_only_what_the_shop_lacks(connected, shop, settings):
    from connectors.shopify.webhooks.switch import apply_auto_sync_orders

    settings.SYNCSITE_PUBLIC_URL = "https://syncsite.example.com"
    connected.auto_sync_orders = True
    apply_auto_sync_orders(connected)
    first = list(connected.webhook_subscription_ids)
    del shop.webhooks[first[0]]   # e.g. Shopify dropped one after failed deliveries

    apply_auto_sync_orders(connected)

    assert len(shop.webhooks) == len(TOPICS)
    assert connected.webhook_subscription_ids[1:] == first[1:]


@pytest.mark.django_db
@pytest.mark.parametrize("public_url, problem", [
    ("", "Auto sync orders needs SYNCSITE_PUBLIC_URL"),
    ("http://syncsite.example.com", "SYNCSITE_PUBLIC_URL must start with https://"),
])
def test_auto_sync_orders_needs_a_public_https_url(connected, shop, admin_client, settings, public_url, problem):
    settings.SYNCSITE_PUBLIC_URL = public_url

    response = switch(admin_client, connected, on=True)

    assert response.status_code == 200 and response.context["adminform"].form.errors, "the card shows the error"
    assert problem in response.content.decode()
    assert shop.webhooks == {}
    assert not Merchant.objects.get(pk=connected.pk).auto_sync_orders


@pytest.mark.django_db
def test_when_the_shop_cannot_be_reached_the_switch_stays_off_and_says_why(connected, shop, admin_client,
                                                                            settings, simulator):
    settings.SYNCSITE_PUBLIC_URL = "https://syncsite.example.com"
    requests.post(f"{simulator.base_url}/_simulator/faults",
                  json={"shop": shop.domain, "kind": "unauthorized", "next": 5}, timeout=5)

    response = switch(admin_client, connected, on=True)

    assert any("Auto sync orders stays off for" in m and "the access token was rejected" in m
               for m in messages_of(response))
    assert shop.webhooks == {}
    assert not Merchant.objects.get(pk=connected.pk).auto_sync_orders


@pytest.mark.django_db
def test_a_subscribe_that_fails_half_way_removes_what_it_made(connected, shop, settings, simulator):
    from connectors.shopify.webhooks.switch import apply_auto_sync_orders

    settings.SYNCSITE_PUBLIC_URL = "https://syncsite.example.com"
    requests.post(f"{simulator.base_url}/_simulator/settings",
                  json={"shop": shop.domain, "refused_webhook_topics": [TOPICS[2]]}, timeout=5)
    connected.auto_sync_orders = True
    connected.save()

    outcome = apply_auto_sync_orders(connected)

    assert not outcome.ok and f"This shop refuses {TOPICS[2]} subscriptions" in outcome.message
    assert shop.webhooks == {}, "the two subscriptions made before the refusal were removed"
    connected.refresh_from_db()
    assert not connected.auto_sync_orders and connected.webhook_subscription_ids == []


@pytest.mark.django_db
def test_turning_it_off_when_the_shop_cannot_be_reached_still_turns_it_off(connected, shop, admin_client,
                                                                            settings, simulator):
    settings.SYNCSITE_PUBLIC_URL = "https://syncsite.example.com"
    switch(admin_client, connected, on=True)
    connected.refresh_from_db()
    requests.post(f"{simulator.base_url}/_simulator/faults",
                  json={"shop": shop.domain, "kind": "unauthorized", "next": 10}, timeout=5)

    response = switch(admin_client, connected, on=False)

    connected.refresh_from_db()
    assert not connected.auto_sync_orders and connected.webhook_subscription_ids == []
    assert any("syncsite ignores them while Auto sync orders is off" in m for m in messages_of(response))


# The live server shares SQLite's in-memory connection with the test and complains when closing it.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
@pytest.mark.django_db(transaction=True)
def test_a_new_order_in_the_shop_is_imported_through_its_webhook(connected, shop, simulator, live_server, settings,
                                                                 admin_client):
    settings.SYNCSITE_PUBLIC_URL = live_server.url
    switch(admin_client, connected, on=True)
    connected.refresh_from_db()
    already = ShopifyOrder.objects.filter(merchant=connected).count()
    assert already == 0

    created = requests.post(f"{simulator.base_url}/_simulator/orders", json={"shop": shop.domain, "count": 1},
                            timeout=10).json()
    simulator.webhooks.wait_idle()

    delivery = WebhookDelivery.objects.get(merchant=connected, topic="orders/create")
    assert delivery.outcome == WebhookOutcome.SCHEDULED
    assert JobQueueEntry.objects.filter(merchant=connected, report_number=30104).count() == 1
    work_off_queue()
    run = SyncRun.objects.get(merchant=connected, report_number=30104)
    assert run.status == RunStatus.SUCCESS, run.message
    new_gid = created["orders"][0]
    assert ShopifyOrder.objects.filter(merchant=connected, shopify_gid=new_gid).exists()
    assert run.ended_at <= timezone.now()
