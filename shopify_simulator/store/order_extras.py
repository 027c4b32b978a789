"""The rest of what Shopify's schema promises on an order, besides its money and lines
(store.order_view): what can still be done with it, its cart discount, its status page, its
disputes, and the lists this simulator keeps empty (returns, events, metafields...)."""
from __future__ import annotations

from datetime import datetime

from shopify_simulator.store.lazy import LazyList
from shopify_simulator.store.money import ZERO, total


def order_extras(w, order, *, lines, line_views: dict[int, dict], refunded_quantity: dict[int, int],
                 outstanding, is_cancelled: bool) -> dict:
    applications = order.discount_applications
    cart = total(amount for line in lines for allocation, amount in line.allocations
                 if applications[allocation.index].target_selection == "ALL")
    current_discounts = total(
        total(amount for _, amount in line.allocations).share(
            line.quantity - refunded_quantity.get(line.index, 0), line.quantity)
        for line in lines)
    left_to_ship = [view for view in line_views.values() if view["unfulfilledQuantity"] > 0]
    cannot_ship = [view for view in line_views.values() if view["nonFulfillableQuantity"] > 0]
    profile = order.profile
    return {
        "canMarkAsPaid": not is_cancelled and outstanding.shop > 0,
        "canNotifyCustomer": bool(order.email),
        "currentCartDiscountAmountSet": w.bag(cart),
        "currentTotalDiscountsSet": w.bag(current_discounts),
        "currentTotalWeight": "0",   # items carry no weight until the catalog does
        "fulfillable": not is_cancelled and bool(left_to_ship),
        "nonFulfillableLineItems": cannot_ship,
        "hasTimelineComment": False,
        "merchantEditable": not is_cancelled,
        "restockable": any(view["restockable"] for view in line_views.values()),
        "merchantEditableErrors": ["Cancelled orders cannot be edited."] if is_cancelled else [],
        "merchantBusinessEntity": business_entity(profile),
        "paymentCollectionDetails": {"additionalPaymentCollectionUrl": None, "vaultedPaymentMethods": []},
        "refundDiscrepancySet": w.bag(ZERO),
        "returnStatus": "NO_RETURN",
        "statusPageUrl": f"https://{profile.domain}/{order.legacy_id}/orders/{order.gid.rsplit('/', 1)[1]:0>32}"
                         "/authenticate",
        "totalCashRoundingAdjustment": {"paymentSet": w.bag(ZERO), "refundSet": w.bag(ZERO)},
        "disputes": order_disputes(order),
        "additionalFees": [], "agreements": [], "alerts": [], "events": [], "exchangeV2s": [],
        "localizedFields": [], "metafields": [], "returns": [],
    }


def order_disputes(order) -> LazyList:
    """An order's `disputes`, looked up when asked in the shop's dispute book (store.disputes, held by
    its payouts), which the request's shop hands in: a view stays plain data (as data, none)."""
    return LazyList(lambda info: dispute_summaries(info.context.shop.payouts.disputes, order, info.context.now))


def dispute_summaries(book, order, now: datetime) -> list[dict]:
    """The OrderDisputeSummary of each dispute the bank opened on `order` by `now`. A dispute belongs
    to the local day its order was created, one order a day at most (store.disputes), so this builds
    at most that day's dispute."""
    dispute = book.of_source_day(order.created_at.astimezone(book.zone).date())
    if dispute is None or dispute.order_number != order.number or dispute.initiated_at > now:
        return []
    return [{"id": dispute.gid, "initiatedAs": "CHARGEBACK", "status": dispute.status(now, book.zone)}]


def business_entity(profile) -> dict:
    """The shop's one business entity: the merchant of its orders, the holder of its payouts."""
    return {"id": f"gid://shopify/BusinessEntity/{profile.id_base // 1000}", "displayName": profile.name,
            "primary": True, "address": {"countryCode": profile.country_code}}
