"""An imported order keeps its bill-to and ship-to addresses, as Shopify states them, for the sales
documents made from it: by either import path, blank where Shopify has none, updated when they change."""
import pytest
from django.urls import reverse
from graphql import OperationDefinitionNode, parse

from connectors.shopify.client import ClientSettings, ShopifyClient
from connectors.shopify.documents import Document, document
from connectors.shopify.importers.orders import import_orders
from connectors.shopify.models import ShopifyOrder
from connectors.shopify.order_sync import ORDERS_PER_DETAILS, ORDERS_PER_PAGE, OrderFilters, sync_orders
from shopify_simulator.api.cost import SINGLE_QUERY_MAX_COST, QueryCost
from shopify_simulator.schema import admin_schema
from tests.factories.merchants import MerchantFactory
from tests.factories.order_payloads import imported, line, local, order
from tests.factories.users import merchant_user

FAST = ClientSettings(connect_timeout=5, read_timeout=15, max_attempts=5, backoff_base=0.01, backoff_cap=0.05,
                      bulk_poll_min=0.05, bulk_poll_max=0.2)
PARTS = {"name": "name", "company": "company", "address1": "address1", "address2": "address2", "city": "city",
         "zip": "zip", "province_code": "provinceCode", "country_code": "countryCodeV2"}
AT = local("America/New_York", 2025, 3, 10, 9, 0)
HOME = {"name": "Ada Byron", "company": None, "address1": "12 Main Street", "address2": "Apt 4", "city": "Albany",
        "zip": "12207", "provinceCode": "NY", "countryCodeV2": "US"}
WORK = {"name": "Ada Byron", "company": "Analytical Engines", "address1": "300 State Street", "address2": None,
        "city": "Rochester", "zip": "14614", "provinceCode": "NY", "countryCodeV2": "US"}
SHIP_TO = Document("OrderShipTo", """mutation OrderShipTo($input: OrderInput!) {
  orderUpdate(input: $input) { order { id } userErrors { field message } } }""")


def columns(order: ShopifyOrder, prefix: str) -> dict:
    return {key: getattr(order, f"{prefix}_{part}") for part, key in PARTS.items()}


def as_imported(address: dict | None) -> dict:
    """What the order's columns hold for a Shopify address: null parts, and no address, are blank."""
    return {key: (address or {}).get(key) or "" for key in PARTS.values()}


def with_addresses(payload: dict, *, billing: dict | None, shipping: dict | None) -> dict:
    return {**payload, "billingAddress": billing, "shippingAddress": shipping}


# Reading Shopify's order -----------------------------------------------------------------------

def test_an_order_with_both_addresses_imports_each(db):
    """The bill-to and ship-to columns hold the order's billingAddress and shippingAddress."""
    # given
    merchant = MerchantFactory()
    shipped = with_addresses(order(AT, total="10.00", lines=[line("10.00", 1)]), billing=HOME, shipping=WORK)

    # when
    imported(merchant, shipped)

    # then
    saved = ShopifyOrder.objects.get(merchant=merchant, shopify_gid=shipped["id"])
    assert columns(saved, "bill_to") == as_imported(HOME) == {
        "name": "Ada Byron", "company": "", "address1": "12 Main Street", "address2": "Apt 4", "city": "Albany",
        "zip": "12207", "provinceCode": "NY", "countryCodeV2": "US"}
    assert columns(saved, "ship_to") == as_imported(WORK)


def test_an_order_with_nothing_to_ship_imports_a_blank_ship_to(db):
    """A gift card order has no shippingAddress; a billing address may lack a country and a province."""
    # given
    merchant = MerchantFactory()
    abroad = {**HOME, "provinceCode": None, "countryCodeV2": None}
    gift_card = with_addresses(order(AT, total="50.00", lines=[line("50.00", 1, gift_card=True)]),
                               billing=abroad, shipping=None)
    bare = order(AT, total="5.00", lines=[line("5.00", 1)])   # no address asked for at all

    # when
    imported(merchant, gift_card, bare)

    # then
    saved = ShopifyOrder.objects.get(merchant=merchant, shopify_gid=gift_card["id"])
    assert columns(saved, "ship_to") == dict.fromkeys(PARTS.values(), "")
    assert (saved.bill_to_name, saved.bill_to_province_code, saved.bill_to_country_code) == ("Ada Byron", "", "")
    unaddressed = ShopifyOrder.objects.get(merchant=merchant, shopify_gid=bare["id"])
    assert columns(unaddressed, "bill_to") == columns(unaddressed, "ship_to") == dict.fromkeys(PARTS.values(), "")


def test_a_changed_address_is_updated_when_the_order_is_imported_again(db):
    """An order whose updatedAt moved is written again, its addresses with it."""
    # given
    merchant = MerchantFactory()
    first = with_addresses(order(AT, total="10.00", lines=[line("10.00", 1)]), billing=HOME, shipping=HOME)
    imported(merchant, first)
    moved = {**first, "updatedAt": local("America/New_York", 2025, 3, 11, 9, 0)}

    # when
    counts = import_orders(merchant=merchant, payloads=[
        with_addresses(moved, billing={**HOME, "address1": "14 Main Street"}, shipping=WORK)])

    # then
    assert counts.updated == 1
    changed = ShopifyOrder.objects.get(merchant=merchant, shopify_gid=first["id"])
    assert columns(changed, "bill_to") == as_imported({**HOME, "address1": "14 Main Street"})
    assert columns(changed, "ship_to") == as_imported(WORK)


def test_a_shipping_address_taken_off_an_order_leaves_its_ship_to_blank(db):
    # given
    merchant = MerchantFactory()
    first = with_addresses(order(AT, total="10.00", lines=[line("10.00", 1)]), billing=HOME, shipping=WORK)
    imported(merchant, first)

    # when
    imported(merchant, with_addresses({**first, "updatedAt": local("America/New_York", 2025, 3, 11, 9, 0)},
                                      billing=HOME, shipping=None))

    # then
    changed = ShopifyOrder.objects.get(merchant=merchant, shopify_gid=first["id"])
    assert columns(changed, "bill_to") == as_imported(HOME)
    assert columns(changed, "ship_to") == dict.fromkeys(PARTS.values(), "")


def test_an_address_longer_than_its_column_is_cut_not_a_failed_order(db):
    # given
    merchant = MerchantFactory()
    long_zip = with_addresses(order(AT, total="10.00", lines=[line("10.00", 1)]),
                              billing={**HOME, "zip": "9" * 40}, shipping=None)

    # when
    imported(merchant, long_zip)

    # then
    assert ShopifyOrder.objects.get(merchant=merchant).bill_to_zip == "9" * 32


# Over HTTP, from the simulator ------------------------------------------------------------------

def sync(merchant, **options) -> None:
    counts = sync_orders(merchant=merchant, filters=OrderFilters(),
                         client=ShopifyClient.for_merchant(merchant, client_settings=FAST), **options)
    assert counts.failed == 0, counts.errors


def imported_as_served(merchant, shop) -> tuple[dict, dict]:
    """Each imported order's address columns, and what the simulator serves for the same orders."""
    served = {}
    for number in range(shop.total_orders):
        view = shop.orders.view(number)
        served[view["id"]] = (as_imported(view["billingAddress"]), as_imported(view["shippingAddress"]))
    saved = {o.shopify_gid: (columns(o, "bill_to"), columns(o, "ship_to"))
             for o in ShopifyOrder.objects.filter(merchant=merchant)}
    return saved, served


@pytest.mark.parametrize("path", ["pages", "bulk"])
def test_a_synced_order_carries_the_addresses_shopify_has_for_it(merchant, shop, path):
    """Paged (with the details of each page) or by bulk export, every order arrives with its addresses:
    the customer's home, another place for a few, and no ship-to where nothing ships."""
    # when
    sync(merchant, bulk_threshold=0 if path == "bulk" else 10_000)

    # then
    saved, served = imported_as_served(merchant, shop)
    assert saved == served
    ship_tos = [ship_to for bill_to, ship_to in saved.values()]
    assert any(not ship_to["address1"] for ship_to in ship_tos)                       # gift cards only
    assert any(ship_to["address1"] and ship_to != bill_to for bill_to, ship_to in saved.values())
    assert all(bill_to["address1"] and bill_to["countryCodeV2"] for bill_to, _ in saved.values())


def test_a_shipping_address_changed_in_shopify_is_updated_by_the_next_sync(merchant, shop):
    # given
    sync(merchant)
    gid = shop.generator.order_gid(10)
    client = ShopifyClient.for_merchant(merchant, client_settings=FAST)
    answer = client.execute(SHIP_TO, {"input": {"id": gid, "shippingAddress": {
        "firstName": "Grace", "lastName": "Hopper", "company": "Harbour & Finch", "address1": "3 Quai Voltaire",
        "city": "Lyon", "zip": "69002", "countryCode": "FR"}}}).data
    assert answer["orderUpdate"]["userErrors"] == []

    # when
    sync(merchant)

    # then
    changed = ShopifyOrder.objects.get(merchant=merchant, shopify_gid=gid)
    assert (changed.ship_to_name, changed.ship_to_company, changed.ship_to_address1, changed.ship_to_zip,
            changed.ship_to_city, changed.ship_to_country_code) == (
        "Grace Hopper", "Harbour & Finch", "3 Quai Voltaire", "69002", "Lyon", "FR")
    assert changed.bill_to_address1 != "3 Quai Voltaire"


@pytest.mark.parametrize(("name", "variables"), [
    ("OrdersUpdatedSince", {"first": ORDERS_PER_PAGE}),
    ("OrderDetails", {"ids": ["gid://shopify/Order/1"] * ORDERS_PER_DETAILS}),
])
def test_the_order_documents_stay_within_shopifys_cost_limit(name, variables):
    """Shopify refuses a query that asks for more than 1,000 points: the addresses come with the
    details of a page, which has room for them, not with the page itself, which has not."""
    parsed = parse(document(name).text)
    operation = next(d for d in parsed.definitions if isinstance(d, OperationDefinitionNode))

    assert QueryCost(admin_schema(), parsed, operation, variables).requested() <= SINGLE_QUERY_MAX_COST


# The order's page -------------------------------------------------------------------------------

def test_the_orders_page_shows_its_bill_to_and_ship_to_each_in_a_section(db, login):
    # given
    merchant = MerchantFactory()
    imported(merchant, with_addresses(order(AT, total="10.00", name="#1042", lines=[line("10.00", 1)]),
                                      billing=HOME, shipping=WORK))
    saved = ShopifyOrder.objects.get(merchant=merchant, name="#1042")

    # when
    page = login(merchant_user(merchant)).get(reverse("admin:shopify_shopifyorder_change", args=[saved.pk]))

    # then
    text = page.content.decode()
    assert page.status_code == 200
    bill_to, ship_to = text.index("Bill-to address</h2>"), text.index("Ship-to address</h2>")
    assert text.index("Customer name") < bill_to < text.index("12 Main Street") < ship_to
    assert ship_to < text.index("Analytical Engines") and ship_to < text.index("300 State Street")
    assert "Subtotal" in text   # the rest of the order, as before
