"""One simulated shop: its generated store, credentials, cost bucket, faults and subscriptions."""
from __future__ import annotations

import hashlib
import itertools
import threading
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from shopify_simulator.bucket import PLANS, LeakyBucket, Plan
from shopify_simulator.clock import SimulatorClock
from shopify_simulator.faults import Faults
from shopify_simulator.order_index import OrderIndex
from shopify_simulator.store.catalog_generation import CatalogSize, generate_catalog
from shopify_simulator.store.companies_generation import generate_b2b
from shopify_simulator.store.customer_book import CustomerBook
from shopify_simulator.store.inventory import Inventory
from shopify_simulator.store.orders import CUSTOMER_POOL, OrderGenerator
from shopify_simulator.store.payouts import PayoutBook
from shopify_simulator.store.profiles import Location, ShopProfile

ACCESS_SCOPES = (
    "read_orders", "write_orders", "read_all_orders", "read_customers", "read_products", "write_products",
    "read_inventory", "write_inventory", "read_fulfillments", "write_fulfillments",
    "read_merchant_managed_fulfillment_orders", "write_merchant_managed_fulfillment_orders",
    "read_shopify_payments_payouts", "read_shopify_payments_disputes", "read_locations", "read_companies",
    "read_publications",
)


def credential(seed: int, handle: str, kind: str, prefix: str) -> str:
    """Shopify-looking credentials, stable for a seed so a demo can be restarted."""
    digest = hashlib.sha256(f"syncsite-simulator:{seed}:{handle}:{kind}".encode()).hexdigest()
    return f"{prefix}{digest[:32]}"


def with_locations(profile: ShopProfile, count: int) -> ShopProfile:
    """The profile with more own locations, so that it has `count` in all with the fulfillment
    service's; the orders only ever use the first two."""
    extra = count - len(profile.all_locations)
    if extra <= 0:
        return profile
    base = int(profile.locations[0].gid.rsplit("/", 1)[1]) + 20
    added = tuple(Location(gid=f"gid://shopify/Location/{base + i}", name=f"Warehouse {len(profile.locations) + i + 1}")
                  for i in range(extra))
    return replace(profile, locations=profile.locations + added)


@dataclass
class WebhookSubscription:
    gid: str
    topic: str           # GraphQL enum name, e.g. ORDERS_CREATE
    callback_url: str
    format: str
    created_at: datetime


@dataclass
class ShopSettings:
    throttle_status: int = 200           # 429: answer THROTTLED with HTTP 429 and Retry-After
    webhook_duplicates: float = 0.0      # probability a delivery is sent twice
    webhook_shuffle: bool = False        # deliver with random delays, so out of order
    refused_webhook_topics: tuple[str, ...] = ()   # webhookSubscriptionCreate answers a userError for these
    is_installed: bool = True
    # Shopify's "automatically archive the order" preference: a paid, fulfilled order is closed at
    # once. Off: it stays open until an app or the merchant closes it (orderClose).
    auto_archive: bool = True


@dataclass
class SimulatedShop:
    profile: ShopProfile
    seed: int
    clock: SimulatorClock
    total_orders: int
    plan: Plan = PLANS["basic"]
    scopes: frozenset[str] = frozenset(ACCESS_SCOPES)
    settings: ShopSettings = field(default_factory=ShopSettings)
    catalog_size: CatalogSize = CatalogSize()
    location_count: int = 0          # own locations plus the fulfillment service's; 0: the profile's
    customer_count: int = 0          # customers in the generated pool; 0: the CUSTOMER_POOL orders buy as
    b2b_catalogs: int = 0            # a B2B shop's extra company-location catalogs (store.companies_generation)
    base_url: str = ""               # where the simulator serves files (set by the simulator)

    def __post_init__(self) -> None:
        self.profile = with_locations(self.profile, self.location_count)
        self.access_token = credential(self.seed, self.profile.handle, "token", "shpat_")
        self.api_secret_key = credential(self.seed, self.profile.handle, "secret", "shpss_")
        self.generator = OrderGenerator(self.profile, seed=self.seed, anchor=self.clock.anchor,
                                        total=self.total_orders)
        self.orders = OrderIndex(self.generator, total=self.total_orders, now=self.clock.now,
                                 on_order_updated=self._order_updated_by_schedule,
                                 edited_customer=lambda number: self.customers.edited(number),
                                 auto_archive=lambda: self.settings.auto_archive,
                                 removed_locations=lambda: self.removed_locations)
        self.payouts = PayoutBook(self.generator, self.profile, extra_orders=self.orders.created_orders)
        # The catalog opens a year before the first order (the locations too: store.locations).
        opened = self.generator.created_at(0) - timedelta(days=365)
        self.catalog = generate_catalog(self.profile, seed=self.seed, opened=opened, size=self.catalog_size)
        self.inventory = Inventory(self.catalog, self.profile.all_locations,
                                   service_location=self.profile.fulfillment_service_location, seed=self.seed,
                                   handle=self.profile.handle, stamp=opened)
        self.customers = CustomerBook(self.profile, self.generator, pool_size=self.customer_count or CUSTOMER_POOL)
        # B2B: companies buying as customers of the orders' pool, and their catalogs (empty without the option).
        self.companies, self.price_lists = generate_b2b(self.profile, seed=self.seed, opened=opened,
                                                        catalog=self.catalog, pool_size=CUSTOMER_POOL,
                                                        extra_catalogs=self.b2b_catalogs)
        self.bucket = LeakyBucket(self.plan)
        self.faults = Faults(seed=self.seed)
        self.webhooks: dict[str, WebhookSubscription] = {}
        self.bulk_operations: dict[str, "object"] = {}
        self.lock = threading.RLock()
        self.removed_locations: set[str] = set()   # location GIDs removed from the shop (location_control.py)
        self._ids = itertools.count(1)
        self.on_event = None  # set by the simulator: (shop, topic, payload builder) -> None

    @property
    def domain(self) -> str:
        return self.profile.domain

    def next_id(self) -> int:
        return next(self._ids)

    def shop_gid(self) -> str:
        return f"gid://shopify/Shop/{int(hashlib.sha256(self.profile.handle.encode()).hexdigest()[:8], 16)}"

    def _order_updated_by_schedule(self, number: int) -> None:
        if self.on_event:
            self.on_event(self, "ORDERS_UPDATED", number)
