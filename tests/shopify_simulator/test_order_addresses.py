"""Orders' billing and shipping addresses: the customer's home, a few shipped elsewhere, none to ship
to when nothing ships; the same for the same seed."""
import pytest

from shopify_simulator.bucket import PLANS, LeakyBucket
from shopify_simulator.server import Simulator
from tests.fixtures.shopify_simulator import ANCHOR

PLACE = "name company address1 address2 city zip provinceCode countryCodeV2"
ORDERS = """query($after: String) { orders(first: 20, after: $after) {
  pageInfo { hasNextPage endCursor }
  nodes { id requiresShipping billingAddressMatchesShippingAddress
    customer { defaultAddress { %(place)s } }
    billingAddress { id %(place)s } shippingAddress { id %(place)s } } } }""" % {"place": PLACE}
SHIP_TO = """mutation($input: OrderInput!) { orderUpdate(input: $input) {
  order { billingAddressMatchesShippingAddress shippingAddress { %s } } userErrors { field message } } }""" % PLACE


@pytest.fixture(autouse=True)
def unlimited(simulator):
    for shop in simulator.shops:
        shop.bucket = LeakyBucket(PLANS["unlimited"])


def orders(shopify) -> list[dict]:
    found, after = [], None
    while True:
        page = shopify.run_text(ORDERS, after=after)["orders"]
        found.extend(page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


def place(address: dict | None) -> dict | None:
    return None if address is None else {key: address[key] for key in PLACE.split()}


def test_an_order_bills_to_its_customers_home_with_every_part_an_invoice_needs(shopify, simulator):
    """The billing address is the customer's default address, each part as Shopify names it."""
    # when
    found = orders(shopify)

    # then
    with_customer = [o for o in found if o["customer"]]
    assert with_customer
    for order in with_customer:
        assert place(order["billingAddress"]) == place(order["customer"]["defaultAddress"])
    for order in found:
        billing = order["billingAddress"]
        assert billing["name"] and billing["address1"] and billing["city"] and billing["zip"]
        assert billing["countryCodeV2"] == simulator.shops[0].profile.country_code


def test_most_orders_ship_where_they_bill_a_few_elsewhere_and_none_with_nothing_to_ship(shopify):
    # when
    found = orders(shopify)

    # then
    unshipped = [o for o in found if not o["requiresShipping"]]
    elsewhere = [o for o in found if o["shippingAddress"] and not o["billingAddressMatchesShippingAddress"]]
    same = [o for o in found if o["shippingAddress"] and o["billingAddressMatchesShippingAddress"]]
    assert unshipped and all(o["shippingAddress"] is None for o in unshipped)
    assert all(o["shippingAddress"] is not None for o in found if o["requiresShipping"])
    assert 0 < len(elsewhere) < len(found) // 5 < len(same)
    assert all(place(o["shippingAddress"]) == place(o["billingAddress"]) for o in same)
    assert all(place(o["shippingAddress"]) != place(o["billingAddress"]) for o in elsewhere)
    assert all(o["shippingAddress"]["id"] != o["billingAddress"]["id"] for o in same + elsewhere)


def test_the_same_seed_gives_the_same_addresses():
    def addresses(simulator: Simulator) -> list:
        return [(place(v["billingAddress"]), place(v["shippingAddress"]))
                for shop in simulator.shops for v in (shop.orders.view(n, ANCHOR) for n in range(shop.total_orders))]

    assert addresses(Simulator(seed=7, orders=40, anchor=ANCHOR, port=0)) == \
        addresses(Simulator(seed=7, orders=40, anchor=ANCHOR, port=0))


def test_a_new_shipping_address_is_served_and_no_longer_matches_the_billing_address(shopify, simulator):
    # given
    order = next(o for o in orders(shopify) if o["billingAddressMatchesShippingAddress"])

    # when
    answer = shopify.run_text(SHIP_TO, input={"id": order["id"], "shippingAddress": {
        "firstName": "Ada", "lastName": "Byron", "company": "Analytical Engines", "address1": "12 Quay Street",
        "city": "Bristol", "zip": "BS1 4DJ", "countryCode": "GB"}})["orderUpdate"]

    # then
    assert answer["userErrors"] == []
    assert answer["order"]["billingAddressMatchesShippingAddress"] is False
    assert {k: v for k, v in answer["order"]["shippingAddress"].items() if k != "provinceCode"} == {
        "name": "Ada Byron", "company": "Analytical Engines", "address1": "12 Quay Street", "address2": None,
        "city": "Bristol", "zip": "BS1 4DJ", "countryCodeV2": "GB"}
