"""A B2B shop for the catalog tests: demo-us (company and market catalogs) with 60 products and 700
variants, enough for price lists of several hundred fixed prices; no cost limit. Helpers shared by
test_catalog_sync.py, test_catalog_prices.py and test_catalog_create.py (each declares its fixtures
from them)."""
from __future__ import annotations

import requests

from connectors.shopify.client import ClientSettings, ShopifyClient
from shopify_simulator.bucket import PLANS, LeakyBucket
from shopify_simulator.server import Simulator
from shopify_simulator.store.catalog_generation import CatalogSize
from tests.factories.merchants import MerchantFactory
from tests.fixtures.shopify_simulator import ANCHOR

FAST = ClientSettings(connect_timeout=5, read_timeout=15, max_attempts=5, backoff_base=0.01, backoff_cap=0.05)


def running_b2b_simulator():
    """demo-eu (no B2B) and demo-us, cheap to start (the catalog is built when first read); a
    generator for a fixture to `yield from`."""
    sim = Simulator(seed=7, orders=20, anchor=ANCHOR, port=0, shops=2,
                    catalog=CatalogSize(products=60, variants=700)).start()
    for shop in sim.shops:
        shop.bucket = LeakyBucket(PLANS["unlimited"])
    yield sim
    sim.stop()


def merchant_of(simulator, shop):
    return MerchantFactory(shop_domain=shop.domain, api_base_url=simulator.base_url, access_token=shop.access_token,
                           time_zone=shop.profile.time_zone, shop_currency=shop.profile.currency)


def client_for(merchant, client_settings: ClientSettings = FAST, **kwargs) -> ShopifyClient:
    """A client that retries at once (no back-off pauses) unless given a `sleep`."""
    kwargs.setdefault("sleep", lambda seconds: None)
    return ShopifyClient.for_merchant(merchant, client_settings=client_settings, **kwargs)


class ArmedSession(requests.Session):
    """Records the operations sent, by name, and sets one simulator fault just before the `nth` time
    `operation` is sent (1 = its first): a fault for that request and no other."""

    def __init__(self, shop, operation: str = "", kind: str = "", nth: int = 1, **rule) -> None:
        super().__init__()
        self.shop, self.operation, self.kind, self.nth, self.rule = shop, operation, kind, nth, rule
        self.sent: list[str] = []

    def post(self, url, json=None, **kwargs):
        name = (json or {}).get("operationName", "")
        self.sent.append(name)
        if self.operation and name == self.operation and self.sent.count(name) == self.nth:
            self.shop.faults.set(self.kind, next_requests=self.rule.pop("next_requests", 1), **self.rule)
        return super().post(url, json=json, **kwargs)

    def count(self, operation: str) -> int:
        return self.sent.count(operation)
