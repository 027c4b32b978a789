"""Payouts and balance transactions, customers, and the simulator's clock and control API."""
from tests.fixtures.shopify_simulator import document


def all_nodes(shopify, name: str, path: str, **variables) -> list[dict]:
    nodes, after = [], None
    while True:
        data = shopify.run(name, first=50, after=after, **variables)["data"]
        for key in path.split("."):
            data = data[key]
        nodes += data["nodes"]
        if not data["pageInfo"]["hasNextPage"]:
            return nodes
        after = data["pageInfo"]["endCursor"]


def test_payouts_page_and_filter_by_issue_date(shopify):
    payouts = all_nodes(shopify, "Payouts", "shopifyPaymentsAccount.payouts")
    cutoff = payouts[len(payouts) // 2]["issuedAt"]
    later = all_nodes(shopify, "Payouts", "shopifyPaymentsAccount.payouts", query=f"issued_at:>='{cutoff}'")

    assert payouts and len({p["id"] for p in payouts}) == len(payouts)
    assert {p["status"] for p in payouts} <= {"PAID", "IN_TRANSIT", "SCHEDULED", "FAILED"}   # one fails a month
    assert {p["id"] for p in later} == {p["id"] for p in payouts if p["issuedAt"] >= cutoff}


def test_balance_transactions_add_up_to_their_payout(shopify):
    transactions = all_nodes(shopify, "BalanceTransactions", "shopifyPaymentsAccount.balanceTransactions")
    payouts = {p["id"]: p for p in all_nodes(shopify, "Payouts", "shopifyPaymentsAccount.payouts")}
    by_payout: dict[str, float] = {}
    for transaction in transactions:
        key = transaction["associatedPayout"]["id"]
        by_payout[key] = by_payout.get(key, 0) + float(transaction["net"]["amount"])

    assert transactions
    for payout_id, net in by_payout.items():
        assert round(net, 2) == float(payouts[payout_id]["net"]["amount"])


def test_customers_and_node_lookup(shopify):
    body = shopify.post("{ customers(first: 5) { nodes { id displayName email } } }").json()
    first = body["data"]["customers"]["nodes"][0]
    again = shopify.post("query($id: ID!) { node(id: $id) { ... on Customer { id email } } }",
                         {"id": first["id"]}).json()["data"]["node"]

    assert len(body["data"]["customers"]["nodes"]) == 5
    assert again == {"id": first["id"], "email": first["email"]}


def test_orders_created_through_control_appear_newest(shopify):
    before = shopify.run("OrdersCount")["data"]["ordersCount"]["count"]

    created = shopify.control("POST", "orders", count=2)["orders"]
    newest = shopify.run("OrdersPage", first=2, sortKey="CREATED_AT", reverse=True)["data"]["orders"]["nodes"]

    assert shopify.run("OrdersCount")["data"]["ordersCount"]["count"] == before + 2
    assert {o["id"] for o in newest} == set(created)


def test_advancing_the_clock_moves_time_forward(shopify):
    now = shopify.control("GET", "clock")["now"]

    advanced = shopify.control("POST", "clock", advance_seconds=3 * 86400)["now"]

    assert advanced > now
    assert shopify.post(document("ShopInfo")).status_code == 200


def test_events_after_now_happen_when_the_clock_passes_them():
    """A capture or refund planned after the store's now shows up once the clock is advanced."""
    from datetime import date, datetime, time, timedelta, timezone

    from shopify_simulator.server import Simulator
    from tests.fixtures.shopify_simulator import ShopifyHttp

    anchor = datetime.combine(date.today() + timedelta(days=2), time.min, tzinfo=timezone.utc)
    simulator = Simulator(seed=11, orders=200, anchor=anchor, port=0).start()
    try:
        shop = simulator.shops[0]
        now = simulator.clock.now()
        pending = next(n for n in range(shop.total_orders - 1, 0, -1)
                       if any(t > now + timedelta(hours=1) for t in shop.generator.timeline(n).event_times))
        event = min(t for t in shop.generator.timeline(pending).event_times if t > now + timedelta(hours=1))
        client = ShopifyHttp(simulator, shop.access_token)
        query = "query($id: ID!) { order(id: $id) { updatedAt } }"
        order_id = shop.generator.order_gid(pending)
        before = client.post(query, {"id": order_id}).json()["data"]["order"]["updatedAt"]

        moved = client.control("POST", "clock", advance_seconds=(event - now).total_seconds() + 60)
        after = client.post(query, {"id": order_id}).json()["data"]["order"]["updatedAt"]
        recent = client.post("{ orders(first: 5, sortKey: UPDATED_AT, reverse: true) { nodes { id } } }").json()
    finally:
        simulator.stop()

    assert moved["orders_updated"][shop.domain] >= 1
    assert after > before
    assert order_id in {o["id"] for o in recent["data"]["orders"]["nodes"]}
