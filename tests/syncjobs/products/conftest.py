"""A shop of the simulator without a rate limit, a merchant connected to it, and the books the sync
keeps: the built-in ledger or the in-memory target (every test here runs against both)."""
import pytest

from connectors.ledger.memory_target import InMemoryTarget
from connectors.ledger.target import books_kept_by, target_for
from shopify_simulator.bucket import PLANS, LeakyBucket
from tests.factories.merchants import MerchantFactory


@pytest.fixture
def shop(simulator):
    shop = simulator.shops[0]
    shop.bucket = LeakyBucket(PLANS["unlimited"])
    return shop


@pytest.fixture
def merchant(db, simulator, shop):
    return MerchantFactory(shop_domain=shop.domain, api_base_url=simulator.base_url, access_token=shop.access_token,
                           time_zone=shop.profile.time_zone, shop_currency=shop.profile.currency,
                           posting_mode="documents", sync_item_direction="from_shopify")


@pytest.fixture(params=["ledger", "in-memory"])
def books(request, db):
    if request.param == "ledger":
        yield target_for(None)
    else:
        with books_kept_by(InMemoryTarget()) as target:
            yield target
