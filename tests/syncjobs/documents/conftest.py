"""A documents-mode shop on the simulator's first shop, with the books its documents post to, and
orders made to measure in the simulator (POST /_simulator/orders/custom) so every expected amount
is worked out by hand in the tests."""
from __future__ import annotations

import pytest

from connectors.ledger.models import AccountMapping, AccountType, Customer, Item, Location
from shopify_simulator.server import Simulator
from syncjobs.queue.execution import run_now
from syncjobs.queue.models import RunTrigger
from tests.factories.ledger import AccountFactory
from tests.factories.merchants import MerchantFactory
from tests.fixtures.shopify_simulator import ANCHOR

A = AccountType
# code, name, type, the (kind, key) mappings it takes
DOCUMENT_BOOKS = (
    ("1100", "Receivables", A.ASSET, [("receivables", "")]),
    ("2100", "Gift cards outstanding", A.LIABILITY, [("gift_cards_sold", "")]),
    ("2200", "VAT payable", A.LIABILITY, [("tax", "")]),
    ("4000", "Sales", A.REVENUE, [("sales", "")]),
    ("4100", "Shipping income", A.REVENUE, [("shipping_income", "")]),
    ("4200", "Discounts", A.REVENUE, [("discounts", "")]),
    ("4300", "Tips", A.REVENUE, [("tips", "")]),
    ("4400", "Refunds", A.REVENUE, [("refunds", "")]),
    ("4450", "Returns not restocked", A.EXPENSE, [("non_restock", "")]),
)


def document_books(merchant, *, without=()) -> None:
    for code, name, account_type, mapped in DOCUMENT_BOOKS:
        account = AccountFactory(merchant=merchant, code=code, name=name, type=account_type)
        for kind, key in mapped:
            if (kind, key) not in without:
                AccountMapping.objects.create(merchant=merchant, kind=kind, key=key, account=account)


@pytest.fixture
def simulator():
    """A simulator whose shops have no orders of their own: each test's orders are its own."""
    sim = Simulator(seed=7, orders=0, anchor=ANCHOR, port=0).start()
    yield sim
    sim.stop()


@pytest.fixture
def merchant(db, simulator, shop):
    """Every order's customer is the shop's default customer WEB (customer import none, as Business
    Central maps then); the items SHIRT and TEA, the location MAIN."""
    merchant = MerchantFactory(shop_domain=shop.domain, api_base_url=simulator.base_url,
                               access_token=shop.access_token, time_zone="Europe/Paris", shop_currency="EUR",
                               posting_mode="documents", customer_import="none", default_customer_no="WEB")
    document_books(merchant)
    Customer.objects.create(merchant=merchant, number="WEB", name="Web shop customers")
    Customer.objects.create(merchant=merchant, number="ACME", name="Acme Ltd", address="1 Main Street",
                            post_code="75001", city="Paris", country="FR")
    Item.objects.create(merchant=merchant, number="SHIRT", description="Shirt", unit_price="60.00")
    Item.objects.create(merchant=merchant, number="TEA", description="Tea tasting", type="service")
    Location.objects.create(merchant=merchant, code="MAIN", name="Main warehouse")
    return merchant


@pytest.fixture
def make_order(shopify, shop):
    """An order of the simulator's first shop made to `spec` (see shopify_simulator's orders/custom
    route); returns its GID."""
    def make(**spec) -> str:
        spec.setdefault("processed_at", "2025-03-11T10:00:00Z")
        spec.setdefault("customer", None)
        return shopify.control("POST", "orders/custom", shop=shop.domain, order=spec)["id"]
    return make


@pytest.fixture
def run_report(merchant):
    """Run a report the way the shop card's button does with background syncs off; the SyncRun."""
    def run(number: int, **parameters):
        return run_now(merchant=merchant, report_number=number, raw_parameters=parameters, user=None,
                       trigger=RunTrigger.FOREGROUND)
    return run

