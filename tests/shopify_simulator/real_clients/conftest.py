"""The real-client tests' fixtures: no pacing, a ShopifyAPI session per shop, each client under test
by a shop's handle, and what a shop's documents point at."""
from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import shopify as shopify_api

from shopify_simulator.bucket import PLANS, LeakyBucket
from tests.fixtures.shopify_simulator import ShopifyHttp, shop_named
from tests.shopify_simulator.real_clients.clients import (
    GqlClient,
    Known,
    ShopifyApiClient,
    activate_session,
    known_in,
)


@pytest.fixture(autouse=True)
def unlimited(simulator):
    """Many documents in a row; pacing is test_throttling's subject, not these modules'."""
    for shop in simulator.shops:
        shop.bucket = LeakyBucket(PLANS["unlimited"])


@pytest.fixture
def shopify_api_session(simulator) -> Iterator[shopify_api.Session]:
    """The first shop's (demo-eu's) ShopifyAPI session."""
    try:
        yield activate_session(simulator, "demo-eu")
    finally:
        shopify_api.ShopifyResource.clear_session()


@pytest.fixture
def b2b_api_session(simulator) -> Iterator[shopify_api.Session]:
    """demo-uk's ShopifyAPI session: a shop selling to companies too."""
    try:
        yield activate_session(simulator, "demo-uk")
    finally:
        shopify_api.ShopifyResource.clear_session()


@pytest.fixture(params=["gql", "ShopifyAPI"])
def client_of(request, simulator) -> Iterator[Callable[[str], object]]:
    """The client under test holding a shop's token, by the shop's handle."""
    def client(handle: str):
        if request.param == "gql":
            return GqlClient(simulator, shop_named(simulator, handle).access_token)
        activate_session(simulator, handle)
        return ShopifyApiClient()

    try:
        yield client
    finally:
        shopify_api.ShopifyResource.clear_session()


@pytest.fixture
def known_of(simulator) -> Callable[[str], Known]:
    """What the documents' variables point at in a shop, by its handle."""
    return lambda handle: known_in(ShopifyHttp(simulator, shop_named(simulator, handle).access_token))


