"""A shop of the simulator without a rate limit, and a merchant connected to it: what most import
tests here start from (tests about pacing and throttling set up their own)."""
import pytest

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
                           time_zone=shop.profile.time_zone, shop_currency=shop.profile.currency)
