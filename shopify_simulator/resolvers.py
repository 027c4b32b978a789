"""What the simulator answers: the root fields it resolves, over a shop's generated store.

Objects are plain dicts keyed by GraphQL field names (lists stand for connections and are paged
here) or objects with methods named after fields; `resolve_field` handles both for every field.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Iterator
from zoneinfo import ZoneInfo

from graphql import (
    GraphQLError,
    GraphQLResolveInfo,
    get_named_type,
    get_nullable_type,
    is_list_type,
)

from shopify_simulator.connections import list_connection, page_of
from shopify_simulator.customers import CUSTOMER_POOL, customer_view, customers
from shopify_simulator.order_index import to_ms
from shopify_simulator.payments import payments_account, payments_node
from shopify_simulator.request import RequestContext, iso, search_or_error
from shopify_simulator.search import (
    matches,
    parse_time,
    time_bounds,
)

if TYPE_CHECKING:
    from shopify_simulator.shop import SimulatedShop

_GID = re.compile(r"^gid://shopify/(?P<type>\w+)/(?P<id>\d+)$")
COUNT_LIMIT = 10_000


def resolve_field(parent, info: GraphQLResolveInfo, **args):
    name = info.field_name
    value = parent.get(name) if isinstance(parent, dict) else getattr(parent, name, None)
    if callable(value):
        return value(info, **args)
    if isinstance(value, list):
        named = get_named_type(info.return_type)
        if named.name.endswith("Connection") and not is_list_type(get_nullable_type(info.return_type)):
            return list_connection(value, args, unlimited=info.context.bulk)
        if args.get("first") is not None and not info.context.bulk:
            return value[: args["first"]]
    return value


def parse_gid(gid: str) -> tuple[str, int] | None:
    match = _GID.match(gid or "")
    return (match["type"], int(match["id"])) if match else None


# Orders -----------------------------------------------------------------------------------------

_FULFILLMENT_TERMS = {
    "FULFILLED": {"fulfilled", "shipped"},
    "UNFULFILLED": {"unfulfilled", "unshipped"},
    "PARTIALLY_FULFILLED": {"partial", "partially_fulfilled", "unshipped"},
    "IN_PROGRESS": {"unfulfilled", "in_progress"},
    "ON_HOLD": {"on_hold", "unfulfilled"},
    "SCHEDULED": {"scheduled", "unfulfilled"},
}


def order_search_value(view: dict, field: str):
    if field == "updated_at":
        return parse_time(view["updatedAt"])
    if field == "created_at":
        return parse_time(view["createdAt"])
    if field == "processed_at":
        return parse_time(view.get("processedAt") or view["createdAt"])
    if field == "financial_status":
        status = (view.get("displayFinancialStatus") or "").lower()
        return {status, "unpaid"} if status in ("pending", "authorized", "partially_paid") else {status}
    if field == "fulfillment_status":
        return _FULFILLMENT_TERMS.get(view.get("displayFulfillmentStatus") or "", set())
    if field == "status":
        if view.get("cancelledAt"):
            return {"cancelled", "closed"} if view.get("closed") else {"cancelled", "not_closed"}
        return {"closed"} if view.get("closed") else {"open", "not_closed"}
    if field == "test":
        return bool(view.get("test"))
    if field == "name":
        name = view.get("name") or ""
        return {name, name.lstrip("#")}
    if field == "id":
        return int(view["legacyResourceId"])
    if field == "gateway":
        return {t.get("gateway") for t in view.get("transactions") or []}
    if field == "email":
        return view.get("email") or ""
    if field == "":
        return {view.get("name") or "", (view.get("name") or "").lstrip("#"), view.get("email") or ""}
    return None


class OrderListing:
    """Matching orders of a shop in the requested order, for pages, counts and bulk exports."""

    def __init__(self, shop: "SimulatedShop", now: datetime, *, sort_key: str, reverse: bool,
                 query: str | None) -> None:
        self.shop, self.now = shop, now
        self.sort_key = sort_key if sort_key in ("UPDATED_AT", "CREATED_AT", "ID", "PROCESSED_AT") else "ID"
        self.reverse = bool(reverse)
        self.search = search_or_error(query)
        self.visible_from = shop.orders.visible_from(shop.scopes)

    def matching(self, after_key: int | None = None, reverse: bool | None = None) -> Iterator[tuple[int, dict]]:
        """(cursor key, order view) of every matching order after the cursor key."""
        reverse = self.reverse if reverse is None else reverse
        index = self.shop.orders
        index.refresh()
        if self.sort_key == "UPDATED_AT":
            bounds = time_bounds(self.search, "updated_at")
            candidates = index.numbers_by_updated(
                after_key=after_key, reverse=reverse,
                lower_ms=to_ms(bounds.lower) if bounds.lower else None,
                upper_ms=to_ms(bounds.upper) if bounds.upper else None,
            )
        else:
            bounds = time_bounds(self.search, "created_at")
            lower = bounds.lower
            if self.visible_from and (lower is None or lower < self.visible_from):
                lower = self.visible_from
            candidates = index.numbers_by_created(after_number=after_key, reverse=reverse, lower=lower,
                                                  upper=bounds.upper)
        for key, number in candidates:
            view = index.view(number, self.now)
            if self.visible_from and parse_time(view["createdAt"]) < self.visible_from:
                continue
            if matches(self.search, lambda field: order_search_value(view, field)):
                yield key, view

    def page(self, args: dict) -> dict:
        def items_after(cursor: dict | None, descending: bool):
            after_key = None
            if cursor is not None:
                if cursor.get("s") != self.sort_key:
                    raise GraphQLError("Invalid cursor for current pagination sort.",
                                       extensions={"code": "BAD_REQUEST"})
                after_key = int(cursor["k"])
            for key, view in self.matching(after_key, reverse=descending):
                yield {"s": self.sort_key, "k": key}, view

        return page_of(items_after, args, reverse=self.reverse)


# Roots ------------------------------------------------------------------------------------------

class QueryRoot:
    def __init__(self, context: RequestContext) -> None:
        self.context = context
        self.shop_state = context.shop

    def shop(self, info, **args) -> dict:
        shop = self.shop_state
        profile = shop.profile
        zone = ZoneInfo(profile.time_zone)
        local = self.context.now.astimezone(zone)
        offset_minutes = int(local.utcoffset().total_seconds() // 60)
        sign = "+" if offset_minutes >= 0 else "-"
        return {
            "id": shop.shop_gid(), "name": profile.name, "email": f"owner@{profile.domain}",
            "contactEmail": f"hello@{profile.domain}", "myshopifyDomain": profile.domain,
            "url": f"https://{profile.domain}", "currencyCode": profile.currency,
            "ianaTimezone": profile.time_zone, "timezoneAbbreviation": local.tzname(),
            "timezoneOffsetMinutes": offset_minutes,
            "timezoneOffset": f"{sign}{abs(offset_minutes) // 60:02d}{abs(offset_minutes) % 60:02d}",
            "taxesIncluded": profile.taxes_included, "weightUnit": "KILOGRAMS",
            "enabledPresentmentCurrencies": [profile.currency, *profile.presentment_currencies],
            "plan": {"displayName": shop.plan.display_name, "partnerDevelopment": False,
                     "shopifyPlus": shop.plan.is_plus},
            "primaryDomain": {"id": f"gid://shopify/Domain/{shop.shop_gid().rsplit('/', 1)[1]}",
                              "host": profile.domain, "url": f"https://{profile.domain}", "sslEnabled": True},
        }

    def currentAppInstallation(self, info, **args) -> dict:
        return {
            "id": f"gid://shopify/AppInstallation/{self.shop_state.shop_gid().rsplit('/', 1)[1]}",
            "accessScopes": [{"handle": h, "description": h.replace("_", " ")} for h in sorted(self.shop_state.scopes)],
            "app": {"id": "gid://shopify/App/1", "title": "syncsite", "handle": "syncsite"},
        }

    def locations(self, info, **args) -> dict:
        return list_connection([location_view(loc) for loc in self.shop_state.profile.locations], args,
                               unlimited=self.context.bulk)

    def orders(self, info, sortKey="ID", reverse=False, query=None, **args) -> dict:
        listing = OrderListing(self.shop_state, self.context.now, sort_key=sortKey, reverse=reverse, query=query)
        return listing.page(args)

    def order(self, info, id) -> dict | None:
        number = order_number(self.shop_state, id)
        return None if number is None else self.shop_state.orders.view(number, self.context.now)

    def ordersCount(self, info, query=None, limit=COUNT_LIMIT, savedSearchId=None) -> dict:
        listing = OrderListing(self.shop_state, self.context.now, sort_key="ID", reverse=False, query=query)
        limit = COUNT_LIMIT if limit is None else limit
        count = 0
        for _ in listing.matching():
            count += 1
            if count > limit:
                return {"count": limit, "precision": "AT_LEAST"}
        return {"count": count, "precision": "EXACT"}

    def customers(self, info, **args) -> dict:
        return customers(self.context, args)

    def node(self, info, id) -> dict | None:
        return resolve_node(self.context, id)

    def nodes(self, info, ids) -> list:
        if len(ids) > 250:
            raise GraphQLError("The ids argument accepts at most 250 ids.", extensions={"code": "BAD_REQUEST"})
        return [resolve_node(self.context, gid) for gid in ids]

    def shopifyPaymentsAccount(self, info) -> dict:
        return payments_account(self.context)

    def currentBulkOperation(self, info, type="QUERY") -> dict | None:
        operations = [op for op in self.shop_state.bulk_operations.values() if op.type == type]
        return operations[-1].view() if operations else None

    def webhookSubscriptions(self, info, topics=None, callbackUrl=None, **args) -> dict:
        subscriptions = [
            subscription_view(s) for s in self.shop_state.webhooks.values()
            if (not topics or s.topic in topics) and (not callbackUrl or s.callback_url == callbackUrl)
        ]
        return list_connection(subscriptions, args)


def order_number(shop: "SimulatedShop", gid: str) -> int | None:
    parsed = parse_gid(gid)
    if parsed is None or parsed[0] != "Order":
        return None
    number = parsed[1] - shop.generator.order_id_base
    return number if shop.orders.exists(number) else None


def location_view(location) -> dict:
    return {"__typename": "Location", "id": location.gid, "name": location.name, "isActive": True,
            "fulfillsOnlineOrders": True}


def subscription_view(subscription) -> dict:
    return {
        "__typename": "WebhookSubscription", "id": subscription.gid, "topic": subscription.topic,
        "format": subscription.format, "createdAt": iso(subscription.created_at),
        "updatedAt": iso(subscription.created_at), "apiVersion": {"handle": "2025-01", "displayName": "2025-01",
                                                                  "supported": True},
        "legacyResourceId": subscription.gid.rsplit("/", 1)[1], "includeFields": [], "metafieldNamespaces": [],
        "filter": None, "endpoint": {"__typename": "WebhookHttpEndpoint", "callbackUrl": subscription.callback_url},
    }


def resolve_node(context: RequestContext, gid: str) -> dict | None:
    parsed = parse_gid(gid)
    if parsed is None:
        raise GraphQLError(f"Invalid global id '{gid}'", extensions={"code": "BAD_REQUEST"})
    kind, _ = parsed
    shop = context.shop
    if kind == "Order":
        number = order_number(shop, gid)
        return None if number is None else shop.orders.view(number, context.now)
    if kind in ("FulfillmentOrder", "Refund"):
        return _order_child(context, kind, gid, parsed[1])
    if kind == "BulkOperation":
        operation = shop.bulk_operations.get(gid)
        return operation.view() if operation else None
    if kind == "Customer":
        index = parsed[1] - shop.profile.customer_id_base
        return customer_view(context, index) if 0 <= index < CUSTOMER_POOL else None
    if kind == "Location":
        return next((location_view(loc) for loc in shop.profile.locations if loc.gid == gid), None)
    if kind == "WebhookSubscription":
        subscription = shop.webhooks.get(gid)
        return subscription_view(subscription) if subscription else None
    if kind in ("ShopifyPaymentsPayout", "ShopifyPaymentsBalanceTransaction"):
        return payments_node(context, kind, gid)
    return None


def _order_child(context: RequestContext, kind: str, gid: str, child_id: int) -> dict | None:
    """A refund or fulfillment order; their IDs are the order's ID × 10 + a count."""
    shop = context.shop
    number = child_id // 10 - shop.generator.order_id_base
    if not shop.orders.exists(number):
        return None
    view = shop.orders.view(number, context.now)
    items = view.get("refunds") if kind == "Refund" else view.get("fulfillmentOrders")
    found = next((item for item in items or [] if item.get("id") == gid), None)
    return {"__typename": kind, **found} if found else None
