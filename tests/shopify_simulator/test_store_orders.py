"""The simulator's generated orders: deterministic, realistic, and shaped like Shopify's GraphQL (their money,
exact to the cent: test_store_order_money)."""
from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    get_named_type,
    is_abstract_type,
)

from shopify_simulator.schema import admin_schema
from shopify_simulator.store.orders import (
    BIG_ORDER_LINES,
    MAX_EVENT_DELAY,
    OrderGenerator,
    big_order_number,
)
from shopify_simulator.store.profiles import SHOP_PROFILES

ANCHOR = datetime(2025, 4, 1, tzinfo=timezone.utc)
LATER = ANCHOR + timedelta(days=60)          # every event of every order has happened
TOTAL = 500
# Deprecated in 2025-01 but without a replacement in that version (see shared/research/shopify-api.md).
# (Customer.defaultEmailAddress, which replaces both, arrives after 2025-01.)
ALLOWED_DEPRECATED = {("Customer", "email"), ("Customer", "emailMarketingConsent")}
ALLOWED_DEPRECATED_ENUM_VALUES = {("ShopifyPaymentsPayoutStatus", "IN_TRANSIT"),
                                  ("ShopifyPaymentsBalanceTransactionPayoutStatus", "IN_TRANSIT")}
_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


@lru_cache(maxsize=None)
def generator(handle: str = "demo-eu", *, seed: int = 42, total: int = TOTAL) -> OrderGenerator:
    profile = next(p for p in SHOP_PROFILES if p.handle == handle)
    return OrderGenerator(profile, seed=seed, anchor=ANCHOR, total=total)


@lru_cache(maxsize=None)
def views(handle: str = "demo-eu") -> tuple[dict, ...]:
    store = generator(handle)
    return tuple(store.order(number).view(LATER) for number in range(TOTAL))


def shop(bag: dict) -> Decimal:
    return Decimal(bag["shopMoney"]["amount"])


def presented(bag: dict) -> Decimal:
    return Decimal(bag["presentmentMoney"]["amount"])


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def parse(moment: str) -> datetime:
    return datetime.strptime(moment, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def local_date(view: dict, field: str, zone: str):
    return parse(view[field]).astimezone(ZoneInfo(zone)).date()


# Schema conformance (also used by the payout tests) ------------------------------------------------

def assert_conforms(value, graphql_type, path: str = "") -> None:
    """`value` has the shape GraphQL gives `graphql_type`: known, non-deprecated fields, right scalars,
    non-null fields not None, "__typename" on abstract types; connections may be plain lists."""
    schema = admin_schema()
    if isinstance(graphql_type, GraphQLNonNull):
        assert value is not None, f"{path} is non-null"
        graphql_type = graphql_type.of_type
    if value is None:
        return
    if isinstance(graphql_type, GraphQLList):
        assert isinstance(value, list), f"{path} should be a list"
        for position, item in enumerate(value):
            assert_conforms(item, graphql_type.of_type, f"{path}[{position}]")
        return
    named = get_named_type(graphql_type)
    if isinstance(value, list) and isinstance(named, GraphQLObjectType) and named.name.endswith("Connection"):
        assert_conforms(value, named.fields["nodes"].type, path)
        return
    if isinstance(named, GraphQLScalarType):
        _assert_scalar(value, named.name, path)
        return
    if isinstance(named, GraphQLEnumType):
        assert value in named.values, f"{path}: {value!r} is not a {named.name}"
        if named.values[value].deprecation_reason:
            assert (named.name, value) in ALLOWED_DEPRECATED_ENUM_VALUES, f"{path}: {named.name}.{value} is deprecated"
        return
    assert isinstance(value, dict), f"{path} should be an object"
    if is_abstract_type(named):
        assert "__typename" in value, f"{path}: abstract {named.name} needs __typename"
        runtime = schema.get_type(value["__typename"])
        assert runtime in schema.get_possible_types(named), f"{path}: {value['__typename']} is not a {named.name}"
        named = runtime
    for key, item in value.items():
        if key == "__typename":
            assert item == named.name, f"{path}: __typename {item} on a {named.name}"
            continue
        assert key in named.fields, f"{path}: {named.name} has no field {key}"
        field = named.fields[key]
        if field.deprecation_reason:
            assert (named.name, key) in ALLOWED_DEPRECATED, f"{path}.{key}: {named.name}.{key} is deprecated"
        assert_conforms(item, field.type, f"{path}.{key}")


def _assert_scalar(value, name: str, path: str) -> None:
    if name == "Boolean":
        assert isinstance(value, bool), path
    elif name == "Int":
        assert isinstance(value, int) and not isinstance(value, bool), path
    elif name == "Float":
        assert isinstance(value, float), path
    elif name == "DateTime":
        assert isinstance(value, str) and _DATETIME.match(value), f"{path}: {value!r}"
    elif name in ("Decimal", "Money"):
        assert isinstance(value, str) and _DECIMAL.match(value), f"{path}: {value!r}"
    elif name in ("UnsignedInt64", "BigInt"):
        assert isinstance(value, str) and value.lstrip("-").isdigit(), f"{path}: {value!r}"
    elif name == "ID":
        assert isinstance(value, str) and value.startswith("gid://shopify/"), f"{path}: {value!r}"
    else:
        assert isinstance(value, str), f"{path}: {value!r}"


# Profiles -------------------------------------------------------------------------------------------

def test_the_four_demo_shops_in_order():
    """The EU shop comes first; currencies, zones and tax setups are the four the demo needs."""
    assert [p.handle for p in SHOP_PROFILES] == ["demo-eu", "demo-us", "demo-uk", "demo-au"]
    eu, us, uk, au = SHOP_PROFILES
    assert (eu.currency, eu.time_zone, eu.taxes_included, eu.shipping_taxed) == ("EUR", "Europe/Paris", True, True)
    assert [t.rate for t in eu.standard_taxes] == [Decimal("0.2")]
    assert [t.rate for t in eu.reduced_taxes] == [Decimal("0.055")]
    assert {"GBP", "USD"} <= set(eu.presentment_currencies)
    assert (us.currency, us.time_zone, us.taxes_included, us.shipping_taxed) == ("USD", "America/New_York", False,
                                                                                   False)
    assert [(t.title, t.rate) for t in us.standard_taxes] == [("NY State Tax", Decimal("0.04")),
                                                                ("New York City Tax", Decimal("0.045"))]
    assert us.reduced_taxes == ()
    assert (uk.currency, uk.time_zone, uk.taxes_included) == ("GBP", "Europe/London", True)
    assert {t.rate for t in uk.standard_taxes + uk.reduced_taxes} == {Decimal("0.2"), Decimal("0.05")}
    assert (au.currency, au.time_zone, au.taxes_included) == ("AUD", "Australia/Sydney", True)
    assert [t.rate for t in au.standard_taxes] == [Decimal("0.1")]
    for profile in SHOP_PROFILES:
        assert profile.domain == f"{profile.handle}.myshopify.com"
        assert len({location.gid for location in profile.locations}) >= 2


# Determinism and time layout ----------------------------------------------------------------------

def test_the_same_inputs_give_the_same_store():
    """Two generators built alike answer identically, down to every view."""
    # given
    first = OrderGenerator(SHOP_PROFILES[0], seed=7, anchor=ANCHOR, total=300)
    second = OrderGenerator(SHOP_PROFILES[0], seed=7, anchor=ANCHOR, total=300)
    # when / then
    for number in range(0, 300, 7):
        assert first.timeline(number) == second.timeline(number)
        assert json.dumps(first.order(number).view(LATER)) == json.dumps(second.order(number).view(LATER))


def test_another_seed_gives_another_store():
    """A different seed changes creation times and contents."""
    # given
    first = OrderGenerator(SHOP_PROFILES[1], seed=1, anchor=ANCHOR, total=300)
    second = OrderGenerator(SHOP_PROFILES[1], seed=2, anchor=ANCHOR, total=300)
    # when
    differing = sum(json.dumps(first.order(n).view(LATER)) != json.dumps(second.order(n).view(LATER))
                    for n in range(3, 300, 10))
    # then
    assert differing >= 25
    assert any(first.created_at(n) != second.created_at(n) for n in range(3, 300, 10))


@pytest.mark.parametrize("profile", SHOP_PROFILES, ids=lambda p: p.handle)
def test_creation_times_increase_before_the_anchor_and_crowd_the_last_month(profile):
    """Creation times strictly increase, span 400 days before the anchor, half in the last 30 days."""
    # given
    store = generator(profile.handle)
    # when
    created = [store.created_at(number) for number in range(TOTAL)]
    # then
    assert all(a < b for a, b in zip(created, created[1:]))
    assert created[0] >= ANCHOR - timedelta(days=400)
    assert created[-1] < ANCHOR
    assert all(moment.tzinfo is not None and moment.utcoffset() == timedelta(0) for moment in created)
    recent = sum(moment >= ANCHOR - timedelta(days=30) for moment in created)
    assert 0.45 * TOTAL <= recent <= 0.55 * TOTAL
    zone = ZoneInfo(profile.time_zone)
    yesterday = (ANCHOR - timedelta(seconds=1)).astimezone(zone).date() - timedelta(days=1)
    assert sum(moment.astimezone(zone).date() == yesterday for moment in created) >= 5


def test_creation_times_strictly_increase_in_a_million_order_store():
    """Even a dense store keeps whole-second creation times strictly increasing, pins included."""
    store = generator("demo-us", total=1_000_000)
    pinned = sorted(store.planner.pinned_numbers())
    windows = [range(max(0, n - 300), min(1_000_000, n + 300)) for n in pinned + [999_700]]
    for window in windows:
        created = [store.created_at(number) for number in window]
        assert all(a < b for a, b in zip(created, created[1:]))
    assert store.created_at(999_999) < ANCHOR


@pytest.mark.parametrize("profile", SHOP_PROFILES, ids=lambda p: p.handle)
def test_events_come_after_creation_within_the_maximum_delay(profile):
    """Every event is after the creation, sorted, and within MAX_EVENT_DELAY; timelines match orders."""
    assert MAX_EVENT_DELAY == timedelta(days=10)
    store = generator(profile.handle)
    for number in range(TOTAL):
        timeline = store.timeline(number)
        assert timeline.number == number and timeline.created_at == store.created_at(number)
        times = timeline.event_times
        assert list(times) == sorted(times)
        assert all(timeline.created_at < moment <= timeline.created_at + MAX_EVENT_DELAY for moment in times)
        assert store.order(number).timeline == timeline


@pytest.mark.parametrize("profile", SHOP_PROFILES, ids=lambda p: p.handle)
def test_orders_sit_minutes_either_side_of_local_midnight(profile):
    """Some orders are placed in the five minutes before local midnight, some in the five after."""
    zone = ZoneInfo(profile.time_zone)
    local = [generator(profile.handle).created_at(n).astimezone(zone) for n in range(TOTAL)]
    before = [moment for moment in local if moment.hour == 23 and moment.minute >= 55]
    after = [moment for moment in local if moment.hour == 0 and moment.minute < 5]
    assert len(before) >= 3 and len(after) >= 3


@pytest.mark.parametrize("profile", SHOP_PROFILES, ids=lambda p: p.handle)
def test_orders_on_every_dst_change_of_the_period(profile):
    """Each DST change of the period has orders just before and after it; when clocks go back, two
    orders share a wall-clock time in the repeated hour, one in each fold."""
    store = generator(profile.handle)
    zone = ZoneInfo(profile.time_zone)
    changes = store.dst_changes()
    assert len(changes) >= 2
    created = {store.created_at(n) for n in range(TOTAL)}
    for change in changes:
        assert change - timedelta(seconds=90) in created and change + timedelta(seconds=90) in created
        early, late = change - timedelta(minutes=30), change + timedelta(minutes=30)
        assert early in created and late in created
        early_local, late_local = early.astimezone(zone), late.astimezone(zone)
        if late_local.utcoffset() < early_local.utcoffset():       # fall back
            assert early_local.replace(tzinfo=None) == late_local.replace(tzinfo=None)
            assert (early_local.fold, late_local.fold) == (0, 1)
        else:                                                     # spring forward: the hour is skipped
            assert (late_local.replace(tzinfo=None) - early_local.replace(tzinfo=None)) == timedelta(hours=2)


def test_one_big_order_among_the_most_recent():
    """Exactly one order has more than 250 lines: BIG_ORDER_LINES lines, among the 20 most recent,
    over two locations, one of them holding more than 250 lines."""
    assert big_order_number(TOTAL) == TOTAL - 3 and big_order_number(19) is None
    big = [number for number, view in enumerate(views("demo-eu")) if len(view["lineItems"]) > 250]
    assert big == [big_order_number(TOTAL)]
    assert big[0] >= TOTAL - 20
    view = views("demo-eu")[big[0]]
    assert len(view["lineItems"]) == BIG_ORDER_LINES
    locations = [fo["assignedLocation"]["location"]["id"] for fo in view["fulfillmentOrders"]]
    assert len(set(locations)) == 2
    assert max(len(fo["lineItems"]) for fo in view["fulfillmentOrders"]) > 250


# Realism --------------------------------------------------------------------------------------------

def test_the_main_store_has_every_kind_of_order():
    """In 500 orders of demo-eu: several tax rates, each kind of discount, shipping, tips, gift cards
    sold and redeemed, partial and full refunds days later, four gateways, fees and fee refunds,
    unpaid and late-paid orders, authorizations captured a later day, two-location fulfillment,
    cancellations, edits, test orders, other presentment currencies and a declined card."""
    profile = SHOP_PROFILES[0]
    zone = profile.time_zone
    all_views = views("demo-eu")
    tax_rates = {t["rate"] for v in all_views for line in v["lineItems"] for t in line["taxLines"]}
    assert {0.2, 0.055} <= tax_rates
    applications = [a for v in all_views for a in v["discountApplications"]]
    kinds = {(a["__typename"], a["value"]["__typename"], a["targetType"]) for a in applications}
    assert ("DiscountCodeApplication", "PricingPercentageValue", "LINE_ITEM") in kinds
    assert ("DiscountCodeApplication", "MoneyV2", "LINE_ITEM") in kinds
    assert ("AutomaticDiscountApplication", "PricingPercentageValue", "LINE_ITEM") in kinds
    assert ("ManualDiscountApplication", "PricingPercentageValue", "LINE_ITEM") in kinds
    assert any(a["targetType"] == "SHIPPING_LINE" and a["__typename"] == "DiscountCodeApplication"
               for a in applications)
    assert any(s["discountAllocations"] for v in all_views for s in v["shippingLines"])
    assert sum(bool(v["shippingLines"]) for v in all_views) > 400
    assert sum(shop(v["totalTipReceivedSet"]) > 0 for v in all_views) >= 10
    assert any(line["isGiftCard"] for v in all_views for line in v["lineItems"])
    transactions = [(v, t) for v in all_views for t in v["transactions"]]
    assert {"shopify_payments", "paypal", "manual", "gift_card"} <= {t["gateway"] for _, t in transactions}
    assert any(t["gateway"] == "gift_card" and t["kind"] == "SALE" for _, t in transactions)
    assert any(len({t["gateway"] for t in v["transactions"] if t["status"] == "SUCCESS"}) == 2 for v in all_views)
    refunded = [v for v in all_views if v["refunds"] and not v["cancelledAt"]]
    assert any(v["displayFinancialStatus"] == "PARTIALLY_REFUNDED" for v in refunded)
    assert any(v["displayFinancialStatus"] == "REFUNDED" for v in refunded)
    assert all(parse(r["createdAt"]) - parse(v["createdAt"]) >= timedelta(days=2)
               for v in refunded for r in v["refunds"])
    assert any(len(v["refunds"]) == 2 for v in refunded)
    assert any(f["amount"]["amount"].startswith("-") for _, t in transactions if t["kind"] == "REFUND"
               for f in t["fees"])
    assert any(v["displayFinancialStatus"] == "PENDING" and v["transactions"][0]["status"] == "PENDING"
               and v["transactions"][0]["gateway"] == "manual" for v in views("demo-eu"))
    paid_later = [v for v in all_views if any(t["gateway"] == "manual" and t["status"] == "SUCCESS" for t in
                                              v["transactions"]) and v["transactions"][0]["status"] == "PENDING"]
    assert any(parse(t["processedAt"]) - parse(v["createdAt"]) >= timedelta(days=1)
               for v in paid_later for t in v["transactions"] if t["status"] == "SUCCESS")
    captures = [(v, t) for v, t in transactions if t["kind"] == "CAPTURE"]
    assert any(local_date(t, "processedAt", zone) > local_date(v, "createdAt", zone) for v, t in captures)
    assert all(t["parentTransaction"]["kind"] == "AUTHORIZATION" for _, t in captures)
    two_places = [v for v in all_views
                  if len({fo["assignedLocation"]["location"]["id"] for fo in v["fulfillmentOrders"]}) == 2]
    assert len(two_places) >= 10
    assert any(v["displayFulfillmentStatus"] == "FULFILLED" for v in two_places)
    cancelled = [v for v in all_views if v["cancelledAt"]]
    assert any(v["displayFinancialStatus"] == "REFUNDED" for v in cancelled)
    assert any(v["displayFinancialStatus"] == "VOIDED" and any(t["kind"] == "VOID" for t in v["transactions"])
               for v in cancelled)
    assert all(v["cancelReason"] and v["closed"] for v in cancelled)
    edited = [v for v in all_views if v["edited"]]
    assert edited and all(len([t for t in v["transactions"] if t["kind"] == "SALE"]) >= 2 for v in edited)
    tests = [v for v in all_views if v["test"]]
    assert tests and all(t["gateway"] == "bogus" for v in tests for t in v["transactions"])
    assert {"GBP", "USD"} & {v["presentmentCurrencyCode"] for v in all_views}
    assert any(t["status"] == "FAILURE" and t["errorCode"] == "CARD_DECLINED" for _, t in transactions)
    assert any(v["customer"] is None for v in all_views)
    assert {"UNFULFILLED", "FULFILLED", "PARTIALLY_FULFILLED"} <= {v["displayFulfillmentStatus"] for v in all_views}


# Time travel ----------------------------------------------------------------------------------------

def _first(condition, handle: str = "demo-eu"):
    store = generator(handle)
    for number in range(TOTAL):
        order = store.order(number)
        if condition(order):
            return order
    raise AssertionError("no such order")


def test_a_refund_is_invisible_until_it_happens():
    """Before its refund, an order shows no refund and its earlier status; after, both change."""
    # given
    order = _first(lambda o: o.refunds and not o.plan.cancelled)
    moment = order.refunds[0].time
    # when
    before = order.view(datetime.fromtimestamp(moment - 1, timezone.utc))
    after = order.view(datetime.fromtimestamp(moment, timezone.utc))
    # then
    assert before["refunds"] == [] and shop(before["totalRefundedSet"]) == 0
    assert len(after["refunds"]) == 1 and shop(after["totalRefundedSet"]) > 0
    assert parse(after["updatedAt"]) == datetime.fromtimestamp(moment, timezone.utc)
    assert parse(before["updatedAt"]) < parse(after["updatedAt"])


def test_an_edit_shows_its_line_and_payment_only_from_its_time():
    """Before the edit the added line and its SALE are hidden; from then on both show."""
    # given
    order = _first(lambda o: o.edit_line is not None)
    moment = datetime.fromtimestamp(order.plan.edited, timezone.utc)
    # when
    before, after = order.view(moment - timedelta(seconds=1)), order.view(moment)
    # then
    assert len(after["lineItems"]) == len(before["lineItems"]) + 1
    assert len(after["transactions"]) == len(before["transactions"]) + 1
    assert (before["edited"], after["edited"]) == (False, True)
    assert shop(after["totalPriceSet"]) - shop(before["totalPriceSet"]) == shop(after["transactions"][-1]["amountSet"])
    assert before["displayFinancialStatus"] == after["displayFinancialStatus"] == "PAID"
    assert shop(after["originalTotalPriceSet"]) == shop(before["totalPriceSet"])


def test_an_authorization_is_captured_later_and_a_cancellation_shows_when_it_happens():
    """An authorized order is AUTHORIZED until captured; a cancelled order is open until cancelled."""
    # given
    authorized = _first(lambda o: o.plan.captured)
    captured = datetime.fromtimestamp(authorized.plan.captured, timezone.utc)
    # when / then
    assert authorized.view(captured - timedelta(seconds=1))["displayFinancialStatus"] == "AUTHORIZED"
    assert authorized.view(captured)["displayFinancialStatus"] == "PAID"
    cancelled = _first(lambda o: o.plan.cancelled)
    moment = datetime.fromtimestamp(cancelled.plan.cancelled, timezone.utc)
    before, after = cancelled.view(moment - timedelta(seconds=1)), cancelled.view(moment)
    assert before["cancelledAt"] is None and after["cancelledAt"] == moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert after["closed"] and all(fo["status"] == "CLOSED" for fo in after["fulfillmentOrders"])


def test_updated_at_is_the_latest_event_so_far():
    """updatedAt is the creation before any event, then the latest event at or before now."""
    # given
    store = generator("demo-eu")
    order = store.order(next(n for n in range(TOTAL) if len(store.timeline(n).event_times) >= 2))
    created, events = order.created_at, order.timeline.event_times
    # when / then
    assert order.updated_at(created) == created
    assert order.updated_at(events[0]) == events[0]
    assert order.updated_at(events[-1] + timedelta(days=30)) == events[-1]
    assert order.view(events[0])["updatedAt"] == events[0].strftime("%Y-%m-%dT%H:%M:%SZ")


def test_orders_created_later_and_past_the_total():
    """An order can be moved to a new creation time (events move with it), and numbers past the
    total are orders too."""
    # given
    store = generator("demo-us")
    number = next(n for n in range(TOTAL) if store.order(n).refunds)
    original = store.order(number)
    moved_to = ANCHOR + timedelta(days=3, seconds=17)
    # when
    moved = store.order(number, created_at=moved_to)
    extra = store.order(TOTAL + 5)
    # then
    shift = moved_to - original.created_at
    assert moved.created_at == moved_to
    assert moved.timeline.event_times == tuple(moment + shift for moment in original.timeline.event_times)
    assert moved.view(moved_to + timedelta(days=20))["totalPriceSet"] == original.view(LATER)["totalPriceSet"]
    assert extra.gid == f"gid://shopify/Order/{store.order_id_base + TOTAL + 5}"
    assert extra.created_at >= ANCHOR
    assert store.created_at(TOTAL + 5) < store.created_at(TOTAL + 6)


# Shape ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("profile", SHOP_PROFILES, ids=lambda p: p.handle)
def test_views_match_the_2025_01_schema(profile):
    """Every key of a view is a non-deprecated field of its GraphQL type, with the right scalar shape,
    at creation time and once every event has happened."""
    order_type = admin_schema().get_type("Order")
    store = generator(profile.handle)
    for number in list(range(0, TOTAL, 3)) + [TOTAL - 3]:
        order = store.order(number)
        assert_conforms(order.view(order.created_at), order_type, f"{profile.handle}#{number}")
        assert_conforms(views(profile.handle)[number], order_type, f"{profile.handle}#{number}")


def test_ids_are_stable_and_distinct():
    """Order IDs follow the number; line, transaction and refund IDs never repeat across orders."""
    seen = Counter()
    for number, view in enumerate(views("demo-eu")):
        assert view["id"] == f"gid://shopify/Order/{5_000_000_000 + number}"
        assert view["legacyResourceId"] == str(5_000_000_000 + number)
        assert view["name"] == f"#{1001 + number}"
        for item in view["lineItems"] + view["transactions"] + view["refunds"] + view["fulfillmentOrders"]:
            seen[item["id"]] += 1
    assert max(seen.values()) == 1


# Speed ----------------------------------------------------------------------------------------------

def test_timelines_of_a_large_store_are_cheap():
    """100,000 timelines of a million-order store come without building orders (bench/ measures it)."""
    # given
    store = generator("demo-eu", total=1_000_000)
    # when
    latest = max(store.timeline(number).updated_at(LATER) for number in range(900_000, 1_000_000))
    # then
    assert latest <= ANCHOR + MAX_EVENT_DELAY
