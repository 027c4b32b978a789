"""Who a B2B order is sold to: the customer of the company location it was placed for, whatever its
buyer's own customer link says. Orders made to measure on demo-us (no generated orders here) by a
company's main contact, imported by 30104, linked by 30114, made documents by 30103."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from connectors.ledger.models import Customer, Item, Location
from connectors.shopify.models import ShopifyOrder
from shopify_simulator.server import Simulator
from syncjobs.companies.models import CompanyLink, MappedBy
from syncjobs.customers.linking import customers_of_orders
from syncjobs.queue.execution import run_now
from syncjobs.queue.models import RunStatus, RunTrigger
from tests.factories.merchants import MerchantFactory
from tests.factories.shopify import ShopifyOrderFactory
from tests.fixtures.document_shop import document_books
from tests.fixtures.shopify_simulator import ANCHOR, b2b_client, shop_named
from tests.syncjobs.companies.helpers import b2b_merchant, companies_in_shopify, locations_of, set_card
from tests.syncjobs.documents.helpers import the_document, vat_order


@pytest.fixture
def simulator():
    """A simulator whose shops have no orders of their own: each test's orders are its own."""
    sim = Simulator(seed=7, orders=0, anchor=ANCHOR, port=0).start()
    yield sim
    sim.stop()


@pytest.fixture
def merchant(db, simulator):
    """demo-us in documents mode: consumers go to WEB; companies are imported and created in the
    ledger when no customer matches; the item SHIRT."""
    merchant = b2b_merchant(simulator, "demo-us", customer_import="none", default_customer_no="WEB",
                            auto_create_unknown_companies=True)
    document_books(merchant)
    Customer.objects.create(merchant=merchant, number="WEB", name="Web shop customers")
    Item.objects.create(merchant=merchant, number="SHIRT", description="Shirt", unit_price="60.00")
    Location.objects.create(merchant=merchant, code="MAIN", name="Main warehouse")
    return merchant


@pytest.fixture
def pioneer(simulator):
    """Pioneer Supply Co. (one location, Head office) as Shopify shows it."""
    http = b2b_client(simulator, "demo-us")
    return next(c for c in companies_in_shopify(http) if c["name"] == "Pioneer Supply Co.")


def run_report(merchant, number: int):
    merchant.refresh_from_db()
    return run_now(merchant=merchant, report_number=number, raw_parameters={}, user=None,
                   trigger=RunTrigger.FOREGROUND)


def order_by(simulator, company: dict) -> str:
    """An order placed by the company's main contact: Shopify makes it the company's."""
    http = b2b_client(simulator, "demo-us")
    return http.control("POST", "orders/custom", shop=shop_named(simulator, "demo-us").domain, order={
        **vat_order(), "processed_at": "2025-03-11T10:00:00Z",
        "customer": {"id": company["mainContact"]["customer"]["id"]}})["id"]


def test_a_companys_order_becomes_a_document_of_its_locations_customer(merchant, simulator, pioneer, superuser,
                                                                        login):
    # given
    gid = order_by(simulator, pioneer)
    assert run_report(merchant, 30104).status == RunStatus.SUCCESS
    assert run_report(merchant, 30114).status == RunStatus.SUCCESS
    (office,) = locations_of(pioneer)
    link = CompanyLink.objects.get(merchant=merchant, company_location_gid=office["id"])
    order = ShopifyOrder.objects.get(shopify_gid=gid)

    # when
    run = run_report(merchant, 30103)

    # then
    assert (order.company_gid, order.company_location_gid) == (pioneer["id"], office["id"])
    assert link.mapped_by == MappedBy.CREATED and link.customer_no != "WEB"
    assert (run.status, run.created) == (RunStatus.SUCCESS, 1)
    assert the_document(merchant, gid).customer == link.customer_no
    page = login(superuser).get(reverse("admin:shopify_shopifyorder_change", args=[order.pk])).content.decode()
    assert f"customer {link.customer_no}" in page


def test_importing_no_companies_sells_company_orders_to_the_default_company(merchant, simulator, pioneer):
    # given
    Customer.objects.create(merchant=merchant, number="B2B", name="Business customers")
    set_card(merchant, company_import="none", default_company_no="B2B")
    gid = order_by(simulator, pioneer)
    run_report(merchant, 30104)

    # when
    run_report(merchant, 30114)
    run = run_report(merchant, 30103)

    # then
    assert not CompanyLink.objects.filter(merchant=merchant).exists()
    assert run.created == 1 and the_document(merchant, gid).customer == "B2B"


def test_a_company_order_whose_location_is_unmapped_waits_and_says_why(merchant, simulator, pioneer):
    set_card(merchant, auto_create_unknown_companies=False)
    gid = order_by(simulator, pioneer)
    run_report(merchant, 30104)
    run_report(merchant, 30114)

    run = run_report(merchant, 30103)

    order = ShopifyOrder.objects.get(shopify_gid=gid)
    assert (run.created, order.processed) == (0, False)
    assert "the order's company location is not mapped: no ledger customer has the main contact's email or phone" \
        in order.error_message


def test_a_shop_card_that_leaves_companies_alone_sells_their_orders_to_the_buyer_as_before(merchant, simulator,
                                                                                           pioneer):
    """Company import none and no default company: B2B is off, the order goes by its buyer (here the
    shop's default customer, as the card imports no customers)."""
    set_card(merchant, company_import="none")
    gid = order_by(simulator, pioneer)
    run_report(merchant, 30104)

    run = run_report(merchant, 30103)

    assert run.created == 1 and the_document(merchant, gid).customer == "WEB"


def test_the_customers_of_company_orders_take_the_same_queries_for_two_orders_and_fifty(db):
    merchant = MerchantFactory(company_import="all_customers")

    def b2b_orders(count: int) -> list[ShopifyOrder]:
        orders = [ShopifyOrderFactory(merchant=merchant, company_location_gid=f"gid://shopify/CompanyLocation/{n}")
                  for n in range(count)]
        for order in orders[::2]:
            CompanyLink.objects.get_or_create(merchant=merchant, company_location_gid=order.company_location_gid,
                                              defaults={"customer_no": "C00001", "mapped_by": MappedBy.BY_HAND})
        return orders

    def queries(orders) -> tuple[int, dict]:
        with CaptureQueriesContext(connection) as captured:
            found = customers_of_orders(merchant, orders)
        return len(captured), found

    two, _ = queries(b2b_orders(2))         # one linked, one not
    fifty, found = queries(b2b_orders(50))

    assert two == fifty
    assert found[next(iter(found))] == ("C00001", "")
    assert {why for number, why in found.values() if not number} == {
        "the order's company is not imported yet: Sync companies imports it"}
