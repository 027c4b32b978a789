"""demo-us, a shop selling to companies, with a catalog large enough for price syncs of several
calls (40 products, about 420 variants: its contract catalogs offer every product), and its shop
card; a fresh simulator per test (it starts in milliseconds), so one test's prices never reach
another."""
import pytest

from shopify_simulator.bucket import PLANS, LeakyBucket
from shopify_simulator.server import Simulator
from shopify_simulator.store.catalog_generation import CatalogSize
from tests.factories.merchants import MerchantFactory
from tests.fixtures.shopify_simulator import ANCHOR, shop_named


@pytest.fixture
def b2b_simulator():
    sim = Simulator(seed=7, orders=20, anchor=ANCHOR, port=0, shops=2,
                    catalog=CatalogSize(products=40, variants=420)).start()
    sim.bulk_start_delay = 0.05
    for shop in sim.shops:
        shop.bucket = LeakyBucket(PLANS["unlimited"])
    yield sim
    sim.stop()


@pytest.fixture
def us_shop(b2b_simulator):
    return shop_named(b2b_simulator, "demo-us")


@pytest.fixture
def merchant(db, b2b_simulator, us_shop):
    """demo-us's card: unknown variants become ledger items (at their Shopify prices)."""
    return MerchantFactory(code="DEMO-US", shop_domain=us_shop.domain, api_base_url=b2b_simulator.base_url,
                           access_token=us_shop.access_token, time_zone=us_shop.profile.time_zone,
                           shop_currency=us_shop.profile.currency, auto_create_unknown_items=True)
