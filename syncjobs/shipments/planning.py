"""Which fulfillments a posted shipment becomes: its item lines matched to the open fulfillment order
lines Shopify holds for the same order lines (by the Shopify line ID each sales line carries), one
request per location with at most 250 lines. Pure: it reads what it is given and calls nothing.

Goods Shopify has assigned to a fulfillment service, or to a location removed from the shop, are not
the merchant's to fulfil: they are left out with the reason, never sent.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from connectors.ledger.records import ShipmentData, ShipmentLineData
from connectors.shopify.fulfillments import FulfillmentOrderState, OrderFulfillmentState

LINES_PER_REQUEST = 250           # Shopify's limit of fulfillment order line items in one fulfillmentCreate
SHIPPABLE_STATUSES = ("OPEN", "IN_PROGRESS")


@dataclass(frozen=True)
class PlannedLine:
    fulfillment_order_gid: str
    fulfillment_order_line_gid: str
    quantity: int
    line_item_gid: str


@dataclass(frozen=True)
class PlannedRequest:
    location_gid: str
    location_name: str
    lines: tuple[PlannedLine, ...]

    def as_pending(self) -> dict:
        """What the shipment's row keeps while it is being sent: enough to know the fulfillment again."""
        return {"location": self.location_gid, "lines": [[line.line_item_gid, line.quantity] for line in self.lines]}


@dataclass
class Plan:
    requests: list[PlannedRequest] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)     # what of the shipment is not sent, and why
    nothing_to_send: str = ""                              # why the shipment has nothing for Shopify at all
    all_done: bool = False                                 # every line was fulfilled for it already
    # Fulfillments Shopify made before the shipment was sent (the goods shipped from Shopify, e.g. an
    # order fulfilled there before it became an invoice): {GID: [[line item GID, quantity], ...]}.
    found_in_shopify: dict[str, list[list]] = field(default_factory=dict)


def plan_fulfillments(shipment: ShipmentData, state: OrderFulfillmentState,
                      fulfilled: dict[str, int] | None = None) -> Plan:
    """The requests that fulfil what `shipment` shipped and is not `fulfilled` yet ({line item GID: quantity})."""
    fulfilled = dict(fulfilled or {})
    plan = Plan()
    item_lines = [line for line in shipment.lines if line.type == "item" and line.quantity > 0]
    if not item_lines:
        plan.nothing_to_send = "it has no item line with a quantity shipped"
        return plan
    need: dict[str, int] = {}
    named: dict[str, ShipmentLineData] = {}
    for line in item_lines:
        if not line.shopify_line_id:
            plan.left_out.append(f"line {line.line_no} ({_item(line)}) is not a line of the Shopify order")
            continue
        need[line.shopify_line_id] = need.get(line.shopify_line_id, 0) + _whole(line.quantity)
        named.setdefault(line.shopify_line_id, line)
    if not need:
        plan.nothing_to_send = "none of its item lines is a line of the Shopify order"
        return plan
    for gid, done in fulfilled.items():
        if gid in need:
            need[gid] -= min(need[gid], done)
    if not any(need.values()):
        plan.all_done = True
        return plan

    by_location: dict[str, list[PlannedLine]] = {}
    names: dict[str, str] = {}
    held_elsewhere: dict[str, str] = {}
    for order in state.fulfillment_orders:
        blocked = _why_not_ours(order)
        for fo_line in order.lines:
            wanted = need.get(fo_line.line_item_gid, 0)
            if wanted <= 0 or fo_line.remaining_quantity <= 0:
                continue
            if blocked:
                held_elsewhere.setdefault(fo_line.line_item_gid, blocked)
                continue
            take = min(wanted, fo_line.remaining_quantity)
            need[fo_line.line_item_gid] = wanted - take
            by_location.setdefault(order.location_gid, []).append(
                PlannedLine(order.gid, fo_line.gid, take, fo_line.line_item_gid))
            names[order.location_gid] = order.location_name
    for location, lines in by_location.items():
        for start in range(0, len(lines), LINES_PER_REQUEST):
            chunk = tuple(lines[start:start + LINES_PER_REQUEST])
            plan.requests.append(PlannedRequest(location, names[location], chunk))
    plan.found_in_shopify = _fulfilled_in_shopify(state, need)
    for gid, missing in need.items():
        if missing > 0:
            line = named[gid]
            where = held_elsewhere.get(gid) or "Shopify holds no open fulfillment line for it (fulfilled or " \
                                                 "cancelled there already?)"
            plan.left_out.append(f"{missing} of line {line.line_no} ({_item(line)}): {where}")
    return plan


def _fulfilled_in_shopify(state: OrderFulfillmentState, need: dict[str, int]) -> dict[str, list[list]]:
    """Shopify's own fulfillments (not cancelled; `state` holds only those no shipment claimed) that
    cover what is still needed, taken off `need`: the goods left through Shopify already."""
    found: dict[str, list[list]] = {}
    for fulfillment in state.fulfillments:
        if fulfillment.status.upper() in ("CANCELLED", "ERROR", "FAILURE"):
            continue
        taken = []
        for line_gid, quantity in fulfillment.lines:
            take = min(need.get(line_gid, 0), quantity)
            if take > 0:
                need[line_gid] -= take
                taken.append([line_gid, take])
        if taken:
            found[fulfillment.gid] = taken
    return found


def _why_not_ours(order: FulfillmentOrderState) -> str:
    if order.status not in SHIPPABLE_STATUSES:
        return f"its fulfillment order is {order.status.lower().replace('_', ' ')} in Shopify"
    if order.location_gid is None:
        return f"it is assigned to {order.location_name or 'a location'}, which was removed from the shop"
    if order.is_fulfillment_service:
        return f"it is assigned to the fulfillment service {order.location_name}, which ships it"
    return ""


def _whole(quantity: Decimal) -> int:
    return int(quantity)


def _item(line: ShipmentLineData) -> str:
    return f"item {line.number} {line.variant_code}".strip()
