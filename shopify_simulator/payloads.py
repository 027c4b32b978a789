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
    return order_payload(shop.orders.view(number))


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
    }


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
