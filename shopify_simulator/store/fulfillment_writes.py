"""Fulfilling an order through the API (fulfillmentCreate) and changing a fulfillment's tracking
(fulfillmentTrackingInfoUpdate), as Shopify applies them to the order as it stands.

Each function takes the order's view (store.order_view, with the changes made through the API
since) and returns the view fields that change, for `OrderIndex.change`, so a refused write changes
nothing: every input is checked first and a refusal raises `Refused` with all of Shopify's
userErrors. The fields returned are those the write touches (fulfillment orders, fulfillments,
line items, the fulfillment status, closing); they stay as written while the order's generated
events go on (a refund scheduled after the write does not reopen what it shipped).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from typing import Callable

from shopify_simulator.store.fulfillment_view import CARRIER_TRACKING_URLS
from shopify_simulator.store.lazy import references
from shopify_simulator.store.money import Money, money_bag
from shopify_simulator.store.product_writes import Refusal, Refused

WORKABLE = ("OPEN", "IN_PROGRESS")   # fulfillment order statuses a fulfillment can be made from
API_FULFILLMENT_OFFSET = 50          # IDs of fulfillments made through the API: order ID × 100 + 50 + a count
MAX_API_FULFILLMENTS = 49
LOCATION_REMOVED = ("The fulfillment order's location was removed from the shop; move the fulfillment order to "
                    "another location to fulfill it.")
NO_ACCESS = ("The fulfillment order is assigned to a fulfillment service location the app does not own; "
             "that service's app creates its fulfillments.")


@dataclass(frozen=True)
class FulfillmentOrderPick:
    """What to ship from one fulfillment order: some of its line items ((line item GID, quantity)),
    or, without any, all that remains of every one."""
    fulfillment_order_id: str
    line_items: tuple[tuple[str, int], ...] | None = None


@dataclass(frozen=True)
class Tracking:
    company: str | None = None
    numbers: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()

    @classmethod
    def from_input(cls, given: dict | None) -> "Tracking":
        given = given or {}
        numbers = tuple(given.get("numbers") or ([given["number"]] if given.get("number") else []))
        urls = tuple(given.get("urls") or ([given["url"]] if given.get("url") else []))
        return cls(company=given.get("company") or None, numbers=numbers, urls=urls)

    def info(self) -> list[dict]:
        """Fulfillment.trackingInfo: one entry per number; a carrier Shopify knows gets its URL."""
        known = CARRIER_TRACKING_URLS.get(self.company or "")
        if not self.numbers:
            return [{"company": self.company, "number": None, "url": self.urls[0] if self.urls else None}] \
                if self.company or self.urls else []
        entries = []
        for position, number in enumerate(self.numbers):
            url = self.urls[position] if position < len(self.urls) else (f"{known}{number}" if known else None)
            entries.append({"company": self.company, "number": number, "url": url})
        return entries


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def create_fulfillment(view: dict, picks: list[FulfillmentOrderPick], *, tracking: Tracking,
                       origin_address: dict | None, service_location_id: str, may_fulfil_for_service: bool,
                       now: datetime, current_fulfillment_orders: Callable) -> tuple[dict, dict]:
    """Ship what `picks` ask for from the order of `view`; (the changed view fields, the fulfillment).

    Shopify's rules: every fulfillment order of one fulfillment belongs to the order and is at one
    location, which the shop still has; it is OPEN or IN_PROGRESS; one at a fulfillment service's
    location is shipped by that service's app (`may_fulfil_for_service`: the app holds the
    third-party scope); a quantity is positive and at most what remains.
    `current_fulfillment_orders(info, ids)` answers the new fulfillment's `fulfillmentOrders` as the
    order has them when asked.
    """
    by_id = {fo["id"]: fo for fo in view["fulfillmentOrders"]}
    refusals: list[Refusal] = []
    shipped: dict[str, dict[str, int]] = {}     # fulfillment order ID -> line item ID -> quantity
    if not picks:
        refusals.append(Refusal(["fulfillment", "lineItemsByFulfillmentOrder"],
                                "Line items by fulfillment order can't be blank."))
    locations = set()
    for position, pick in enumerate(picks):
        field = ["fulfillment", "lineItemsByFulfillmentOrder", str(position)]
        fulfillment_order = by_id.get(pick.fulfillment_order_id)
        if fulfillment_order is None:
            refusals.append(Refusal([*field, "fulfillmentOrderId"], "Fulfillment order does not exist."))
            continue
        if pick.fulfillment_order_id in shipped:
            refusals.append(Refusal([*field, "fulfillmentOrderId"], "A fulfillment order can be given only once."))
            continue
        location = fulfillment_order["assignedLocation"]["location"]
        if location is None:
            refusals.append(Refusal([*field, "fulfillmentOrderId"], LOCATION_REMOVED))
            continue
        location_id = location["id"]
        locations.add(location_id)
        if fulfillment_order["status"] not in WORKABLE:
            refusals.append(Refusal([*field, "fulfillmentOrderId"],
                                    f"The fulfillment order is {fulfillment_order['status'].lower().replace('_', ' ')}"
                                    " and cannot be fulfilled."))
            continue
        if location_id == service_location_id and not may_fulfil_for_service:
            refusals.append(Refusal([*field, "fulfillmentOrderId"], NO_ACCESS))
            continue
        items = {item["id"]: item for item in fulfillment_order["lineItems"]}
        if pick.line_items is None:
            wanted = {item_id: item["remainingQuantity"] for item_id, item in items.items()
                      if item["remainingQuantity"] > 0}
        else:
            wanted = {}
            for line_position, (item_id, quantity) in enumerate(pick.line_items):
                line_field = [*field, "fulfillmentOrderLineItems", str(line_position)]
                item = items.get(item_id)
                if item is None:
                    refusals.append(Refusal([*line_field, "id"], "Fulfillment order line item does not exist."))
                elif quantity <= 0 or quantity + wanted.get(item_id, 0) > item["remainingQuantity"]:
                    refusals.append(Refusal([*line_field, "quantity"],
                                            "Invalid fulfillment order line item quantity requested."))
                else:
                    wanted[item_id] = wanted.get(item_id, 0) + quantity
        if not wanted and not any(r.field[:3] == field for r in refusals):
            refusals.append(Refusal(field, "The fulfillment order has nothing left to fulfill."))
        shipped[pick.fulfillment_order_id] = wanted
    if len(locations) > 1:
        refusals.append(Refusal(["fulfillment", "lineItemsByFulfillmentOrder"],
                                "All fulfillment orders of one fulfillment must be assigned to the same location."))
    api_made = [f for f in view["fulfillments"] if _is_api_made(f["id"], view)]
    if len(api_made) >= MAX_API_FULFILLMENTS:
        refusals.append(Refusal(["fulfillment"], "The order has too many fulfillments."))
    if refusals:
        raise Refused(refusals)

    stamp = iso(now)
    lines = {line["id"]: dict(line) for line in view["lineItems"]}
    legacy = int(view["legacyResourceId"])
    fulfillment_id = legacy * 100 + API_FULFILLMENT_OFFSET + len(api_made) + 1
    fulfillment_line_items = []
    for fulfillment_order_id, wanted in shipped.items():
        for item in by_id[fulfillment_order_id]["lineItems"]:
            quantity = wanted.get(item["id"], 0)
            if not quantity:
                continue
            line = lines[item["lineItem"]["id"]]
            line["unfulfilledQuantity"] -= quantity
            fulfillment_line_items.append({
                "id": f"gid://shopify/FulfillmentLineItem/{fulfillment_id * 1000 + len(fulfillment_line_items) + 1}",
                "quantity": quantity, "lineItem": line,
                "originalTotalSet": _share(line["originalTotalSet"], quantity, line["quantity"]),
                "discountedTotalSet": _share(line["discountedTotalSet"], quantity, line["quantity"]),
            })
    for line in lines.values():
        left = line["unfulfilledQuantity"]
        line["unfulfilledOriginalTotalSet"] = _share(line["originalTotalSet"], left, line["quantity"])
        line["unfulfilledDiscountedTotalSet"] = _share(line["discountedTotalSet"], left, line["quantity"])
        line["merchantEditable"] = line["merchantEditable"] and left > 0

    first = by_id[picks[0].fulfillment_order_id]
    fulfillment = {
        "id": f"gid://shopify/Fulfillment/{fulfillment_id}",
        "legacyResourceId": str(fulfillment_id),
        "name": f"{view['name']}.{len(view['fulfillments']) + 1}",
        "status": "SUCCESS",
        "displayStatus": "FULFILLED",
        "createdAt": stamp,
        "updatedAt": stamp,
        "deliveredAt": None,
        "inTransitAt": None,
        "estimatedDeliveryAt": None,
        "location": first["assignedLocation"]["location"],
        "originAddress": _origin(origin_address),
        "requiresShipping": any(item["lineItem"]["requiresShipping"] for item in fulfillment_line_items),
        "totalQuantity": sum(item["quantity"] for item in fulfillment_line_items),
        "trackingInfo": tracking.info(),
        "fulfillmentLineItems": fulfillment_line_items,
        "events": [],
        "order": first["order"],
        "fulfillmentOrders": references(list(shipped), lambda info, ids=tuple(shipped): current_fulfillment_orders(
            info, ids)),
    }

    fulfillment_orders = []
    for fulfillment_order in view["fulfillmentOrders"]:
        changed = dict(fulfillment_order)
        changed["lineItems"] = [dict(item, lineItem=lines[item["lineItem"]["id"]])
                                for item in fulfillment_order["lineItems"]]
        wanted = shipped.get(fulfillment_order["id"])
        if wanted is not None:
            for item in changed["lineItems"]:
                item["remainingQuantity"] -= wanted.get(item["id"], 0)
            remaining = sum(item["remainingQuantity"] for item in changed["lineItems"])
            changed["status"] = "IN_PROGRESS" if remaining else "CLOSED"
            changed["updatedAt"] = stamp
            changed["fulfillments"] = [*fulfillment_order["fulfillments"], fulfillment]
            changed["supportedActions"] = [{"action": action, "externalUrl": None} for action in
                                           (("CREATE_FULFILLMENT", "HOLD") if remaining else ())]
            changed["locationsForMove"] = []
        fulfillment_orders.append(changed)
    fulfillments = [dict(f, fulfillmentLineItems=[dict(item, lineItem=lines[item["lineItem"]["id"]])
                                                  for item in f["fulfillmentLineItems"]])
                    for f in view["fulfillments"]]
    fulfillments.append(fulfillment)

    is_done = not any(fo["status"] in (*WORKABLE, "ON_HOLD", "SCHEDULED") for fo in fulfillment_orders)
    status = "FULFILLED" if is_done else "PARTIALLY_FULFILLED"
    line_views = list(lines.values())
    left_to_ship = [line for line in line_views if line["unfulfilledQuantity"] > 0]
    changes = {
        "fulfillmentOrders": fulfillment_orders,
        "fulfillments": fulfillments,
        "lineItems": line_views,
        "displayFulfillmentStatus": status,
        "fulfillable": bool(left_to_ship) and not view.get("cancelledAt"),
    }
    # Shopify archives (closes) an order once it is paid and fulfilled, as the generated ones are.
    if is_done and not view["closed"] and view["displayFinancialStatus"] in ("PAID", "PARTIALLY_REFUNDED",
                                                                              "REFUNDED"):
        changes.update(closed=True, closedAt=stamp)
    return changes, fulfillment


def update_tracking(view: dict, fulfillment_id: str, tracking: Tracking, *, now: datetime) -> tuple[dict, dict]:
    """New tracking for one fulfillment of the order; (the changed view fields, the fulfillment)."""
    found = next((f for f in view["fulfillments"] if f["id"] == fulfillment_id), None)
    if found is None:
        raise Refused([Refusal(["fulfillmentId"], "Fulfillment does not exist.")])
    if found["status"] != "SUCCESS":
        raise Refused([Refusal(["fulfillmentId"], "A cancelled fulfillment's tracking cannot be changed.")])
    updated = dict(found, trackingInfo=tracking.info(), updatedAt=iso(now))
    fulfillments = [updated if f is found else f for f in view["fulfillments"]]
    fulfillment_orders = [dict(fo, fulfillments=[updated if f["id"] == fulfillment_id else f
                                                 for f in fo["fulfillments"]])
                          for fo in view["fulfillmentOrders"]]
    return {"fulfillments": fulfillments, "fulfillmentOrders": fulfillment_orders}, updated


def fulfillment_owner(fulfillment_number: int, order_id_base: int) -> tuple[int, int]:
    """The order numbers a Fulfillment ID can belong to: (if generated: its fulfillment order's
    order; if made through the API: its order). The caller checks which has it."""
    return fulfillment_number // 10 - order_id_base, fulfillment_number // 100 - order_id_base


def _is_api_made(gid: str, view: dict) -> bool:
    return int(gid.rsplit("/", 1)[1]) // 100 == int(view["legacyResourceId"])


def _share(bag: dict, part: int, whole: int) -> dict:
    shop, presentment = bag["shopMoney"], bag["presentmentMoney"]
    amount = Money(Decimal(shop["amount"]), Decimal(presentment["amount"]))
    return money_bag(amount.share(part, whole) if whole else amount, shop["currencyCode"],
                     presentment["currencyCode"])


def _origin(given: dict | None) -> dict | None:
    if not given:
        return None
    return {"address1": given.get("address1"), "address2": given.get("address2"), "city": given.get("city"),
            "zip": given.get("zip"), "provinceCode": given.get("provinceCode"), "countryCode": given["countryCode"]}
