"""An order's returns as Shopify shows them (store.returns holds them): each with its lines, its
exchange lines, its reverse fulfillment orders, its refunds; and the order's return status."""
from __future__ import annotations

from typing import TYPE_CHECKING

from shopify_simulator.store.lazy import Reference, references
from shopify_simulator.store.locations import location_view as full_location_view
from shopify_simulator.store.view_writer import ViewWriter

if TYPE_CHECKING:
    from shopify_simulator.store.orders import GeneratedOrder
    from shopify_simulator.store.records import ReturnRecord


def return_reference(w: ViewWriter, record: "ReturnRecord") -> Reference:
    """A refund's return, as the order shows it when asked."""
    gid = f"gid://shopify/Return/{record.id}"

    def resolve(info) -> dict | None:
        order = w.order_reference(info)
        return next((view for view in order.get("returns") or [] if view["id"] == gid), None)

    return Reference(gid, resolve)


_RETURN_STATUS_ORDER = (("OPEN", "IN_PROGRESS"), ("REQUESTED", "RETURN_REQUESTED"), ("CLOSED", "RETURNED"))


def return_status(returns: list["ReturnRecord"]) -> str:
    """The order's return status: the most pressing of its returns' (in progress, requested, returned)."""
    statuses = {record.status for record in returns}
    return next((shown for status, shown in _RETURN_STATUS_ORDER if status in statuses), "NO_RETURN")


def return_views(w: ViewWriter, order: "GeneratedOrder", returns: list["ReturnRecord"], refund_views: list[dict],
                 line_views: dict[int, dict], shipped_items: dict[str, dict]) -> list[dict]:
    """The order's returns: their lines (each the fulfillment line item it sends back), an exchange's
    new lines, the refund that paid one back, and the reverse fulfillment order that takes the goods
    in (none while only requested): restocked at the location that shipped them, or not."""
    refunds_by_id = {view["id"]: view for view in refund_views}
    locations = order.profile.locations
    views = []
    for record in returns:
        is_closed = record.status == "CLOSED"
        is_refunded = record.refund is not None
        lines, reverse_lines = [], []
        for position, returned in enumerate(record.lines):
            line_view = line_views[returned.line.index]
            shipped = shipped_items[line_view["id"]]
            lines.append({
                "__typename": "ReturnLineItem",
                "id": f"gid://shopify/ReturnLineItem/{returned.id}",
                "quantity": returned.quantity,
                "refundableQuantity": 0 if is_closed else returned.quantity,
                "refundedQuantity": returned.quantity if is_refunded else 0,
                "returnReason": returned.reason,
                "returnReasonNote": returned.reason_note,
                "customerNote": returned.customer_note,
                "fulfillmentLineItem": shipped,
                "restockingFee": None,
                "totalWeight": None,
                "withCodeDiscountedTotalPriceSet": w.bag(returned.line.discounted.share(returned.quantity,
                                                                                        returned.line.quantity)),
            })
            reverse_id = record.id * 10_000 + position + 1
            location = locations[returned.line.location]
            dispositions = []
            if is_closed:
                dispositions.append({
                    "id": f"gid://shopify/ReverseFulfillmentOrderDisposition/{reverse_id}",
                    "quantity": returned.quantity,
                    "type": "RESTOCKED" if returned.is_restocked else "NOT_RESTOCKED",
                    "location": full_location_view(order.profile, order.generator, location)
                    if returned.is_restocked else None,
                })
            reverse_lines.append({"id": f"gid://shopify/ReverseFulfillmentOrderLineItem/{reverse_id}",
                                  "totalQuantity": returned.quantity, "fulfillmentLineItem": shipped,
                                  "dispositions": dispositions})
        gid = f"gid://shopify/Return/{record.id}"
        reverse_orders = [] if record.status == "REQUESTED" else [{
            "id": f"gid://shopify/ReverseFulfillmentOrder/{record.id * 10 + 1}",
            "status": "CLOSED" if is_closed else "OPEN",
            "lineItems": reverse_lines,
            "order": w.order_reference,
            "reverseDeliveries": [],
            "thirdPartyConfirmation": None,
        }]
        refund_gid = f"gid://shopify/Refund/{record.refund.id}" if is_refunded else None
        views.append({
            "id": gid,
            "name": record.name,
            "status": record.status,
            "totalQuantity": record.total_quantity,
            "order": w.order_reference,
            "decline": None,
            "returnLineItems": lines,
            "exchangeLineItems": [{"id": f"gid://shopify/ExchangeLineItem/{record.id * 1000 + 500 + position + 1}",
                                   "lineItem": line_views[line.index]}
                                  for position, line in enumerate(record.exchange_lines)],
            "refunds": references([refund_gid] if refund_gid else [],
                                  lambda info, found=refund_gid: [refunds_by_id[found]] if found else []),
            "returnShippingFees": [],
            "reverseFulfillmentOrders": reverse_orders,
        })
    return views
