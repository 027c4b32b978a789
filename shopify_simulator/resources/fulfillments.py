"""Fulfillment orders and fulfillments: fulfillmentOrders and assignedFulfillmentOrders, one
fulfillment order or fulfillment by id (and by node), fulfillmentCreate and
fulfillmentTrackingInfoUpdate with Shopify's userErrors, and the fulfillments/create,
fulfillments/update and orders/updated webhooks their changes send. An input array of more than
250 items (fulfillment orders, or lines of one) refuses the whole request with
MAX_INPUT_SIZE_EXCEEDED, as Shopify refuses every such array.

The app is a merchant's app: it owns no fulfillment service, so it ships what the shop's own
locations hold and leaves the fulfillment service's fulfillment orders to that service's app
(unless it is given the write_third_party_fulfillment_orders scope); assignedFulfillmentOrders, which
lists the fulfillment orders of the app's own services, is always empty for it. It reads every
fulfillment order, as an app with the read_third_party_fulfillment_orders scope would.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from graphql import GraphQLError

from shopify_simulator.api.connections import page_of
from shopify_simulator.api.registry import mutation, node_type, query_field
from shopify_simulator.api.request import RequestContext, search_or_error
from shopify_simulator.api.search import matches, parse_time
from shopify_simulator.store.fulfillment_writes import (
    FulfillmentOrderPick,
    Tracking,
    create_fulfillment,
    fulfillment_owner,
    update_tracking,
)
from shopify_simulator.store.gids import gid_number
from shopify_simulator.store.product_writes import Refused

if TYPE_CHECKING:
    from shopify_simulator.shop import SimulatedShop

CLOSED_STATUSES = ("CLOSED", "CANCELLED", "INCOMPLETE")
MAX_INPUT_ARRAY = 250
THIRD_PARTY_SCOPE = "write_third_party_fulfillment_orders"
# assignmentStatus -> the requestStatus of the fulfillment orders it lists
ASSIGNMENT_STATUSES = {"FULFILLMENT_UNSUBMITTED": "UNSUBMITTED", "FULFILLMENT_REQUESTED": "SUBMITTED",
                       "FULFILLMENT_ACCEPTED": "ACCEPTED", "CANCELLATION_REQUESTED": "CANCELLATION_REQUESTED"}


# Finding them
def order_of_fulfillment_order(shop: "SimulatedShop", gid: str | None) -> int | None:
    """The number of the order a fulfillment order belongs to (its ID is the order's × 10 + a count)."""
    number = gid_number(gid, "FulfillmentOrder")
    if number is None:
        return None
    order = number // 10 - shop.generator.order_id_base
    return order if shop.orders.exists(order) else None


def fulfillment_order_view(context: RequestContext, gid: str | None) -> dict | None:
    number = order_of_fulfillment_order(context.shop, gid)
    if number is None:
        return None
    view = context.shop.orders.view(number, context.now)
    found = next((fo for fo in view["fulfillmentOrders"] if fo["id"] == gid), None)
    return {"__typename": "FulfillmentOrder", **found} if found else None


def fulfillment_with_order(shop: "SimulatedShop", gid: str | None, now) -> tuple[int, dict] | None:
    """(order number, fulfillment view) of a Fulfillment GID, or None."""
    number = gid_number(gid, "Fulfillment")
    if number is None:
        return None
    for order in dict.fromkeys(fulfillment_owner(number, shop.generator.order_id_base)):
        if not shop.orders.exists(order):
            continue
        found = next((f for f in shop.orders.view(order, now)["fulfillments"] if f["id"] == gid), None)
        if found is not None:
            return order, {"__typename": "Fulfillment", **found}
    return None


def current_fulfillment_orders(info, ids: tuple[str, ...]) -> list[dict]:
    """A fulfillment's fulfillment orders as the shop has them now."""
    found = [fulfillment_order_view(info.context, gid) for gid in ids]
    return [view for view in found if view is not None]


@query_field("fulfillmentOrder")
def fulfillment_order(context: RequestContext, info, id) -> dict | None:
    return fulfillment_order_view(context, id)


@query_field("fulfillment")
def fulfillment(context: RequestContext, info, id) -> dict | None:
    found = fulfillment_with_order(context.shop, id, context.now)
    return found[1] if found else None


@node_type("Fulfillment")
def fulfillment_node(context: RequestContext, gid: str, number: int) -> dict | None:
    return fulfillment(context, None, gid)


# Listing
def fulfillment_order_search_value(view: dict, field: str):
    if field == "status":
        return view["status"].lower()
    if field == "assigned_location_id":
        location = view["assignedLocation"]["location"]   # None: the location was removed from the shop
        return int(location["id"].rsplit("/", 1)[1]) if location else 0     # 0: at no location
    if field == "id":
        return int(view["id"].rsplit("/", 1)[1])
    if field == "order_id":
        return int(view["orderId"].rsplit("/", 1)[1])
    if field in ("updated_at", "created_at"):
        return parse_time(view["updatedAt" if field == "updated_at" else "createdAt"])
    return None


class FulfillmentOrderListing:
    """The shop's fulfillment orders that `keep` keeps, in ID order (the order's, then its own) or by
    updatedAt; read order by order, so a page sorted by ID views only the orders it reaches."""

    def __init__(self, context: RequestContext, *, sort_key: str, reverse: bool, keep) -> None:
        self.context, self.keep = context, keep
        self.sort_key = "UPDATED_AT" if sort_key == "UPDATED_AT" else "ID"
        self.reverse = bool(reverse)

    def _orders_from(self, number: int | None, descending: bool) -> Iterator[dict]:
        index = self.context.shop.orders
        index.refresh()
        visible_from = index.visible_from(self.context.shop.scopes)
        if number is not None:
            yield index.view(number, self.context.now)
        for _, found in index.numbers_by_created(after_number=number, reverse=descending, lower=visible_from,
                                                 upper=None):
            if index.exists(found):
                yield index.view(found, self.context.now)

    def _by_id(self, after: int | None, descending: bool) -> Iterator[tuple[dict, dict]]:
        base = self.context.shop.generator.order_id_base
        start = None if after is None else after // 10 - base
        for view in self._orders_from(start, descending):
            fulfillment_orders = view["fulfillmentOrders"][::-1] if descending else view["fulfillmentOrders"]
            for fo in fulfillment_orders:
                number = int(fo["id"].rsplit("/", 1)[1])
                if after is not None and (number >= after if descending else number <= after):
                    continue
                if self.keep(fo):
                    yield {"s": "ID", "k": [number]}, {"__typename": "FulfillmentOrder", **fo}

    def _by_updated(self, after: list | None, descending: bool) -> Iterator[tuple[dict, dict]]:
        found = []
        for view in self._orders_from(None, False):
            found.extend(fo for fo in view["fulfillmentOrders"] if self.keep(fo))
        keyed = sorted(((fo["updatedAt"], int(fo["id"].rsplit("/", 1)[1])), fo) for fo in found)
        if descending:
            keyed.reverse()
        for key, fo in keyed:
            if after is not None and (key >= tuple(after) if descending else key <= tuple(after)):
                continue
            yield {"s": "UPDATED_AT", "k": list(key)}, {"__typename": "FulfillmentOrder", **fo}

    def page(self, args: dict) -> dict:
        def items_after(cursor: dict | None, descending: bool):
            after = None
            if cursor is not None:
                if cursor.get("s") != self.sort_key or not isinstance(cursor.get("k"), list):
                    raise GraphQLError("Invalid cursor for current pagination sort.",
                                       extensions={"code": "BAD_REQUEST"})
                after = cursor["k"][0] if self.sort_key == "ID" else cursor["k"]
            if self.sort_key == "ID":
                return self._by_id(after, descending)
            return self._by_updated(after, descending)

        return page_of(items_after, args, reverse=self.reverse)


@query_field("fulfillmentOrders")
def fulfillment_orders(context: RequestContext, info, includeClosed=False, query=None, sortKey="ID",
                       reverse=False, **args) -> dict:
    search = search_or_error(query)

    def keep(fo: dict) -> bool:
        return (includeClosed or fo["status"] not in CLOSED_STATUSES) and matches(
            search, lambda field: fulfillment_order_search_value(fo, field))

    return FulfillmentOrderListing(context, sort_key=sortKey, reverse=reverse, keep=keep).page(args)


@query_field("assignedFulfillmentOrders")
def assigned_fulfillment_orders(context: RequestContext, info, assignmentStatus=None, locationIds=None,
                                sortKey="ID", reverse=False, **args) -> dict:
    """The fulfillment orders at the locations of the app's own fulfillment services: none, as the
    app has none (the shop's fulfillment service belongs to another app)."""
    own_locations: set[str] = set()
    wanted_request = ASSIGNMENT_STATUSES.get(assignmentStatus) if assignmentStatus else None

    def keep(fo: dict) -> bool:
        location = (fo["assignedLocation"]["location"] or {}).get("id")
        return (location in own_locations and (not locationIds or location in locationIds)
                and fo["status"] != "CLOSED" and (wanted_request is None or fo["requestStatus"] == wanted_request))

    if not own_locations:
        return page_of(lambda cursor, descending: iter(()), args, reverse=reverse)
    return FulfillmentOrderListing(context, sort_key=sortKey, reverse=reverse, keep=keep).page(args)


# Writes
def _errors(refused: Refused) -> list[dict]:
    return [{"field": r.field, "message": r.message} for r in refused.refusals]


def _emit(context: RequestContext, topic: str, subject) -> None:
    if context.shop.on_event:
        context.shop.on_event(context.shop, topic, subject)


def _picks(given: list[dict]) -> list[FulfillmentOrderPick]:
    picks = []
    for entry in given:
        items = entry.get("fulfillmentOrderLineItems")
        picks.append(FulfillmentOrderPick(entry["fulfillmentOrderId"], None if not items else tuple(
            (item["id"], item["quantity"]) for item in items)))
    return picks


def _oversized_array(given, path: list[str]) -> GraphQLError | None:
    """Shopify's limit on every input array (shopify.dev/api/usage/limits): more than 250 items and
    the request is refused as a whole, before anything is done."""
    if isinstance(given, list):
        if len(given) > MAX_INPUT_ARRAY:
            return GraphQLError(f"The input array size of {len(given)} is greater than the maximum allowed of "
                                f"{MAX_INPUT_ARRAY}.", extensions={"code": "MAX_INPUT_SIZE_EXCEEDED"})
        entries = [(str(position), entry) for position, entry in enumerate(given)]
    elif isinstance(given, dict):
        entries = list(given.items())
    else:
        return None
    for key, entry in entries:
        error = _oversized_array(entry, [*path, key])
        if error is not None:
            return error
    return None


@mutation("fulfillmentCreate")
def fulfillment_create(context: RequestContext, info, fulfillment, message=None) -> dict:
    oversized = _oversized_array(fulfillment, ["fulfillment"])
    if oversized is not None:
        raise oversized
    shop = context.shop
    picks = _picks(fulfillment.get("lineItemsByFulfillmentOrder") or [])
    numbers = {order_of_fulfillment_order(shop, pick.fulfillment_order_id) for pick in picks}
    if None in numbers:
        position = next(i for i, pick in enumerate(picks)
                        if order_of_fulfillment_order(shop, pick.fulfillment_order_id) is None)
        return {"fulfillment": None, "userErrors": [{
            "field": ["fulfillment", "lineItemsByFulfillmentOrder", str(position), "fulfillmentOrderId"],
            "message": "Fulfillment order does not exist."}]}
    if len(numbers) > 1:
        return {"fulfillment": None, "userErrors": [{
            "field": ["fulfillment", "lineItemsByFulfillmentOrder"],
            "message": "All fulfillment orders of one fulfillment must belong to the same order."}]}
    number = numbers.pop() if numbers else None
    try:
        with shop.lock:
            view = shop.orders.view(number, context.now) if number is not None else {"fulfillmentOrders": [],
                                                                                     "fulfillments": []}
            changes, created = create_fulfillment(
                view, picks, tracking=Tracking.from_input(fulfillment.get("trackingInfo")),
                origin_address=fulfillment.get("originAddress"),
                service_location_id=shop.profile.fulfillment_service_location.gid,
                may_fulfil_for_service=THIRD_PARTY_SCOPE in shop.scopes, now=context.now,
                current_fulfillment_orders=current_fulfillment_orders)
            shop.orders.change(number, changes)
    except Refused as refused:
        return {"fulfillment": None, "userErrors": _errors(refused)}
    _emit(context, "FULFILLMENTS_CREATE", (number, created["id"]))
    _emit(context, "ORDERS_UPDATED", number)
    return {"fulfillment": {"__typename": "Fulfillment", **created}, "userErrors": []}


@mutation("fulfillmentTrackingInfoUpdate")
def fulfillment_tracking_info_update(context: RequestContext, info, fulfillmentId, trackingInfoInput,
                                     notifyCustomer=None) -> dict:
    shop = context.shop
    with shop.lock:
        found = fulfillment_with_order(shop, fulfillmentId, context.now)
        if found is None:
            return {"fulfillment": None, "userErrors": [{"field": ["fulfillmentId"],
                                                         "message": "Fulfillment does not exist."}]}
        number, _ = found
        try:
            changes, updated = update_tracking(shop.orders.view(number, context.now), fulfillmentId,
                                               Tracking.from_input(trackingInfoInput), now=context.now)
        except Refused as refused:
            return {"fulfillment": None, "userErrors": _errors(refused)}
        shop.orders.change(number, changes)
    _emit(context, "FULFILLMENTS_UPDATE", (number, fulfillmentId))
    _emit(context, "ORDERS_UPDATED", number)
    return {"fulfillment": {"__typename": "Fulfillment", **updated}, "userErrors": []}
