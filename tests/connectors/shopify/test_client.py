"""The Shopify client against the simulator: pacing, retries on what is transient, plain errors."""
import dataclasses
import logging
import time

import pytest
import requests

from connectors.shopify.client import ClientSettings, ShopifyClient
from connectors.shopify.documents import Document, document
from connectors.shopify.errors import (
    ShopifyAuthError,
    ShopifyGaveUp,
    ShopifyQueryError,
    ShopifyQueryTooCostly,
)
from connectors.shopify.pacing import CostPacer
from shopify_simulator.store.orders import big_order_number

# Quick retries, and a read timeout no busy machine reaches by accident; the slow-answer case shortens
# it below the delay it injects.
FAST = ClientSettings(connect_timeout=5, read_timeout=15, max_attempts=4, backoff_base=0.01, backoff_cap=0.05)
SLOW_ANSWER_SECONDS = 6
IMPATIENT = dataclasses.replace(FAST, read_timeout=3)


@pytest.fixture
def client(simulator):
    shop = simulator.shops[0]
    return ShopifyClient(base_url=simulator.base_url, access_token=shop.access_token, api_version="2025-01",
                         shop_label="DEMO-EU", client_settings=FAST)


def inject(simulator, kind, **rule):
    simulator.shops[0].faults.set(kind, **rule)


def test_test_connection_document_reads_the_shop(client):
    data = client.execute(document("ShopConnection")).data

    assert data["shop"]["myshopifyDomain"] == "demo-eu.myshopify.com"
    assert "read_orders" in {s["handle"] for s in data["currentAppInstallation"]["accessScopes"]}


def test_a_rejected_token_fails_at_once_with_a_plain_message(simulator):
    client = ShopifyClient(base_url=simulator.base_url, access_token="shpat_wrong", api_version="2025-01",
                           client_settings=FAST)

    with pytest.raises(ShopifyAuthError, match=r"^the access token was rejected \(401\)$"):
        client.execute(document("ShopConnection"))
    assert client.stats.calls == 1


@pytest.mark.parametrize("kind, rule", [
    ("throttle", {"next_requests": 3}),
    ("server_error", {"next_requests": 2, "status": 502}),
    ("slow", {"next_requests": 1, "seconds": SLOW_ANSWER_SECONDS}),
    ("drop", {"next_requests": 2}),
    ("malformed", {"next_requests": 1}),
])
def test_transient_faults_are_retried_until_the_answer_comes(client, simulator, kind, rule, monkeypatch):
    if kind == "slow":
        client.settings = IMPATIENT
    inject(simulator, kind, **rule)
    monkeypatch.setattr("connectors.shopify.pacing.CostPacer.throttle_delay", lambda self, requested: 0.01)

    data = client.execute(document("ShopConnection")).data

    assert data["shop"]["name"] == "Demo Boutique (EU)"
    assert client.stats.retries == rule["next_requests"]


def test_retries_run_out_with_the_reason(client, simulator):
    inject(simulator, "server_error", next_requests=10, status=503)

    with pytest.raises(ShopifyGaveUp, match=r"Shopify had a server error \(503\) \(gave up after 4 attempts\)"):
        client.execute(document("ShopConnection"))
    assert client.stats.calls == 4


def test_a_query_shopify_refuses_is_not_retried(client):
    broken = Document("Broken", "query Broken { shop { nom } }")
    too_costly = Document("TooCostly", "query TooCostly { orders(first: 250) { nodes { id lineItems(first: 250) "
                                       "{ nodes { id } } } } }")

    with pytest.raises(ShopifyQueryError, match="Shopify refused the query in Broken"):
        client.execute(broken)
    with pytest.raises(ShopifyQueryTooCostly):
        client.execute(too_costly)
    assert client.stats.calls == 2


class NoPacing(CostPacer):
    """The negative control: a client that never waits before a call."""

    def delay_before(self, operation: str) -> float:
        return 0.0


def test_pacing_keeps_throttled_answers_rare_on_a_small_bucket(client, simulator):
    """Eight 278-point pages from a 300-point bucket restoring 1000/s: the paced client waits instead."""
    requests.post(f"{simulator.base_url}/_simulator/settings", timeout=5,
                  json={"shop": "demo-eu.myshopify.com", "bucket": {"maximum": 300, "restore_rate": 1000}})
    shop = simulator.shops[0]
    big_order = {"id": shop.generator.order_gid(big_order_number(shop.total_orders)), "first": 25}
    naive = ShopifyClient(base_url=simulator.base_url, access_token=shop.access_token, api_version="2025-01",
                          client_settings=FAST, sleep=lambda seconds: time.sleep(0.02))
    naive.pacer = NoPacing()

    for _ in range(8):
        client.execute(document("OrderLineItemsPage"), big_order)
    time.sleep(0.5)
    for _ in range(8):
        naive.execute(document("OrderLineItemsPage"), big_order)

    assert client.stats.throttled <= 1
    assert naive.stats.throttled >= 3


def test_every_call_is_logged_with_its_cost_and_never_the_token(client, simulator, caplog):
    caplog.set_level(logging.INFO, logger="connectors.shopify.client")
    inject(simulator, "server_error", next_requests=1)

    client.execute(document("ShopConnection"))

    text = caplog.text
    assert "ShopConnection" in text and "requested=4" in text and "retries=1" in text
    assert simulator.shops[0].access_token not in text
    assert simulator.shops[0].access_token not in repr(client)


def test_an_answer_that_stays_unreadable_is_a_clear_error(client, simulator):
    inject(simulator, "malformed", next_requests=10)

    with pytest.raises(ShopifyGaveUp, match=r"Shopify's answer could not be read \(HTTP 200, not valid JSON\)"):
        client.execute(document("ShopConnection"))


def test_a_create_is_not_sent_again_when_its_answer_may_be_lost(client, simulator):
    """A write that would be done twice (a create) gives up after one failed attempt; the caller
    finds out whether it was done. THROTTLED is still waited out: Shopify did nothing."""
    shop = simulator.shops[0]
    create = document("CustomerCreate")
    inject(simulator, "server_error", next_requests=1)
    asked = shop.faults.statistics()["requests"]

    with pytest.raises(ShopifyGaveUp):
        client.execute(create, {"input": {"lastName": "Once", "email": "once@example.org"}}, idempotent=False)
    inject(simulator, "throttle", next_requests=1)
    made = client.execute(create, {"input": {"lastName": "Once", "email": "once@example.org"}}, idempotent=False)

    assert shop.faults.statistics()["requests"] - asked == 3   # the failed one, the throttled one, the one done
    assert made.data["customerCreate"]["userErrors"] == []
