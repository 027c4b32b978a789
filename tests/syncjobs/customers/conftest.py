"""A merchant connected to the simulator's first shop (the `shop` and `books` fixtures come from
tests/fixtures/books.py: every test taking `books` runs against both accounting targets)."""
import pytest

from tests.factories.merchants import MerchantFactory


@pytest.fixture
def merchant(db, simulator, shop):
    return MerchantFactory(shop_domain=shop.domain, api_base_url=simulator.base_url, access_token=shop.access_token,
                           time_zone=shop.profile.time_zone, shop_currency=shop.profile.currency,
                           customer_import="all_customers", posting_mode="documents")
