"""REST-shaped webhook payloads, as Shopify sends them (with admin_graphql_api_id for the GID).

Each topic's payload is built from the event's subject by the function registered for it with
`payload_for`; a topic without one sends the shop (app/uninstalled)."""
from __future__ import annotations

from typing import Any, Callable

PayloadBuilder = Callable[[Any, Any], dict]   # (shop, subject) -> payload
PAYLOADS: dict[str, PayloadBuilder] = {}


def payload_for(*topics: str):
    """Register how the payload of `topics` (GraphQL enum names, e.g. PRODUCTS_UPDATE) is built."""
    def register(function: PayloadBuilder) -> PayloadBuilder:
        for topic in topics:
            PAYLOADS[topic] = function
        return function
    return register


def payload(shop, topic: str, subject) -> dict:
    return PAYLOADS.get(topic, lambda shop, subject: shop_payload(shop))(shop, subject)


def _amount(money_bag: dict | None) -> str | None:
    return (money_bag or {}).get("shopMoney", {}).get("amount")


@payload_for("ORDERS_CREATE", "ORDERS_UPDATED")
def order_event_payload(shop, number: int) -> dict:
    view = shop.orders.view(number)
    payload = order_payload(view)
    customer = view.get("customer")
    buyer = shop.companies.location_of_customer(int(customer["legacyResourceId"])) if customer else None
    if buyer is not None:   # a B2B order: the company and location it was placed for
        _, location = buyer
        payload["company"] = {"id": location.company_id, "location_id": location.id}
    return payload


def order_payload(view: dict) -> dict:
    fulfillment = (view.get("displayFulfillmentStatus") or "").lower()
    return {
        "id": int(view["legacyResourceId"]),
        "admin_graphql_api_id": view["id"],
        "name": view.get("name"),
        "email": view.get("email"),
        "created_at": view.get("createdAt"),
        "updated_at": view.get("updatedAt"),
        "processed_at": view.get("processedAt"),
        "cancelled_at": view.get("cancelledAt"),
        "closed_at": view.get("closedAt"),
        "test": bool(view.get("test")),
        "currency": view.get("currencyCode"),
        "presentment_currency": view.get("presentmentCurrencyCode"),
        "taxes_included": view.get("taxesIncluded"),
        "total_price": _amount(view.get("totalPriceSet")),
        "subtotal_price": _amount(view.get("subtotalPriceSet")),
        "total_tax": _amount(view.get("totalTaxSet")),
        "total_discounts": _amount(view.get("totalDiscountsSet")),
        "total_tip_received": _amount(view.get("totalTipReceivedSet")),
        "financial_status": (view.get("displayFinancialStatus") or "").lower(),
        "fulfillment_status": None if fulfillment == "unfulfilled" else fulfillment,
        "note": view.get("note"),
        "tags": ", ".join(view.get("tags") or []),
        "note_attributes": [{"name": a["key"], "value": a.get("value")} for a in view.get("customAttributes") or []],
        "line_items": [
            {
                "id": int(line["id"].rsplit("/", 1)[1]),
                "admin_graphql_api_id": line["id"],
                "title": line.get("title"),
                "quantity": line.get("quantity"),
                "sku": line.get("sku"),
                "price": _amount(line.get("originalUnitPriceSet")),
                "gift_card": bool(line.get("isGiftCard")),
            }
            for line in view.get("lineItems") or []
        ],
        "fulfillments": [fulfillment_payload(f, view) for f in view.get("fulfillments") or []],
    }


@payload_for("FULFILLMENTS_CREATE", "FULFILLMENTS_UPDATE")
def fulfillment_event_payload(shop, subject: tuple[int, str]) -> dict:
    number, gid = subject
    view = shop.orders.view(number)
    found = next(f for f in view["fulfillments"] if f["id"] == gid)
    return fulfillment_payload(found, view)


def fulfillment_payload(fulfillment: dict, order: dict) -> dict:
    """A fulfillment as REST shows it (fulfillments/create, fulfillments/update)."""
    tracking = fulfillment.get("trackingInfo") or []
    numbers = [entry["number"] for entry in tracking if entry.get("number")]
    urls = [entry["url"] for entry in tracking if entry.get("url")]
    location = fulfillment.get("location") or {}
    return {
        "id": int(fulfillment["legacyResourceId"]),
        "admin_graphql_api_id": fulfillment["id"],
        "order_id": int(order["legacyResourceId"]),
        "name": fulfillment["name"],
        "status": fulfillment["status"].lower(),
        "created_at": fulfillment["createdAt"],
        "updated_at": fulfillment["updatedAt"],
        "service": "manual",
        "shipment_status": None,
        "location_id": int(location["id"].rsplit("/", 1)[1]) if location.get("id") else None,
        "origin_address": fulfillment.get("originAddress"),
        "tracking_company": tracking[0]["company"] if tracking else None,
        "tracking_number": numbers[0] if numbers else None,
        "tracking_numbers": numbers,
        "tracking_url": urls[0] if urls else None,
        "tracking_urls": urls,
        "receipt": {},
        "line_items": [{
            "id": int(item["lineItem"]["id"].rsplit("/", 1)[1]),
            "admin_graphql_api_id": item["lineItem"]["id"],
            "title": item["lineItem"].get("title"),
            "name": item["lineItem"].get("name"),
            "sku": item["lineItem"].get("sku"),
            "quantity": item["quantity"],
            "price": item["lineItem"]["originalUnitPriceSet"]["shopMoney"]["amount"],
            "variant_id": _number((item["lineItem"].get("variant") or {}).get("id")),
            "product_id": _number((item["lineItem"].get("product") or {}).get("id")),
            "requires_shipping": item["lineItem"].get("requiresShipping"),
            "fulfillment_status": "fulfilled",
        } for item in fulfillment["fulfillmentLineItems"]],
    }


def _number(gid: str | None) -> int | None:
    return int(gid.rsplit("/", 1)[1]) if gid else None


def shop_payload(shop) -> dict:
    profile = shop.profile
    return {
        "id": int(shop.shop_gid().rsplit("/", 1)[1]),
        "name": profile.name,
        "domain": profile.domain,
        "myshopify_domain": profile.domain,
        "currency": profile.currency,
        "iana_timezone": profile.time_zone,
    }


@payload_for("BULK_OPERATIONS_FINISH")
def bulk_operation_payload(shop, operation) -> dict:
    view = operation.view()
    return {
        "admin_graphql_api_id": view["id"],
        "completed_at": view["completedAt"],
        "created_at": view["createdAt"],
        "error_code": (view["errorCode"] or "").lower() or None,
        "status": view["status"].lower(),
        "type": view["type"].lower(),
    }


@payload_for("CUSTOMERS_CREATE", "CUSTOMERS_UPDATE")
def customer_event_payload(shop, number: int) -> dict:
    return customer_payload(shop.customers.view(number), currency=shop.profile.currency)


def customer_payload(view: dict, *, currency: str) -> dict:
    """A customer as 2025-01 webhooks carry it: since 2025-01 without tags, marketing consents and
    purchase totals, which have topics of their own (customer.tags_added, customers/
    email_marketing_consent_update, customers/purchasing_summary)."""
    number = int(view["legacyResourceId"])
    default = view.get("defaultAddress")
    return {
        "id": number,
        "admin_graphql_api_id": view["id"],
        "email": view.get("email"),
        "phone": view.get("phone"),
        "first_name": view.get("firstName"),
        "last_name": view.get("lastName"),
        "created_at": view.get("createdAt"),
        "updated_at": view.get("updatedAt"),
        "state": (view.get("state") or "").lower(),
        "note": view.get("note"),
        "verified_email": bool(view.get("verifiedEmail")),
        "multipass_identifier": None,
        "tax_exempt": bool(view.get("taxExempt")),
        "tax_exemptions": list(view.get("taxExemptions") or []),
        "currency": currency,
        "addresses": [_customer_address(a, number, is_default=a is default) for a in view.get("addresses") or []],
        "default_address": _customer_address(default, number, is_default=True) if default else None,
    }


def _customer_address(address: dict, customer_id: int, *, is_default: bool) -> dict:
    return {
        "id": int(address["id"].split("?", 1)[0].rsplit("/", 1)[1]),
        "customer_id": customer_id,
        "first_name": address.get("firstName"),
        "last_name": address.get("lastName"),
        "company": address.get("company"),
        "address1": address.get("address1"),
        "address2": address.get("address2"),
        "city": address.get("city"),
        "province": address.get("province") or address.get("provinceCode"),
        "country": address.get("country"),
        "zip": address.get("zip"),
        "phone": address.get("phone"),
        "name": address.get("name"),
        "province_code": address.get("provinceCode"),
        "country_code": address.get("countryCodeV2"),
        "country_name": address.get("country"),
        "default": is_default,
    }
