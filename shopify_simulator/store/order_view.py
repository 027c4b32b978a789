"""A generated order as Shopify's 2025-01 Admin GraphQL shows it at a given moment.

Keys are the GraphQL field names of `Order` and of the types under it. Scalars are JSON-ready
(money amounts and other Decimals as strings, DateTime as "2025-03-09T23:58:00Z", IDs as GIDs,
UnsignedInt64 as strings, enums by name); lists and connections are both plain lists of item
dicts; items of abstract types carry "__typename". Only what happened by `now` shows, and every
status and total is derived from what shows. What points back up the tree (a refund's order, a
fulfillment's fulfillment orders, a refund's return) is a `Reference`: as data, ids only, so a
view stays a tree.

Returns (store.returns) show under `returns`, with `returnStatus`. An exchange's new line shows in
`lineItems` and counts in the totals "before returns" (subtotal, tax, total); the return's refund
takes the returned units off their line's currentQuantity and off the current totals, with no
transaction, so the current totals stay as they were (same price) and nothing counts as refunded.
A pending refund's transactions are PENDING until they settle, and count as refunded (the order's
and the refund's totalRefundedSet, the financial status) only from then.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Callable

from shopify_simulator.store.customers import customer_created_at, customer_view
from shopify_simulator.store.fulfillment_view import fulfillment_views
from shopify_simulator.store.lazy import Reference
from shopify_simulator.store.money import (
    ZERO,
    Money,
    total,
)
from shopify_simulator.store.order_extras import order_extras
from shopify_simulator.store.places import home_address, mailing_address
from shopify_simulator.store.profiles import TaxRate
from shopify_simulator.store.random_source import RandomSource, stream_key
from shopify_simulator.store.return_view import return_reference, return_status, return_views
from shopify_simulator.store.timeline import to_seconds
from shopify_simulator.store.view_writer import ViewWriter, iso

if TYPE_CHECKING:
    from shopify_simulator.store.orders import GeneratedOrder
    from shopify_simulator.store.records import (
        LineRecord,
        RefundRecord,
        ShippingRecord,
        TransactionRecord,
    )

GATEWAY_NAMES = {
    "shopify_payments": "Shopify Payments",
    "paypal": "PayPal Express Checkout",
    "manual": "Manual",
    "gift_card": "Gift card",
    "bogus": "(For Testing) Bogus Gateway",
}
# The card of an order paid by card: its transactions' paymentDetails (CardPaymentDetails). Drawn
# from a stream of its own, per order, so every other draw of the store stays as it was.
CARD_GATEWAYS = ("shopify_payments", "bogus")
CARD_BRANDS = (("Visa", 0.50), ("Mastercard", 0.30), ("American Express", 0.12), ("Discover", 0.08))
_RISK_FACTS = {
    "LOW": ("Characteristics of this order are similar to non-fraudulent orders.", "POSITIVE"),
    "MEDIUM": ("The billing address is far from the location of the IP address.", "NEGATIVE"),
    "HIGH": ("The card was declined before this payment succeeded.", "NEGATIVE"),
}


# How a customer buying for a company is answered: (request context, customer number) -> a
# PurchasingCompany view, or None for a consumer. The B2B resource fills it (resources.orders).
COMPANY_BUYERS: list[Callable] = []


def purchasing_entity(customer: dict | None) -> Reference | None:
    """An order's `purchasingEntity`, looked up when asked (a customer may become a company contact
    after ordering): the company its customer buys for, else the customer. As data, the customer."""
    if customer is None:
        return None

    def resolve(info) -> dict:
        number = int(customer["legacyResourceId"])
        for find in COMPANY_BUYERS:
            company = find(info.context, number)
            if company is not None:
                return company
        return {"__typename": "Customer", **customer}

    buyer = Reference(customer["id"], resolve)
    buyer["__typename"] = "Customer"
    return buyer


def order_view(order: "GeneratedOrder", now: datetime) -> dict:
    now_s = to_seconds(now)
    w = ViewWriter(order, now_s)
    profile, plan = order.profile, order.plan
    included = profile.taxes_included

    # What shows at `now`
    lines = order.lines_at(now_s)
    refunds = [refund for refund in order.refunds if refund.time <= now_s]
    transactions = [record for record in order.transactions if record.time <= now_s]
    is_cancelled = bool(plan.cancelled) and plan.cancelled <= now_s
    is_edited = order.edit_line is not None and order.edit_line.added_at <= now_s
    is_settled = plan.settled <= now_s

    returns = [record for record in order.returns if record.time <= now_s]
    exchange_lines = order.exchange_lines_at(now_s)
    refunded_quantity: dict[int, int] = {}     # an exchange's returned units too: its refund has them
    for refund in refunds:
        for record in refund.lines:
            refunded_quantity[record.line.index] = refunded_quantity.get(record.line.index, 0) + record.quantity

    applications = [w.application(application) for application in order.discount_applications]
    sold = lines + exchange_lines
    line_views = {line.index: _line_view(w, order, line, applications, refunded_quantity) for line in sold}
    shipping = order.shipping
    shipping_view = _shipping_view(w, order, shipping, applications, refunds) if shipping else None
    transaction_views = _transaction_views(w, order, transactions)

    # Totals
    subtotal = total(line.discounted for line in sold)
    tax_by_rate: dict[tuple[str, Decimal], tuple[TaxRate, Money]] = {}
    parts = [line.taxes for line in sold] + ([shipping.taxes] if shipping else [])
    for taxes in parts:
        for rate, amount in taxes:
            key = (rate.title, rate.rate)
            previous = tax_by_rate.get(key)
            tax_by_rate[key] = (rate, amount if previous is None else previous[1] + amount)
    total_tax = total(amount for _, amount in tax_by_rate.values())
    grand_total = order.total_for(sold)
    discounts = total(amount for line in sold for _, amount in line.allocations)
    if shipping:
        discounts = discounts + total(amount for _, amount in shipping.allocations)

    refunded_subtotal = total(record.subtotal for refund in refunds for record in refund.lines)
    refunded_shipping = total(refund.shipping[2] for refund in refunds if refund.shipping)
    refunded_tax_by_rate: dict[tuple[str, Decimal], Money] = {}
    for refund in refunds:
        tax_parts = [record.taxes for record in refund.lines] + ([refund.shipping[3]] if refund.shipping else [])
        for taxes in tax_parts:
            for rate, amount in taxes:
                key = (rate.title, rate.rate)
                refunded_tax_by_rate[key] = refunded_tax_by_rate.get(key, ZERO) + amount
    refunded_tax = total(refunded_tax_by_rate.values())
    current_total = grand_total - total(refund.amount_due for refund in refunds)

    received = total(record.amount for record in transactions if record.is_money_in)
    refunded = total(record.amount for record in transactions
                     if record.kind == "REFUND" and record.is_settled_success(now_s))
    net = received - refunded
    settled_parents = {record.parent.id for record in transactions
                       if record.kind in ("CAPTURE", "VOID") and record.status == "SUCCESS" and record.parent}
    capturable = total(record.amount for record in transactions if record.kind == "AUTHORIZATION"
                       and record.status == "SUCCESS" and record.id not in settled_parents)
    has_void = any(record.kind == "VOID" and record.status == "SUCCESS" for record in transactions)

    if received.is_zero:
        if is_cancelled or has_void:
            financial = "VOIDED"
        elif not capturable.is_zero:
            financial = "AUTHORIZED"
        else:
            financial = "PENDING"
    elif not refunded.is_zero and refunded.shop >= received.shop:
        financial = "REFUNDED"
    elif not refunded.is_zero:
        financial = "PARTIALLY_REFUNDED"
    elif received.shop < current_total.shop:     # an exchange's new line is paid by its return
        financial = "PARTIALLY_PAID"
    else:
        financial = "PAID"

    fulfillment_orders, fulfillments, fulfillment_status, last_shipment = fulfillment_views(
        w, order, line_views, refunds, is_cancelled)
    _add_unfulfilled(w, sold, line_views, fulfillments, is_cancelled)
    shipped_items = {item["lineItem"]["id"]: item for fulfillment in fulfillments
                     for item in fulfillment["fulfillmentLineItems"]}
    refund_views = [_refund_view(w, order, refund, line_views, shipping_view, transaction_views) for refund in refunds]
    returned = return_views(w, order, returns, refund_views, line_views, shipped_items)

    closed_at = None
    if is_cancelled:
        closed_at = plan.cancelled
    elif fulfillment_status == "FULFILLED" and financial in ("PAID", "PARTIALLY_REFUNDED", "REFUNDED"):
        last_payment = max((record.time for record in transactions if record.is_money_in), default=order.created)
        closed_at = max(last_shipment, last_payment)

    customer = order.customer
    billing_address, shipping_address = _addresses(order, ships=shipping is not None)
    codes = [a.label for a in order.discount_applications if a.kind == "code"]
    gateways = list(dict.fromkeys(record.gateway for record in transactions))
    if is_settled:
        recommendation, level = order.risk
        description, sentiment = _RISK_FACTS[level]
        risk = {"recommendation": recommendation, "assessments": [
            {"riskLevel": level, "provider": None, "facts": [{"description": description, "sentiment": sentiment}]}]}
    else:
        risk = {"recommendation": "NONE", "assessments": [{"riskLevel": "PENDING", "provider": None, "facts": []}]}

    return {
        "id": order.gid,
        "legacyResourceId": str(order.legacy_id),
        "name": order.name,
        "confirmationNumber": _confirmation(order.legacy_id),
        "confirmed": True,
        "createdAt": iso(order.created),
        "processedAt": iso(order.created),
        "updatedAt": iso(to_seconds(order.updated_at(now))),
        "cancelledAt": iso(plan.cancelled) if is_cancelled else None,
        "cancelReason": order.cancel_reason if is_cancelled else None,
        "closed": closed_at is not None,
        "closedAt": iso(closed_at) if closed_at is not None else None,
        "test": order.test,
        "email": order.email,
        "phone": order.phone,
        "note": order.note,
        "tags": list(order.tags),
        "sourceName": order.source_name,
        "customAttributes": [dict(attribute) for attribute in order.custom_attributes],
        "currencyCode": profile.currency,
        "presentmentCurrencyCode": order.presentment_currency,
        "taxesIncluded": included,
        "taxExempt": False,
        "dutiesIncluded": False,
        "estimatedTaxes": False,
        "edited": is_edited,
        "displayFinancialStatus": financial,
        "displayFulfillmentStatus": fulfillment_status,
        "fullyPaid": not received.is_zero and (current_total - net).shop <= 0,
        "unpaid": received.is_zero,
        "capturable": not capturable.is_zero,
        "totalCapturableSet": w.bag(capturable),
        "refundable": net.shop > 0,
        "requiresShipping": any(line.item.requires_shipping for line in lines),
        "subtotalLineItemsQuantity": sum(line.quantity for line in sold),
        "currentSubtotalLineItemsQuantity": sum(view["currentQuantity"] for view in line_views.values()),
        "subtotalPriceSet": w.bag(subtotal),
        "currentSubtotalPriceSet": w.bag(subtotal - refunded_subtotal),
        "totalPriceSet": w.bag(grand_total),
        "originalTotalPriceSet": w.bag(order.total_for(order.lines)),
        "currentTotalPriceSet": w.bag(current_total),
        "totalTaxSet": w.bag(total_tax),
        "currentTotalTaxSet": w.bag(total_tax - refunded_tax),
        "totalDiscountsSet": w.bag(discounts),
        "totalShippingPriceSet": w.bag(shipping.original if shipping else ZERO),
        "currentShippingPriceSet": w.bag((shipping.discounted if shipping else ZERO) - refunded_shipping),
        "totalTipReceivedSet": w.bag(order.tip),
        "totalRefundedSet": w.bag(refunded),
        "totalRefundedShippingSet": w.bag(refunded_shipping),
        "totalReceivedSet": w.bag(received),
        "netPaymentSet": w.bag(net),
        "totalOutstandingSet": w.bag(current_total - net),
        "taxLines": [w.tax_line(rate, amount) for rate, amount in tax_by_rate.values()],
        "currentTaxLines": [w.tax_line(rate, amount - refunded_tax_by_rate.get(key, ZERO))
                            for key, (rate, amount) in tax_by_rate.items()],
        "discountCode": codes[0] if codes else None,
        "discountCodes": codes,
        "discountApplications": applications,
        "paymentGatewayNames": gateways,
        "customer": customer_view(profile, customer, created=customer_created_at(order.generator, customer.index))
        if customer else None,
        "customerAcceptsMarketing": bool(customer) and "newsletter" in order.tags,
        "customerLocale": profile.locale,
        "shippingAddress": shipping_address,
        "billingAddress": billing_address,
        "billingAddressMatchesShippingAddress": shipping_address is not None and order.ship_to is None,
        "risk": risk,
        "lineItems": list(line_views.values()),
        "shippingLine": shipping_view,
        "shippingLines": [shipping_view] if shipping_view else [],
        "transactions": transaction_views,
        "refunds": refund_views,
        "fulfillmentOrders": fulfillment_orders,
        "fulfillments": fulfillments,
        **order_extras(w, order, lines=sold, line_views=line_views,
                       refunded_quantity=refunded_quantity, outstanding=current_total - net, is_cancelled=is_cancelled),
        "returns": returned,
        "returnStatus": return_status(returns),
    }


def _addresses(order: "GeneratedOrder", *, ships: bool) -> tuple[dict, dict | None]:
    """The order's billing address (its customer's home, or its guest's) and its shipping address:
    none when nothing ships, else the same place (with an id of its own) unless it ships elsewhere."""
    person, ship_to = order.address_person, order.ship_to
    billing = home_address(order.profile, person, gid=f"gid://shopify/MailingAddress/{order.legacy_id * 10 + 1}",
                           phone=order.phone)
    shipping_gid = f"gid://shopify/MailingAddress/{order.legacy_id * 10 + 2}"
    if not ships:
        return billing, None
    if ship_to is None:
        return billing, {**billing, "id": shipping_gid}
    return billing, mailing_address(order.profile, ship_to.person, gid=shipping_gid, house_number=ship_to.house_number,
                                    phone=order.phone if ship_to.person is person else None,
                                    company=ship_to.company, address2=ship_to.address2)


def _line_view(w: ViewWriter, order: "GeneratedOrder", line: "LineRecord", applications: list[dict],
               refunded_quantity: dict[int, int]) -> dict:
    item = line.item
    left = line.quantity - refunded_quantity.get(line.index, 0)
    unit_after = line.discounted.share(1, line.quantity)
    generator = order.generator
    return {
        "id": f"gid://shopify/LineItem/{order.legacy_id * 1000 + line.index + 1}",
        "name": item.name,
        "title": item.title,
        "variantTitle": item.variant_title,
        "sku": item.sku,
        "vendor": item.vendor,
        "quantity": line.quantity,
        "currentQuantity": left,
        "refundableQuantity": left,
        "isGiftCard": item.is_gift_card,
        "requiresShipping": item.requires_shipping,
        "taxable": not item.is_gift_card,
        "customAttributes": [],
        "variant": {"id": f"gid://shopify/ProductVariant/{order.profile.variant_id_base + item.key}",
                    "sku": item.sku, "barcode": item.barcode, "title": item.variant_title or "Default Title"},
        "product": {"id": f"gid://shopify/Product/{generator.product_ids[item.key]}", "title": item.title,
                    "isGiftCard": item.is_gift_card},
        "originalUnitPriceSet": w.bag(line.unit),
        "discountedUnitPriceSet": w.bag(unit_after),
        "discountedUnitPriceAfterAllDiscountsSet": w.bag(unit_after),
        "originalTotalSet": w.bag(line.original),
        "discountedTotalSet": w.bag(line.discounted),
        "totalDiscountSet": w.bag(line.original - line.discounted),
        "discountAllocations": [{"allocatedAmountSet": w.bag(amount), "discountApplication": applications[a.index]}
                                for a, amount in line.allocations],
        "taxLines": [w.tax_line(rate, amount) for rate, amount in line.taxes],
    }


def _add_unfulfilled(w: ViewWriter, lines, line_views: dict[int, dict], fulfillments: list[dict],
                     is_cancelled: bool) -> None:
    """What of each line is still to ship, once the fulfillments are known: its units left (refunded
    ones can no longer be fulfilled; a cancelled order ships nothing) and their value."""
    shipped: dict[str, int] = {}
    for fulfillment in fulfillments:
        for item in fulfillment["fulfillmentLineItems"]:
            shipped[item["lineItem"]["id"]] = shipped.get(item["lineItem"]["id"], 0) + item["quantity"]
    for line in lines:
        view = line_views[line.index]
        left = 0 if is_cancelled else max(view["currentQuantity"] - shipped.get(view["id"], 0), 0)
        view.update({
            "unfulfilledQuantity": left,
            "nonFulfillableQuantity": line.quantity - view["currentQuantity"],
            "unfulfilledOriginalTotalSet": w.bag(line.original.share(left, line.quantity)),
            "unfulfilledDiscountedTotalSet": w.bag(line.discounted.share(left, line.quantity)),
            "restockable": view["requiresShipping"] and view["refundableQuantity"] > 0,
            "merchantEditable": not is_cancelled and left > 0,
            "duties": [],
        })


def _shipping_view(w: ViewWriter, order: "GeneratedOrder", shipping: "ShippingRecord", applications: list[dict],
                   refunds: list) -> dict:
    refunded = total(refund.shipping[2] for refund in refunds if refund.shipping)
    return {
        "id": f"gid://shopify/ShippingLine/{order.legacy_id * 10 + 1}",
        "title": shipping.title,
        "code": shipping.code,
        "source": "shopify",
        "carrierIdentifier": None,
        "custom": False,
        "isRemoved": False,
        "originalPriceSet": w.bag(shipping.original),
        "discountedPriceSet": w.bag(shipping.discounted),
        "currentDiscountedPriceSet": w.bag(shipping.discounted - refunded),
        "discountAllocations": [{"allocatedAmountSet": w.bag(amount), "discountApplication": applications[a.index]}
                                for a, amount in shipping.allocations],
        "taxLines": [w.tax_line(rate, amount) for rate, amount in shipping.taxes],
    }


def _transaction_views(w: ViewWriter, order: "GeneratedOrder", transactions: list["TransactionRecord"]) -> list[dict]:
    views: dict[int, dict] = {}
    settled = {record.parent.id for record in transactions
               if record.kind in ("CAPTURE", "VOID") and record.status == "SUCCESS" and record.parent}
    card = _card(order) if any(record.gateway in CARD_GATEWAYS for record in transactions) else None
    for record in transactions:
        fees = []
        if record.fee is not None:
            fees.append({
                "id": f"gid://shopify/TransactionFee/{record.id * 10 + 1}",
                "type": "payment_fee",
                "rate": str(record.fee_rate),
                "rateName": w.profile.fee.rate_name,
                "amount": w.money(record.fee),
                "flatFee": w.money(record.fee_flat),
                "flatFeeName": "Fixed fee" if record.fee_flat else None,
                "taxAmount": w.money(Decimal("0")),
            })
        parent = views.get(record.parent.id) if record.parent else None
        views[record.id] = {
            "id": f"gid://shopify/OrderTransaction/{record.id}",
            "kind": record.kind,
            "status": record.status_at(w.now_s),
            "gateway": record.gateway,
            "formattedGateway": GATEWAY_NAMES[record.gateway],
            "manualPaymentGateway": record.gateway == "manual",
            "test": order.test,
            "processedAt": iso(record.time),
            "createdAt": iso(record.time),
            "amountSet": w.bag(record.amount),
            "fees": fees,
            "parentTransaction": parent,
            "authorizationCode": record.authorization_code,
            "paymentId": f"c{order.legacy_id}.{record.id % 100}",
            "errorCode": record.error_code,
            "manuallyCapturable": record.kind == "AUTHORIZATION" and record.status == "SUCCESS"
            and record.id not in settled,
            "multiCapturable": False,
            "paymentDetails": card if record.gateway in CARD_GATEWAYS else None,
        }
    return list(views.values())


def _card(order: "GeneratedOrder") -> dict:
    rng = RandomSource(stream_key(order.generator.seed, order.profile.handle, "cards"), order.number)
    company = rng.weighted(CARD_BRANDS)
    last4 = f"{rng.below(10_000):04d}"
    return {"__typename": "CardPaymentDetails", "company": company, "number": f"•••• •••• •••• {last4}",
            "bin": None, "name": None, "expirationMonth": 1 + rng.below(12), "expirationYear": 2027 + rng.below(5),
            "avsResultCode": "Y", "cvvResultCode": "M", "paymentMethodName": company.lower().replace(" ", "_"),
            "wallet": None}


def _refund_view(w: ViewWriter, order: "GeneratedOrder", refund: "RefundRecord", line_views: dict[int, dict],
                 shipping_view: dict | None, transaction_views: list[dict]) -> dict:
    by_id = {view["id"]: view for view in transaction_views}
    locations = order.profile.locations
    refund_lines = []
    for record in refund.lines:
        restocked = record.restock_type in ("RETURN", "CANCEL")
        refund_lines.append({
            "id": f"gid://shopify/RefundLineItem/{record.id}",
            "quantity": record.quantity,
            "restockType": record.restock_type,
            "restocked": restocked,
            "location": ({"id": locations[record.line.location].gid, "name": locations[record.line.location].name}
                         if restocked else None),
            "lineItem": line_views[record.line.index],
            "priceSet": w.bag(record.line.unit),
            "subtotalSet": w.bag(record.subtotal),
            "totalTaxSet": w.bag(record.tax),
        })
    shipping_lines = []
    if refund.shipping is not None:
        shipping_id, _, subtotal, taxes = refund.shipping
        shipping_lines.append({
            "id": f"gid://shopify/RefundShippingLine/{shipping_id}",
            "shippingLine": shipping_view,
            "subtotalAmountSet": w.bag(subtotal),
            "taxAmountSet": w.bag(total(amount for _, amount in taxes)),
        })
    settled = refund.settled
    return {
        "id": f"gid://shopify/Refund/{refund.id}",
        "legacyResourceId": str(refund.id),
        "createdAt": iso(refund.time),
        "updatedAt": iso(settled if settled <= w.now_s else refund.time),
        "note": refund.note,
        "totalRefundedSet": w.bag(refund.refunded_at(w.now_s)),
        "refundLineItems": refund_lines,
        "refundShippingLines": shipping_lines,
        "transactions": [by_id[f"gid://shopify/OrderTransaction/{record.id}"] for record in refund.transactions],
        "orderAdjustments": [],
        "duties": [],
        "order": w.order_reference,
        "return": return_reference(w, refund.return_record) if refund.return_record else None,
    }


def _confirmation(legacy_id: int) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    value, letters = legacy_id * 2654435761 % (1 << 45), []
    for _ in range(9):
        value, digit = divmod(value, 32)
        letters.append(alphabet[digit])
    return "".join(letters)
