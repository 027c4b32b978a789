"""A merchant connected to demo-us, a shop selling to companies (the `simulator` and `demo_us`
fixtures come from tests/fixtures/shopify_simulator.py)."""
import pytest

from tests.fixtures.shopify_simulator import shop_named
from tests.syncjobs.companies.helpers import b2b_merchant


@pytest.fixture
def us_shop(simulator, demo_us):
    return shop_named(simulator, "demo-us")


@pytest.fixture
def merchant(db, simulator, demo_us):
    """demo-us's shop card: every company imported, mapped by email/phone, nothing created."""
    return b2b_merchant(simulator, "demo-us")
