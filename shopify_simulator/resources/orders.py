"""Orders: listing, search, counts, lookup by GID (with their refunds, fulfillment orders and returns),
bulk export and orderUpdate (the connector's main resource)."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Iterator

from graphql import GraphQLError

from shopify_simulator.api.connections import page_of
from shopify_simulator.api.nodes import parse_gid
from shopify_simulator.api.registry import bulk_source, mutation, node_type, query_field
from shopify_simulator.api.request import RequestContext, iso, search_or_error
from shopify_simulator.api.search import matches, parse_time, time_bounds
from shopify_simulator.api.user_errors import refused
from shopify_simulator.order_index import to_ms
from shopify_simulator.resources.companies import purchasing_entity
from shopify_simulator.store.order_view import COMPANY_BUYERS
from shopify_simulator.store.places import COUNTRIES

if TYPE_CHECKING:
    from shopify_simulator.shop import SimulatedShop

COUNT_LIMIT = 10_000
# What makes two MailingAddresses the same place (billingAddressMatchesShippingAddress).
_PLACE = ("name", "company", "address1", "address2", "city", "zip", "provinceCode", "countryCodeV2")


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
    if field == "tag":
        return set(view.get("tags") or [])
    if field == "return_status":
        return (view.get("returnStatus") or "").lower()
    if field == "sku":
        return {line.get("sku") for line in view.get("lineItems") or [] if line.get("sku")}
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
            if not index.exists(number):   # deleted
                continue
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


@query_field("orders")
def orders(context: RequestContext, info, sortKey="ID", reverse=False, query=None, **args) -> dict:
    listing = OrderListing(context.shop, context.now, sort_key=sortKey, reverse=reverse, query=query)
    return listing.page(args)


@query_field("order")
def order(context: RequestContext, info, id) -> dict | None:
    number = order_number(context.shop, id)
    return None if number is None else context.shop.orders.view(number, context.now)


@query_field("ordersCount")
def orders_count(context: RequestContext, info, query=None, limit=COUNT_LIMIT, savedSearchId=None) -> dict:
    listing = OrderListing(context.shop, context.now, sort_key="ID", reverse=False, query=query)
    limit = COUNT_LIMIT if limit is None else limit
    count = 0
    for _ in listing.matching():
        count += 1
        if count > limit:
            return {"count": limit, "precision": "AT_LEAST"}
    return {"count": count, "precision": "EXACT"}


@bulk_source("orders")
def orders_to_export(context: RequestContext, args: dict) -> Iterator[tuple[int, dict]]:
    listing = OrderListing(context.shop, context.now, sort_key=args.get("sortKey") or "ID",
                           reverse=args.get("reverse") or False, query=args.get("query"))
    return listing.matching()


def order_number(shop: "SimulatedShop", gid: str) -> int | None:
    parsed = parse_gid(gid)
    if parsed is None or parsed[0] != "Order":
        return None
    number = parsed[1] - shop.generator.order_id_base
    return number if shop.orders.exists(number) else None


@node_type("Order")
def order_node(context: RequestContext, gid: str, number: int) -> dict | None:
    found = order_number(context.shop, gid)
    return None if found is None else context.shop.orders.view(found, context.now)


_CHILDREN = {"Refund": "refunds", "FulfillmentOrder": "fulfillmentOrders", "Return": "returns"}


@node_type("FulfillmentOrder", "Refund", "Return")
def order_child_node(context: RequestContext, gid: str, child_id: int) -> dict | None:
    """A refund, fulfillment order or return; their IDs are the order's ID × 10 + a count."""
    kind = parse_gid(gid)[0]
    shop = context.shop
    number = child_id // 10 - shop.generator.order_id_base
    if not shop.orders.exists(number):
        return None
    view = shop.orders.view(number, context.now)
    found = next((item for item in view.get(_CHILDREN[kind]) or [] if item.get("id") == gid), None)
    return {"__typename": kind, **found} if found else None


@node_type("ReverseFulfillmentOrder")
def reverse_fulfillment_order_node(context: RequestContext, gid: str, child_id: int) -> dict | None:
    """A return's reverse fulfillment order; its ID is the return's ID × 10 + a count."""
    shop = context.shop
    number = child_id // 100 - shop.generator.order_id_base
    if not shop.orders.exists(number):
        return None
    view = shop.orders.view(number, context.now)
    found = next((item for returned in view.get("returns") or [] for item in returned["reverseFulfillmentOrders"]
                  if item["id"] == gid), None)
    return {"__typename": "ReverseFulfillmentOrder", **found} if found else None


@query_field("return")
def return_by_id(context: RequestContext, info, id) -> dict | None:
    parsed = parse_gid(id)
    return order_child_node(context, id, parsed[1]) if parsed and parsed[0] == "Return" else None


@query_field("reverseFulfillmentOrder")
def reverse_fulfillment_order(context: RequestContext, info, id) -> dict | None:
    parsed = parse_gid(id)
    return reverse_fulfillment_order_node(context, id, parsed[1]) \
        if parsed and parsed[0] == "ReverseFulfillmentOrder" else None


@mutation("orderUpdate")
def order_update(context: RequestContext, info, input) -> dict:
    """Each field given replaces the order's (tags and custom attributes as whole lists); updatedAt
    moves and orders/updated is sent, so the app sees its own change come back."""
    shop = context.shop
    number = order_number(shop, input.get("id", ""))
    if number is None:
        return refused("order", ["id"], "Order does not exist")
    changes = {}
    if input.get("customAttributes") is not None:
        changes["customAttributes"] = [{"key": a["key"], "value": a.get("value")}
                                       for a in input["customAttributes"]]
    for field in ("note", "email", "poNumber"):
        if field in input:
            changes[field] = input[field]
    if input.get("tags") is not None:
        changes["tags"] = list(dict.fromkeys(tag.strip() for tag in input["tags"] if tag.strip()))
    with shop.lock:
        if input.get("shippingAddress") is not None:
            current = shop.orders.view(number, context.now)
            address = shipping_address(current.get("shippingAddress"), input["shippingAddress"])
            changes["shippingAddress"] = address
            changes["billingAddressMatchesShippingAddress"] = _same_place(current.get("billingAddress"), address)
        shop.orders.change(number, changes)
    _emit(context, "ORDERS_UPDATED", number)
    return {"order": shop.orders.view(number, context.now), "userErrors": []}


@mutation("orderClose")
def order_close(context: RequestContext, info, input) -> dict:
    """Close (archive) an open order: closedAt now, updatedAt moves, orders/updated. An order already
    closed is answered as it is."""
    return _set_closed(context, input.get("id"), closed=True)


@mutation("orderOpen")
def order_open(context: RequestContext, info, input) -> dict:
    """Reopen (unarchive) a closed order; a cancelled one stays cancelled."""
    return _set_closed(context, input.get("id"), closed=False)


def _set_closed(context: RequestContext, gid: str | None, *, closed: bool) -> dict:
    shop = context.shop
    number = order_number(shop, gid or "")
    if number is None:
        return refused("order", ["id"], "Order does not exist")
    with shop.lock:
        if shop.orders.view(number, context.now)["closed"] == closed:
            return {"order": shop.orders.view(number, context.now), "userErrors": []}
        shop.orders.change(number, {"closed": closed, "closedAt": iso(context.now) if closed else None})
    _emit(context, "ORDERS_UPDATED", number)
    return {"order": shop.orders.view(number, context.now), "userErrors": []}


def shipping_address(current: dict | None, given: dict) -> dict:
    """A MailingAddress with the given MailingAddressInput fields replaced."""
    address = dict(current or {"id": None, "address2": None, "company": None, "phone": None,
                               "coordinatesValidated": False})
    for field in ("address1", "address2", "city", "company", "firstName", "lastName", "phone", "provinceCode",
                  "zip"):
        if field in given:
            address[field] = given[field]
    if given.get("countryCode"):
        address["countryCodeV2"] = given["countryCode"]
        address["country"] = COUNTRIES.get(given["countryCode"], given["countryCode"])
    address["name"] = " ".join(part for part in (address.get("firstName"), address.get("lastName")) if part)
    address["formatted"] = [part for part in (address.get("company"), address.get("address1"), address.get("address2"),
                                              " ".join(p for p in (address.get("zip"), address.get("city")) if p),
                                              address.get("country")) if part]
    return address


def _same_place(billing: dict | None, shipping: dict) -> bool:
    return billing is not None and all(billing.get(key) == shipping.get(key) for key in _PLACE)


def _emit(context: RequestContext, topic: str, subject) -> None:
    if context.shop.on_event:
        context.shop.on_event(context.shop, topic, subject)


# B2B orders answer the company their customer buys for as their purchasingEntity.
COMPANY_BUYERS.append(purchasing_entity)
