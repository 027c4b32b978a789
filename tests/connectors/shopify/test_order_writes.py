"""Sales documents' writes to Shopify orders against the simulator: the document no. set as a custom
attribute (the order's others kept, nothing sent when it is there already) and orders closed, each
order written once whatever faults the transport suffers, each refusal failing that order alone."""
import json

import pytest
import requests

from connectors.shopify import order_writes
from connectors.shopify.client import ClientSettings, ShopifyClient
from connectors.shopify.order_writes import (
    DOCUMENT_NO_KEY,
    ORDERS_PER_READ,
    Outcome,
    WriteResult,
    close_orders,
    read_order_states,
    write_document_numbers,
)
from tests.shopify_simulator.test_custom_orders import VAT_ORDER, make

FAST = ClientSettings(connect_timeout=5, read_timeout=15, max_attempts=8, backoff_base=0.01, backoff_cap=0.05)
STATE = """query($id: ID!) { order(id: $id) { id updatedAt closed closedAt customAttributes { key value } } }"""
UPDATE = """mutation($input: OrderInput!) { orderUpdate(input: $input) { userErrors { message } } }"""
CLOSE = """mutation($input: OrderCloseInput!) { orderClose(input: $input) { userErrors { message } } }"""
OPEN_ORDERS = """query($first: Int!) { orders(first: $first, query: "status:open") { nodes { id } } }"""
MUTATIONS = ("OrderCustomAttributesUpdate", "OrderClose")
UNKNOWN = "gid://shopify/Order/1"


class RecordingSession(requests.Session):
    """A transport that notes each operation sent and the cost Shopify asked for it; `lose_after` names
    an operation whose next answer is replaced, once it was done, by a 200 with null data."""

    def __init__(self, lose_after: str = "") -> None:
        super().__init__()
        self.sent: list[str] = []
        self.costs: list[tuple[str, float]] = []
        self.lose_after = lose_after

    def post(self, url, json=None, **kwargs):
        name = (json or {}).get("operationName") or ""
        self.sent.append(name)
        response = super().post(url, json=json, **kwargs)
        try:
            cost = response.json()["extensions"]["cost"]["requestedQueryCost"]
            self.costs.append((name, cost))
        except (ValueError, KeyError, TypeError):
            pass
        if name and name == self.lose_after:
            self.lose_after = ""
            lost = requests.Response()
            lost.status_code, lost._content = 200, b'{"data": null}'
            lost.headers["Content-Type"] = "application/json"
            return lost
        return response

    def mutations(self) -> list[str]:
        return [name for name in self.sent if name in MUTATIONS]


def client_for(merchant, client_settings=FAST, session=None) -> ShopifyClient:
    return ShopifyClient.for_merchant(merchant, client_settings=client_settings, session=session)


@pytest.fixture
def writes(shop, monkeypatch) -> dict[int, int]:
    """Changes the simulator applied, by order number: a write done twice counts twice."""
    counted: dict[int, int] = {}
    change = shop.orders.change

    def counting(number, fields):
        counted[number] = counted.get(number, 0) + 1
        return change(number, fields)

    monkeypatch.setattr(shop.orders, "change", counting)
    return counted


def number_of(shop, gid: str) -> int:
    return int(gid.rsplit("/", 1)[1]) - shop.generator.order_id_base


def open_orders(shopify, count: int) -> list[str]:
    return [node["id"] for node in shopify.run_text(OPEN_ORDERS, first=count)["orders"]["nodes"]]


def state(shopify, gid: str) -> dict:
    return shopify.run_text(STATE, id=gid)["order"]


def attributes(shopify, gid: str) -> list[tuple[str, str]]:
    return [(a["key"], a["value"]) for a in state(shopify, gid)["customAttributes"]]


def custom_order(shopify) -> str:
    return make(shopify, {**VAT_ORDER, "fulfilled": False})["id"]


# Document numbers --------------------------------------------------------------------------------
def test_the_document_no_is_added_and_the_orders_other_attributes_stay(merchant, shopify):
    # given
    generated = open_orders(shopify, 1)[0]
    custom = custom_order(shopify)
    assert shopify.run_text(UPDATE, input={"id": generated, "customAttributes": [
        {"key": "gift_message", "value": "Happy birthday!"}, {"key": "colour", "value": "red"}]})[
        "orderUpdate"]["userErrors"] == []
    session = RecordingSession()
    # when
    client = client_for(merchant, session=session)
    result = write_document_numbers(client, {generated: "S-INV-101", custom: "S-INV-102"})
    # then
    assert result == {generated: WriteResult(Outcome.WRITTEN, updated_at=state(shopify, generated)["updatedAt"]),
                      custom: WriteResult(Outcome.WRITTEN, updated_at=state(shopify, custom)["updatedAt"])}
    assert attributes(shopify, generated) == [("gift_message", "Happy birthday!"), ("colour", "red"),
                                              (DOCUMENT_NO_KEY, "S-INV-101")]
    assert attributes(shopify, custom) == [(DOCUMENT_NO_KEY, "S-INV-102")]
    assert session.sent == ["OrdersWriteState", "OrderCustomAttributesUpdate", "OrderCustomAttributesUpdate"]


def test_the_same_no_again_sends_nothing_and_a_changed_no_replaces_it(merchant, shopify, writes, shop):
    # given
    gid = open_orders(shopify, 1)[0]
    write_document_numbers(client_for(merchant), {gid: "S-INV-1"}, key="document")
    session = RecordingSession()
    # when
    same = write_document_numbers(client_for(merchant, session=session), {gid: "S-INV-1"}, key="document")
    sent_for_same = session.mutations()
    changed = write_document_numbers(client_for(merchant, session=session), {gid: "S-INV-2"}, key="document")
    # then
    assert same == {gid: WriteResult(Outcome.UNCHANGED)} and sent_for_same == []
    assert changed[gid].outcome == Outcome.WRITTEN and changed[gid].updated_at == state(shopify, gid)["updatedAt"]
    assert attributes(shopify, gid) == [("document", "S-INV-2")]
    assert writes == {number_of(shop, gid): 2}


def test_an_order_shopify_does_not_have_fails_alone_with_a_reason(merchant, shopify):
    # given
    gid = open_orders(shopify, 1)[0]
    # when
    result = write_document_numbers(client_for(merchant), {UNKNOWN: "S-1", "gid://shopify/Product/5": "S-2",
                                                           gid: "S-3"})
    # then
    assert result[UNKNOWN] == WriteResult(Outcome.FAILED, reason="Shopify no longer has this order")
    assert result["gid://shopify/Product/5"].outcome == Outcome.FAILED
    assert "not the ID of a Shopify order" in result["gid://shopify/Product/5"].reason
    assert result[gid].outcome == Outcome.WRITTEN and attributes(shopify, gid) == [(DOCUMENT_NO_KEY, "S-3")]


class DeletingSession(requests.Session):
    """A transport through which the merchant deletes the order just before the first write is sent."""

    def __init__(self, shopify, gid: str) -> None:
        super().__init__()
        self.shopify, self.gid = shopify, gid

    def post(self, url, json=None, **kwargs):
        if self.gid and (json or {}).get("operationName") in MUTATIONS:
            self.shopify.control("POST", "orders/delete", id=self.gid)
            self.gid = ""
        return super().post(url, json=json, **kwargs)


def test_a_refusal_fails_the_order_with_shopifys_words(merchant, shopify):
    # given
    gone, other = open_orders(shopify, 2)
    # when
    result = write_document_numbers(client_for(merchant, session=DeletingSession(shopify, gone)),
                                    {gone: "S-9", other: "S-10"})
    closing = close_orders(client_for(merchant, session=DeletingSession(shopify, other)), [other])
    # then
    assert result[gone] == WriteResult(Outcome.FAILED, reason="Shopify refused writing the document no.: "
                                                              "Order does not exist")
    assert result[other].outcome == Outcome.WRITTEN
    assert closing[other] == WriteResult(Outcome.FAILED, reason="Shopify refused closing the order: "
                                                                "Order does not exist")


FAULTS = [
    ("throttle", {"probability": 0.3}),
    ("server_error", {"probability": 0.25}),
    ("drop", {"probability": 0.2}),
    ("malformed", {"probability": 0.2}),
    ("empty", {"probability": 0.25}),
    ("slow", {"probability": 0.15, "seconds": 0.5}),
    ("null_nodes", {"probability": 0.5}),
]


def faulty_client(merchant, kind: str, monkeypatch) -> ShopifyClient:
    monkeypatch.setattr("connectors.shopify.pacing.CostPacer.throttle_delay", lambda self, requested: 0.01)
    monkeypatch.setattr(order_writes, "LOST_SETTLE_SECONDS", 0.4)
    return client_for(merchant, ClientSettings(read_timeout=0.25 if kind == "slow" else 15, max_attempts=8,
                                               backoff_base=0.01, backoff_cap=0.05))


@pytest.mark.parametrize("kind, rule", FAULTS)
def test_faults_still_end_in_each_document_no_written_once(merchant, shopify, shop, writes, kind, rule, monkeypatch):
    # given
    gids = open_orders(shopify, 6) + [custom_order(shopify), custom_order(shopify)]
    numbers = {gid: f"S-INV-{700 + n}" for n, gid in enumerate(gids)}
    for gid in gids[:3]:
        shopify.run_text(UPDATE, input={"id": gid, "customAttributes": [{"key": "kept", "value": gid}]})
    writes.clear()
    client = faulty_client(merchant, kind, monkeypatch)
    shop.faults.set(kind, **rule)
    # when
    result = write_document_numbers(client, numbers)
    shop.faults.clear()
    again = write_document_numbers(client_for(merchant), numbers)
    # then
    assert shop.faults.suffered.get(kind)
    assert all(r.outcome == Outcome.WRITTEN or "lost" in r.reason for r in result.values()), result
    assert {gid for gid, r in again.items() if r.outcome == Outcome.WRITTEN} == {
        gid for gid, r in result.items() if r.outcome == Outcome.FAILED}
    assert writes == {number_of(shop, gid): 1 for gid in gids}
    for n, gid in enumerate(gids):
        kept = [("kept", gid)] if n < 3 else []
        assert attributes(shopify, gid) == [*kept, (DOCUMENT_NO_KEY, numbers[gid])]


def test_a_write_whose_answer_is_unreadable_after_it_was_done_is_not_sent_again(merchant, shopify, shop, writes,
                                                                               monkeypatch):
    # given
    monkeypatch.setattr(order_writes, "LOST_SETTLE_SECONDS", 0.01)
    gid = open_orders(shopify, 1)[0]
    session = RecordingSession(lose_after="OrderCustomAttributesUpdate")
    # when
    result = write_document_numbers(client_for(merchant, session=session), {gid: "S-INV-5"})
    # then
    assert result == {gid: WriteResult(Outcome.WRITTEN, updated_at=state(shopify, gid)["updatedAt"])}
    assert session.mutations() == ["OrderCustomAttributesUpdate"] and writes == {number_of(shop, gid): 1}


def test_a_read_of_many_orders_stays_under_shopifys_cost_limit(merchant, shopify):
    # given
    gids = open_orders(shopify, 20)
    asked = [*gids, *(f"gid://shopify/Order/{n}" for n in range(1, ORDERS_PER_READ * 2 - len(gids) + 1))]
    session = RecordingSession()
    # when
    states = read_order_states(client_for(merchant, session=session), asked)
    # then
    reads = [cost for name, cost in session.costs if name == "OrdersWriteState"]
    assert len(reads) == 2 and max(reads) <= 1000
    assert {gid for gid, found in states.items() if found} == set(gids)


# Closing ---------------------------------------------------------------------------------------
def test_an_open_order_is_closed_and_a_closed_one_is_left_alone(merchant, shopify):
    # given
    generated, already = open_orders(shopify, 2)
    custom = custom_order(shopify)
    assert shopify.run_text(CLOSE, input={"id": already})["orderClose"]["userErrors"] == []
    closed_at = state(shopify, already)["closedAt"]
    session = RecordingSession()
    # when
    result = close_orders(client_for(merchant, session=session), [generated, already, custom, UNKNOWN])
    # then
    for gid in (generated, custom):
        now = state(shopify, gid)
        assert now["closed"] is True
        assert result[gid] == WriteResult(Outcome.CLOSED, updated_at=now["updatedAt"], closed_at=now["closedAt"])
    assert result[already] == WriteResult(Outcome.ALREADY_CLOSED, closed_at=closed_at)
    assert result[UNKNOWN] == WriteResult(Outcome.FAILED, reason="Shopify no longer has this order")
    assert session.mutations() == ["OrderClose", "OrderClose"]


@pytest.mark.parametrize("kind, rule", FAULTS)
def test_faults_still_end_in_each_order_closed_once(merchant, shopify, shop, writes, kind, rule, monkeypatch):
    # given
    gids = open_orders(shopify, 6) + [custom_order(shopify)]
    client = faulty_client(merchant, kind, monkeypatch)
    shop.faults.set(kind, **rule)
    # when
    result = close_orders(client, gids)
    shop.faults.clear()
    again = close_orders(client_for(merchant), gids)
    # then
    assert shop.faults.suffered.get(kind)
    assert all(r.outcome == Outcome.CLOSED or "lost" in r.reason for r in result.values()), result
    assert {gid for gid, r in again.items() if r.outcome == Outcome.CLOSED} == {
        gid for gid, r in result.items() if r.outcome == Outcome.FAILED}
    assert writes == {number_of(shop, gid): 1 for gid in gids}
    assert all(state(shopify, gid)["closed"] for gid in gids)


def test_a_close_whose_answer_is_unreadable_after_it_was_done_is_not_sent_again(merchant, shopify, shop, writes,
                                                                               monkeypatch):
    # given
    monkeypatch.setattr(order_writes, "LOST_SETTLE_SECONDS", 0.01)
    gid = open_orders(shopify, 1)[0]
    session = RecordingSession(lose_after="OrderClose")
    # when
    result = close_orders(client_for(merchant, session=session), [gid])
    # then
    now = state(shopify, gid)
    assert result == {gid: WriteResult(Outcome.CLOSED, updated_at=now["updatedAt"], closed_at=now["closedAt"])}
    assert session.mutations() == ["OrderClose"] and writes == {number_of(shop, gid): 1}


def test_the_answer_holds_what_the_webhook_carries(merchant, shopify, simulator):
    # given
    assert shopify.run("WebhookSubscribe", topic="ORDERS_UPDATED", url="http://127.0.0.1:9/webhooks/shopify/")[
        "data"]["webhookSubscriptionCreate"]["userErrors"] == []
    gid = open_orders(shopify, 1)[0]
    simulator.webhooks.wait_idle()
    seen = len(simulator.webhooks.deliveries)
    # when
    written = write_document_numbers(client_for(merchant), {gid: "S-INV-77"})[gid]
    closed = close_orders(client_for(merchant), [gid])[gid]
    simulator.webhooks.wait_idle()
    # then
    payloads = [json.loads(d.body) for d in simulator.webhooks.deliveries[seen:] if d.topic == "orders/updated"]
    assert [p["updated_at"] for p in payloads if p["admin_graphql_api_id"] == gid] == [
        written.updated_at, closed.updated_at]


class SlowWriteSession(RecordingSession):
    """A transport whose first write Shopify does only after the client stopped waiting for it."""

    def __init__(self, shop) -> None:
        super().__init__()
        self.shop, self.armed = shop, True

    def post(self, url, json=None, **kwargs):
        if self.armed and (json or {}).get("operationName") in MUTATIONS:
            self.armed = False
            self.shop.faults.set("slow", next_requests=1, seconds=0.5)
        return super().post(url, json=json, **kwargs)


@pytest.mark.parametrize("write", ["number", "close"])
def test_a_write_done_after_the_client_timed_out_is_found_not_sent_again(merchant, shopify, shop, writes, write,
                                                                        monkeypatch):
    # given
    monkeypatch.setattr(order_writes, "LOST_SETTLE_SECONDS", 0.6)
    gid = open_orders(shopify, 1)[0]
    session = SlowWriteSession(shop)
    client = client_for(merchant, ClientSettings(read_timeout=0.25, backoff_base=0.01, backoff_cap=0.05),
                        session=session)
    # when
    result = (write_document_numbers(client, {gid: "S-INV-6"}) if write == "number" else close_orders(client, [gid]))
    # then
    now = state(shopify, gid)
    assert shop.faults.suffered == {"slow": 1} and writes == {number_of(shop, gid): 1}
    assert len(session.mutations()) == 1 and result[gid].updated_at == now["updatedAt"]
    assert result[gid].outcome == (Outcome.WRITTEN if write == "number" else Outcome.CLOSED)
