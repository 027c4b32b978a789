"""A merchant connected to the simulator's first shop, without a rate limit (the `shop` fixture,
tests/fixtures/books.py): what most import tests here start from (tests about pacing and throttling
set up their own)."""
import pytest

from tests.factories.merchants import MerchantFactory


@pytest.fixture
def merchant(db, simulator, shop):
    return MerchantFactory(shop_domain=shop.domain, api_base_url=simulator.base_url, access_token=shop.access_token,
                           time_zone=shop.profile.time_zone, shop_currency=shop.profile.currency)
