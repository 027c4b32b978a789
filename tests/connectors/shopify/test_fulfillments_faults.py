"""fulfillmentCreate is not idempotent: whatever the transport suffers (5xx, timeouts, dropped
connections, answers that are empty, null or unreadable, before Shopify made the fulfillment or
after), each request ends in exactly one fulfillment in the simulator, or in none and a reason."""
import pytest
import requests

from connectors.shopify import fulfillments
from connectors.shopify.client import ClientSettings, ShopifyClient
from connectors.shopify.fulfillments import (
    CreateOutcome,
    FulfillmentRequest,
    OrderFulfillmentState,
    Tracking,
    create_fulfillment,
    read_fulfillment_states,
)
from shopify_simulator.resources.orders import order_number

FAST = ClientSettings(connect_timeout=5, read_timeout=15, max_attempts=8, backoff_base=0.01, backoff_cap=0.05)
TRACKING = Tracking(company="UPS", number="1Z999AA10123456784", url="https://www.ups.com/track?tracknum=1Z999")
LOST_ANSWERS = {"null data": (200, b'{"data": null}'), "empty data": (200, b'{"data": {}}'),
                "bad gateway": (502, b'{"errors": "Bad Gateway"}'), "cut short": (200, b'{"data": {"fulfillmentCr')}


class Transport(requests.Session):
    """A transport that notes each operation sent. `arm(operation, kind, **rule)` sets a simulator
    fault for the next request of that operation, before Shopify does anything (`every=True`: for
    each one); `lose(operation, answer)` lets Shopify do the next one, then replaces its answer."""

    def __init__(self, shop) -> None:
        super().__init__()
        self.shop = shop
        self.sent: list[str] = []
        self.armed: dict[str, tuple[str, dict, bool]] = {}
        self.lost: dict[str, str] = {}
        self.then: tuple[str, dict] | None = None

    def arm(self, operation: str, kind: str, *, every: bool = False, **rule) -> None:
        self.armed[operation] = (kind, rule, every)

    def lose(self, operation: str, answer: str, *, then: tuple[str, dict] | None = None) -> None:
        """`then`: a simulator fault (kind, rule) set once the answer is lost, for the requests after it."""
        self.lost[operation] = answer
        self.then = then

    def post(self, url, json=None, **kwargs):
        name = (json or {}).get("operationName") or ""
        self.sent.append(name)
        if name in self.armed:
            kind, rule, every = self.armed[name] if self.armed[name][2] else self.armed.pop(name)
            self.shop.faults.set(kind, next_requests=1, **rule)
        response = super().post(url, json=json, **kwargs)
        if name in self.lost:
            status, body = LOST_ANSWERS[self.lost.pop(name)]
            if self.then:
                self.shop.faults.set(self.then[0], **self.then[1])
            lost = requests.Response()
            lost.status_code, lost._content = status, body
            lost.headers["Content-Type"] = "application/json"
            return lost
        return response

    def creates(self) -> int:
        return self.sent.count("FulfillmentCreate")


def client_for(merchant, transport, *, read_timeout: float = 15, real_pauses: bool = False) -> ShopifyClient:
    settings = ClientSettings(connect_timeout=5, read_timeout=read_timeout, max_attempts=8, backoff_base=0.01,
                              backoff_cap=0.05)
    extra = {} if real_pauses else {"sleep": lambda seconds: None}
    return ShopifyClient.for_merchant(merchant, client_settings=settings, session=transport, **extra)


def make(simulator, skus: list[str]) -> str:
    lines = [{"title": f"Item {sku}", "sku": sku, "quantity": 2, "price": "10.00"} for sku in skus]
    response = requests.post(f"{simulator.base_url}/_simulator/orders/custom",
                             json={"order": {"lines": lines, "fulfilled": False}}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["id"]


def made(shop, order_gid: str) -> list[str]:
    """The fulfillments the simulator holds for the order."""
    return [f["id"] for f in shop.orders.view(order_number(shop, order_gid))["fulfillments"]]


def one_unit_of_each(state: OrderFulfillmentState) -> FulfillmentRequest:
    (fo,) = state.fulfillment_orders
    return FulfillmentRequest(state.order_gid, fo.location_gid, tuple((fo.gid, item.gid, 1) for item in fo.lines),
                              TRACKING, True)


def requests_for(merchant, shop, gids: list[str]) -> dict[str, FulfillmentRequest]:
    states = read_fulfillment_states(ShopifyClient.for_merchant(merchant, client_settings=FAST), gids)
    return {gid: one_unit_of_each(states[gid]) for gid in gids}


@pytest.fixture
def fast_rounds(monkeypatch):
    monkeypatch.setattr(fulfillments, "LOST_SETTLE_SECONDS", 0.8)   # past a slow answer


@pytest.mark.parametrize("answer", list(LOST_ANSWERS))
def test_an_answer_lost_after_the_fulfillment_was_made_is_adopted_not_sent_again(merchant, shop, simulator, answer):
    # given
    gid = make(simulator, ["MUG", "TEE"])
    request = requests_for(merchant, shop, [gid])[gid]
    transport = Transport(shop)
    transport.lose("FulfillmentCreate", answer)
    # when
    result = create_fulfillment(client_for(merchant, transport), request, asked_at=simulator.clock.now())
    # then
    (fulfillment_gid,) = made(shop, gid)
    assert (result.outcome, result.fulfillment_gid) == (CreateOutcome.ALREADY_CREATED, fulfillment_gid)
    assert transport.creates() == 1


def test_an_answer_that_comes_too_late_is_adopted_not_sent_again(merchant, shop, simulator, fast_rounds):
    """Shopify was slow: the client timed out while the fulfillment was being made."""
    # given
    gid = make(simulator, ["MUG"])
    request = requests_for(merchant, shop, [gid])[gid]
    transport = Transport(shop)
    transport.arm("FulfillmentCreate", "slow", seconds=0.6)
    # when
    result = create_fulfillment(client_for(merchant, transport, read_timeout=0.3, real_pauses=True), request,
                                asked_at=simulator.clock.now())
    # then
    assert shop.faults.suffered == {"slow": 1}
    (fulfillment_gid,) = made(shop, gid)
    assert (result.outcome, result.fulfillment_gid) == (CreateOutcome.ALREADY_CREATED, fulfillment_gid)
    assert transport.creates() == 1


@pytest.mark.parametrize("kind, rule", [("drop", {}), ("server_error", {"status": 503}), ("empty", {}),
                                        ("malformed", {}), ("throttle", {})])
def test_a_request_lost_before_shopify_made_anything_is_sent_once_more(merchant, shop, simulator, kind, rule,
                                                                        monkeypatch):
    # given
    monkeypatch.setattr("connectors.shopify.pacing.CostPacer.throttle_delay", lambda self, requested: 0.01)
    gid = make(simulator, ["MUG"])
    request = requests_for(merchant, shop, [gid])[gid]
    transport = Transport(shop)
    transport.arm("FulfillmentCreate", kind, **rule)
    # when
    result = create_fulfillment(client_for(merchant, transport), request, asked_at=simulator.clock.now())
    # then
    assert shop.faults.suffered == {kind: 1}
    (fulfillment_gid,) = made(shop, gid)
    assert (result.outcome, result.fulfillment_gid) == (CreateOutcome.CREATED, fulfillment_gid)
    assert transport.creates() == 2


def test_lost_every_time_fails_with_a_reason_and_the_next_try_makes_it_once(merchant, shop, simulator):
    # given
    gid = make(simulator, ["MUG"])
    request = requests_for(merchant, shop, [gid])[gid]
    asked_at = simulator.clock.now()
    transport = Transport(shop)
    transport.arm("FulfillmentCreate", "drop", every=True)
    # when
    lost = create_fulfillment(client_for(merchant, transport), request, asked_at=asked_at)
    later = create_fulfillment(client_for(merchant, Transport(shop)), request, asked_at=asked_at)
    # then
    assert lost.outcome == CreateOutcome.FAILED and "lost 4 times and it was not made" in lost.reason
    assert transport.creates() == fulfillments.LOST_ROUNDS + 1 and made(shop, gid) == [later.fulfillment_gid]
    assert later.outcome == CreateOutcome.CREATED


def test_an_answer_lost_when_the_order_cannot_be_read_either_fails_and_the_next_try_adopts(merchant, shop,
                                                                                         simulator):
    # given
    gid = make(simulator, ["MUG"])
    request = requests_for(merchant, shop, [gid])[gid]
    asked_at = simulator.clock.now()
    transport = Transport(shop)
    transport.lose("FulfillmentCreate", "null data", then=("server_error", {"probability": 1.0}))
    # when
    lost = create_fulfillment(client_for(merchant, transport), request, asked_at=asked_at)
    shop.faults.clear()
    later = create_fulfillment(client_for(merchant, Transport(shop)), request, asked_at=asked_at)
    # then
    assert lost.outcome == CreateOutcome.FAILED and "whether it was made is unknown" in lost.reason
    (fulfillment_gid,) = made(shop, gid)
    assert (later.outcome, later.fulfillment_gid) == (CreateOutcome.ALREADY_CREATED, fulfillment_gid)
    assert transport.creates() == 1


def test_a_read_whose_nodes_come_back_null_reads_each_order_alone(merchant, shop, simulator):
    # given
    gids = [make(simulator, ["MUG"]), make(simulator, ["TEE", "CAP"])]
    clean = read_fulfillment_states(ShopifyClient.for_merchant(merchant, client_settings=FAST), gids)
    shop.faults.set("null_nodes", probability=1.0)
    transport = Transport(shop)
    # when
    states = read_fulfillment_states(client_for(merchant, transport), gids)
    # then
    assert states == clean
    assert transport.sent == ["FulfillmentStates", "FulfillmentStateOfOrder", "FulfillmentStateOfOrder"]


@pytest.mark.parametrize("kind, rule", [
    ("throttle", {"probability": 0.3}),
    ("server_error", {"probability": 0.25}),
    ("drop", {"probability": 0.2}),
    ("malformed", {"probability": 0.2}),
    ("empty", {"probability": 0.25}),
    ("null_nodes", {"probability": 0.5}),
    ("slow", {"probability": 0.15, "seconds": 0.4}),
])
def test_faults_still_end_in_exactly_one_fulfillment_per_request(merchant, shop, simulator, kind, rule, fast_rounds,
                                                               monkeypatch):
    # given
    monkeypatch.setattr("connectors.shopify.pacing.CostPacer.throttle_delay", lambda self, requested: 0.01)
    gids = [make(simulator, [f"A{n}", f"B{n}"]) for n in range(8)]
    wanted = requests_for(merchant, shop, gids)
    asked_at = simulator.clock.now()
    shop.faults.set(kind, **rule)
    client = client_for(merchant, Transport(shop), read_timeout=0.2 if kind == "slow" else 15, real_pauses=True)
    # when
    first = {gid: create_fulfillment(client, request, asked_at=asked_at) for gid, request in wanted.items()}
    shop.faults.clear()
    again = {gid: create_fulfillment(client_for(merchant, Transport(shop)), request, asked_at=asked_at)
             for gid, request in wanted.items()}
    # then
    assert shop.faults.suffered.get(kind)
    for gid in gids:
        (fulfillment_gid,) = made(shop, gid)
        assert first[gid].outcome in (CreateOutcome.CREATED, CreateOutcome.ALREADY_CREATED, CreateOutcome.FAILED)
        if first[gid].outcome != CreateOutcome.FAILED:
            assert first[gid].fulfillment_gid == fulfillment_gid
        assert (again[gid].outcome, again[gid].fulfillment_gid) == (CreateOutcome.ALREADY_CREATED, fulfillment_gid)
