"""An order's fulfillment orders and fulfillments as Shopify shows them at a moment: where each is
assigned (the fulfillment service's warehouse for some open ones), what is left to fulfil, what
shipped with which tracking, and the order's display fulfillment status."""
from __future__ import annotations

from typing import TYPE_CHECKING

from shopify_simulator.store.inventory import inventory_key, is_stocked_by_service
from shopify_simulator.store.lazy import references
from shopify_simulator.store.locations import location_view as full_location_view
from shopify_simulator.store.profiles import Location
from shopify_simulator.store.view_writer import ViewWriter, iso

if TYPE_CHECKING:
    from shopify_simulator.store.orders import GeneratedOrder
    from shopify_simulator.store.records import (
        FulfillmentOrderRecord,
        LineRecord,
    )


_CARRIERS = {
    "FR": ("Colissimo", "https://www.laposte.fr/outils/suivre-vos-envois?code="),
    "US": ("UPS", "https://www.ups.com/track?tracknum="),
    "GB": ("Royal Mail", "https://www.royalmail.com/track-your-item#/tracking-results/"),
    "AU": ("Australia Post", "https://auspost.com.au/mypost/track/details/"),
}
CARRIER_TRACKING_URLS = {carrier: url for carrier, url in _CARRIERS.values()}   # known carriers' tracking pages


def fulfillment_views(w: ViewWriter, order: "GeneratedOrder", line_views: dict[int, dict], refunds: list,
                      is_cancelled: bool) -> tuple[list[dict], list[dict], str, int]:
    """Fulfillment orders, fulfillments, the display status and the time of the last shipment."""
    now_s = w.now_s
    carrier, tracking_url = _CARRIERS[order.profile.country_code]
    fulfillment_orders, fulfillments = [], []
    any_shipped, any_open, last_shipment = False, False, 0
    applications = order.discount_applications
    for record in order.fulfillment_orders:
        if record.created > now_s:
            continue
        location = assigned_location(order, record)
        location_view = full_location_view(order.profile, order.generator, location)
        is_shipped = 0 < record.shipped <= now_s
        moments = [record.created]
        items, shipped_lines = [], []
        for position, line in enumerate(record.lines):
            removed_before_shipment = sum(
                r.quantity for refund in refunds for r in refund.lines
                if r.line is line and (not is_shipped or refund.time < record.shipped))
            for refund in refunds:
                if any(r.line is line for r in refund.lines) and (not is_shipped or refund.time < record.shipped):
                    moments.append(refund.time)
            quantity = line.quantity - removed_before_shipment
            remaining = 0 if is_shipped or is_cancelled else quantity
            items.append({
                "id": f"gid://shopify/FulfillmentOrderLineItem/{record.id * 1000 + position + 1}",
                "totalQuantity": quantity,
                "remainingQuantity": remaining,
                "lineItem": line_views[line.index],
                "sku": line.item.sku,
                "productTitle": line.item.title,
                "variantTitle": line.item.variant_title,
                "vendor": line.item.vendor,
                "requiresShipping": line.item.requires_shipping,
                "financialSummaries": [{
                    "quantity": quantity,
                    "originalUnitPriceSet": line_views[line.index]["originalUnitPriceSet"],
                    "approximateDiscountedUnitPriceSet": line_views[line.index]["discountedUnitPriceSet"],
                    "discountAllocations": [{
                        "approximateAllocatedAmountPerItem": w.bag(amount.share(1, line.quantity)),
                        "discountApplication": {
                            "allocationMethod": applications[allocation.index].allocation_method,
                            "targetSelection": applications[allocation.index].target_selection,
                            "targetType": applications[allocation.index].target_type}}
                        for allocation, amount in line.allocations],
                }],
                "warnings": [],
            })
            if quantity > 0:
                shipped_lines.append((items[-1], line))
        if is_shipped:
            moments.append(record.shipped)
        if is_cancelled:
            moments.append(order.plan.cancelled)
        is_open = not is_shipped and not is_cancelled and any(item["remainingQuantity"] for item in items)
        any_open = any_open or is_open
        fulfillment_order = {
            "id": f"gid://shopify/FulfillmentOrder/{record.id}",
            "status": "OPEN" if is_open else "CLOSED",
            "requestStatus": "UNSUBMITTED",
            "createdAt": iso(record.created),
            "updatedAt": iso(max(moments)),
            "orderId": order.gid,
            "orderName": order.name,
            "orderProcessedAt": iso(order.created),
            "order": w.order_reference,
            "fulfillAt": None,
            "fulfillmentHolds": [],
            "assignedLocation": {"location": location_view, "name": location.name,
                                 "countryCode": order.profile.country_code},
            "lineItems": items,
            "fulfillments": [],
            "fulfillmentOrdersForMerge": [],
            "merchantRequests": [],
            **_open_actions(order, location, items, is_open),
        }
        fulfillment_orders.append(fulfillment_order)
        if is_shipped:
            any_shipped = True
            last_shipment = max(last_shipment, record.shipped)
            tracking = [] if record.is_digital else [{
                "company": carrier, "number": f"{record.id % 10_000_000_000:010d}",
                "url": f"{tracking_url}{record.id % 10_000_000_000:010d}"}]
            fulfillment = {
                "id": f"gid://shopify/Fulfillment/{record.id}",
                "legacyResourceId": str(record.id),
                "name": f"{order.name}.{len(fulfillments) + 1}",
                "status": "SUCCESS",
                "displayStatus": "FULFILLED",
                "createdAt": iso(record.shipped),
                "updatedAt": iso(record.shipped),
                "deliveredAt": None,
                "inTransitAt": None,
                "estimatedDeliveryAt": None,
                "location": location_view,
                "requiresShipping": not record.is_digital,
                "totalQuantity": sum(item["totalQuantity"] for item, _ in shipped_lines),
                "trackingInfo": tracking,
                "fulfillmentLineItems": [
                    {"id": f"gid://shopify/FulfillmentLineItem/{record.id * 1000 + position + 1}",
                     "quantity": item["totalQuantity"], "lineItem": item["lineItem"],
                     **_shipped_totals(w, line, item["lineItem"], item["totalQuantity"])}
                    for position, (item, line) in enumerate(shipped_lines)],
                "events": [],
                "order": w.order_reference,
                "fulfillmentOrders": references([fulfillment_order["id"]], lambda info, fo=fulfillment_order: [fo]),
            }
            fulfillment_order["fulfillments"] = [fulfillment]
            fulfillments.append(fulfillment)
    if any_shipped:
        status = "PARTIALLY_FULFILLED" if any_open else "FULFILLED"
    else:
        status = "UNFULFILLED"
    return fulfillment_orders, fulfillments, status, last_shipment


def assigned_location(order: "GeneratedOrder", record: "FulfillmentOrderRecord") -> "Location":
    """Where a fulfillment order is to be shipped from: the location of its lines, except that goods
    the shop never ships itself (its plan has no shipment for them) go to the fulfillment service's
    warehouse when it stocks every one of them (one fulfillment order of an order at most, as Shopify
    keeps one per location); that service's app ships them, not the merchant's. An order made to a
    specification (store.custom_orders) ships from where its lines say: its records' locations index
    profile.all_locations (the shop's own, then the fulfillment service's)."""
    profile = order.profile
    if getattr(order, "ships_from_own_locations", False):
        return profile.all_locations[record.location]
    key = inventory_key(order.generator.seed, profile.handle)

    def is_for_service(candidate: "FulfillmentOrderRecord") -> bool:
        return not candidate.shipped and not candidate.is_digital and all(
            is_stocked_by_service(key, profile.inventory_item_id_base + line.item.key) for line in candidate.lines)

    if is_for_service(record):
        earlier = order.fulfillment_orders[:order.fulfillment_orders.index(record)]
        if not any(is_for_service(other) for other in earlier):
            return profile.fulfillment_service_location
    return profile.locations[record.location]


def _shipped_totals(w: ViewWriter, line: "LineRecord", line_view: dict, quantity: int) -> dict:
    """The value of `quantity` units of a line (usually all of them: the line's own totals)."""
    if quantity == line.quantity:
        return {"originalTotalSet": line_view["originalTotalSet"],
                "discountedTotalSet": line_view["discountedTotalSet"]}
    return {"originalTotalSet": w.bag(line.original.share(quantity, line.quantity)),
            "discountedTotalSet": w.bag(line.discounted.share(quantity, line.quantity))}


def _open_actions(order: "GeneratedOrder", location, items: list[dict], is_open: bool) -> dict:
    """What can still be done with a fulfillment order: with an open one, ship it, ask for it to be
    shipped, hold it, split it, or move it to another of the shop's locations; with a closed one, nothing."""
    if not is_open:
        return {"supportedActions": [], "locationsForMove": []}
    others = [other for other in order.profile.locations if other != location]
    # The fulfillment service's own app ships its fulfillment orders; the merchant asks it to.
    is_service = location == order.profile.fulfillment_service_location
    actions = ["REQUEST_FULFILLMENT", "HOLD"] if is_service else ["CREATE_FULFILLMENT", "REQUEST_FULFILLMENT", "HOLD"]
    if sum(item["remainingQuantity"] for item in items) > 1:
        actions.append("SPLIT")
    if others:
        actions.append("MOVE")
    count = {"count": len(items), "precision": "EXACT"}
    return {
        "supportedActions": [{"action": action, "externalUrl": None} for action in actions],
        "locationsForMove": [{
            "location": full_location_view(order.profile, order.generator, other), "movable": True, "message": None,
            "availableLineItems": items, "availableLineItemsCount": count,
            "unavailableLineItems": [], "unavailableLineItemsCount": {"count": 0, "precision": "EXACT"}}
            for other in others],
    }
