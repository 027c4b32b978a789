"""The same seed, size and anchor give the same store; another seed another one."""
from shopify_simulator.server import Simulator
from tests.fixtures.shopify_simulator import ANCHOR, ShopifyHttp


def first_page(seed: int) -> list[dict]:
    simulator = Simulator(seed=seed, orders=40, anchor=ANCHOR, port=0).start()
    try:
        client = ShopifyHttp(simulator, simulator.shops[0].access_token)
        return client.run("OrdersPage", first=40)["data"]["orders"]["nodes"]
    finally:
        simulator.stop()


def test_same_seed_same_orders_other_seed_other_orders():
    assert first_page(3) == first_page(3)
    assert first_page(3) != first_page(4)
