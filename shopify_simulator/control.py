"""The control API under /_simulator/, for tests and demos (JSON in, JSON out).

    GET    /_simulator/shops                       domains, credentials, currencies, time zones
    GET    /_simulator/stats                       GraphQL requests and injected faults by kind, per shop
    POST   /_simulator/faults     {shop, kind, next|probability, seconds?, status?}
    DELETE /_simulator/faults     {shop?}          clear (every shop without `shop`)
    POST   /_simulator/orders     {shop, count?}   create orders now (orders/create webhooks)
    POST   /_simulator/orders/custom {shop?, order}   make an order to a specification (custom_order_control.py)
    POST   /_simulator/orders/custom/update {shop?, id, order?, cancel?}   change or cancel one (orders/updated)
    POST   /_simulator/orders/custom/refund {shop?, id, refund}   refund one (orders/updated)
    POST   /_simulator/orders/custom/refund/settle {shop?, id, refund_id}   pay a pending refund back (orders/updated)
    POST   /_simulator/orders/update {shop, id, note?, tags?}   change an order (orders/updated)
    POST   /_simulator/orders/corrupt {shop, id}   make one order unreadable (a fault for one record)
    POST   /_simulator/orders/delete {shop, id}    delete one order (listed and found no more)
    POST   /_simulator/customers  {shop, first_name?, last_name?, email?, phone?, note?, tags?, tax_exempt?,
                                   tax_exemptions?, locale?, addresses?}   add a customer in the admin
                                   (customers/create); Shopify's refusals answer 422
    POST   /_simulator/customers/update {shop, id, ...the same fields}   edit one (customers/update)
    GET    /_simulator/clock                       the simulator's now
    POST   /_simulator/clock      {advance_seconds}
    POST   /_simulator/webhooks/trigger {shop, topic, id?}
    GET    /_simulator/webhooks/deliveries
    POST   /_simulator/settings   {shop, throttle_status?, webhook_duplicates?, webhook_shuffle?, plan?, bucket?,
                                   scopes?, refused_webhook_topics?}
    POST   /_simulator/uninstall  {shop}   /   POST /_simulator/install {shop}
    POST   /_simulator/products/update, /_simulator/inventory/set, /_simulator/inventory/drift   the catalog
                                   (catalog_control.py)
    POST   /_simulator/locations/remove {shop?, location_id}   remove a location (location_control.py)
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from shopify_simulator.api.request import iso
from shopify_simulator.bucket import PLANS, LeakyBucket, Plan
from shopify_simulator.catalog_control import (
    CatalogControlError,
    drift_stock_route,
    set_stock_route,
    update_product_route,
)
from shopify_simulator.custom_order_control import (
    create_custom_order_route,
    refund_custom_order_route,
    settle_custom_refund_route,
    update_custom_order_route,
)
from shopify_simulator.location_control import LocationControlError, remove_location_route
from shopify_simulator.resources.customers import create_customer, customer_number, update_customer
from shopify_simulator.resources.orders import order_number
from shopify_simulator.store.order_spec import OrderSpecError

if TYPE_CHECKING:
    from shopify_simulator.server import Simulator

_TOPICS = {"orders/create": "ORDERS_CREATE", "orders/updated": "ORDERS_UPDATED",
           "app/uninstalled": "APP_UNINSTALLED", "bulk_operations/finish": "BULK_OPERATIONS_FINISH",
           "customers/create": "CUSTOMERS_CREATE", "customers/update": "CUSTOMERS_UPDATE"}
# The control API's customer fields (the admin's names) and the CustomerInput fields they set.
_CUSTOMER_FIELDS = {"first_name": "firstName", "last_name": "lastName", "email": "email", "phone": "phone",
                    "note": "note", "tags": "tags", "tax_exempt": "taxExempt", "tax_exemptions": "taxExemptions",
                    "locale": "locale", "addresses": "addresses"}
_ADDRESS_FIELDS = {"first_name": "firstName", "last_name": "lastName", "country_code": "countryCode",
                   "province_code": "provinceCode"}


class ControlError(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def handle_control(simulator: "Simulator", method: str, path: str, raw_body: bytes) -> tuple[int, dict]:
    try:
        body = json.loads(raw_body) if raw_body else {}
        if not isinstance(body, dict):
            raise ValueError
    except ValueError:
        return 400, {"error": "the body must be a JSON object"}
    route = path.split("?", 1)[0].removeprefix("/_simulator/").rstrip("/")
    handler = _ROUTES.get((method, route))
    if handler is None:
        return 404, {"error": f"no control route {method} /_simulator/{route}"}
    try:
        return 200, handler(simulator, body)
    except (ControlError, CatalogControlError, OrderSpecError, LocationControlError) as exc:
        return exc.status, {"error": str(exc)}
    except (KeyError, TypeError, ValueError) as exc:
        return 400, {"error": f"bad request: {exc}"}


def _shop(simulator: "Simulator", body: dict):
    domain = body.get("shop")
    if not domain:
        return simulator.shops[0]
    shop = simulator.by_domain.get(domain)
    if shop is None:
        raise ControlError(f"no shop {domain!r}", 404)
    return shop


def _shops(simulator, body):
    return {"shops": simulator.describe(), "now": iso(simulator.clock.now())}


def _stats(simulator, body):
    return {"shops": {shop.domain: shop.faults.statistics() for shop in simulator.shops}}


def _set_fault(simulator, body):
    shop = _shop(simulator, body)
    shop.faults.set(body["kind"], next_requests=int(body.get("next", 0)),
                    probability=float(body.get("probability", 0.0)), seconds=float(body.get("seconds", 5.0)),
                    status=int(body.get("status", 503)))
    return {"shop": shop.domain, "faults": shop.faults.describe()}


def _clear_faults(simulator, body):
    shops = [_shop(simulator, body)] if body.get("shop") else simulator.shops
    for shop in shops:
        shop.faults.clear()
    return {"cleared": [s.domain for s in shops]}


def _create_orders(simulator, body):
    shop = _shop(simulator, body)
    count = int(body.get("count", 1))
    if not 1 <= count <= 1000:
        raise ControlError("count must be between 1 and 1000")
    created = []
    for _ in range(count):
        number = shop.orders.create()
        created.append(shop.orders.view(number)["id"])
        simulator.emit(shop, "ORDERS_CREATE", number)
    return {"orders": created}


def _update_order(simulator, body):
    shop = _shop(simulator, body)
    number = order_number(shop, body["id"])
    if number is None:
        raise ControlError(f"no order {body['id']!r}", 404)
    changes = {k: body[k] for k in ("note", "tags", "email") if k in body}
    updated_at = shop.orders.change(number, changes)
    simulator.emit(shop, "ORDERS_UPDATED", number)
    return {"id": body["id"], "updatedAt": iso(updated_at)}


def _corrupt_order(simulator, body):
    """Make one order unreadable (a processedAt that is not a date) and move its updatedAt, so the
    next incremental import reads it and must fail that order alone."""
    shop = _shop(simulator, body)
    number = order_number(shop, body["id"])
    if number is None:
        raise ControlError(f"no order {body['id']!r}", 404)
    updated_at = shop.orders.change(number, {"processedAt": "not a date"})
    return {"id": body["id"], "updatedAt": iso(updated_at)}


def _delete_order(simulator, body):
    """Delete one order, as a merchant can in Shopify: it is no longer listed or found by its id."""
    shop = _shop(simulator, body)
    number = order_number(shop, body["id"])
    if number is None:
        raise ControlError(f"no order {body['id']!r}", 404)
    shop.orders.delete(number)
    return {"id": body["id"], "deleted": True}


def _create_customer(simulator, body):
    """A customer added in the Shopify admin: checked as customerCreate checks one."""
    shop = _shop(simulator, body)
    answer = create_customer(shop, _customer_input(body), now=simulator.clock.now())
    return _customer_answer(answer)


def _update_customer(simulator, body):
    """A customer edited in the Shopify admin: checked as customerUpdate checks one."""
    shop = _shop(simulator, body)
    if customer_number(shop, body["id"]) is None:
        raise ControlError(f"no customer {body['id']!r}", 404)
    answer = update_customer(shop, {"id": body["id"], **_customer_input(body)}, now=simulator.clock.now())
    return _customer_answer(answer)


def _customer_input(body: dict) -> dict:
    given = {_CUSTOMER_FIELDS[key]: value for key, value in body.items() if key in _CUSTOMER_FIELDS}
    if isinstance(given.get("tags"), str):
        given["tags"] = [given["tags"]]
    if given.get("addresses") is not None:
        given["addresses"] = [{_ADDRESS_FIELDS.get(key, key): value for key, value in address.items()}
                              for address in given["addresses"]]
    return given


def _customer_answer(answer: dict) -> dict:
    if answer["userErrors"]:
        raise ControlError("; ".join(error["message"] for error in answer["userErrors"]), 422)
    customer = answer["customer"]
    return {"id": customer["id"], "updatedAt": customer["updatedAt"]}


def _clock(simulator, body):
    return {"now": iso(simulator.clock.now())}


def _advance_clock(simulator, body):
    seconds = float(body["advance_seconds"])
    if seconds < 0:
        raise ControlError("the clock only moves forward")
    for shop in simulator.shops:
        shop.orders.refresh()  # settle what happened before the jump, so the jump reports only its own
    now = simulator.clock.advance(seconds)
    moved = {shop.domain: len(shop.orders.refresh()) for shop in simulator.shops}
    return {"now": iso(now), "orders_updated": moved}


def _trigger_webhook(simulator, body):
    shop = _shop(simulator, body)
    topic = _TOPICS.get(body["topic"], body["topic"])
    subject = None
    if topic in ("ORDERS_CREATE", "ORDERS_UPDATED"):
        number = order_number(shop, body.get("id") or shop.orders.view(shop.total_orders - 1)["id"])
        if number is None:
            raise ControlError(f"no order {body.get('id')!r}", 404)
        subject = number
    elif topic in ("CUSTOMERS_CREATE", "CUSTOMERS_UPDATE"):
        subject = customer_number(shop, body.get("id") or "") if body.get("id") else shop.customers.numbers()[-1]
        if subject is None:
            raise ControlError(f"no customer {body.get('id')!r}", 404)
    elif topic == "BULK_OPERATIONS_FINISH":
        operations = list(shop.bulk_operations.values())
        if not operations:
            raise ControlError("this shop has run no bulk operation")
        subject = operations[-1]
    return {"queued": simulator.emit(shop, topic, subject)}


def _deliveries(simulator, body):
    return {"deliveries": [d.summary() for d in simulator.webhooks.deliveries]}


def _settings(simulator, body):
    shop = _shop(simulator, body)
    settings = shop.settings
    if "throttle_status" in body:
        if body["throttle_status"] not in (200, 429):
            raise ControlError("throttle_status is 200 or 429")
        settings.throttle_status = body["throttle_status"]
    if "webhook_duplicates" in body:
        settings.webhook_duplicates = float(body["webhook_duplicates"])
    if "webhook_shuffle" in body:
        settings.webhook_shuffle = bool(body["webhook_shuffle"])
    if "auto_archive" in body:
        settings.auto_archive = bool(body["auto_archive"])
    if "refused_webhook_topics" in body:
        settings.refused_webhook_topics = tuple(body["refused_webhook_topics"])
    if "plan" in body:
        shop.plan = PLANS[body["plan"]]
        shop.bucket = LeakyBucket(shop.plan)
    if "bucket" in body:  # a bucket of any size, e.g. a small one so pacing tests run fast
        bucket = body["bucket"]
        shop.plan = Plan("custom", "Custom", float(bucket["maximum"]), float(bucket["restore_rate"]))
        shop.bucket = LeakyBucket(shop.plan)
    if "scopes" in body:
        shop.scopes = frozenset(body["scopes"])
    return {"shop": shop.domain, "settings": vars(settings), "plan": shop.plan.name, "scopes": sorted(shop.scopes)}


def _uninstall(simulator, body):
    shop = _shop(simulator, body)
    queued = simulator.emit(shop, "APP_UNINSTALLED", None)
    shop.settings.is_installed = False
    return {"shop": shop.domain, "installed": False, "webhooks_queued": queued}


def _install(simulator, body):
    shop = _shop(simulator, body)
    shop.settings.is_installed = True
    return {"shop": shop.domain, "installed": True}


_ROUTES = {
    ("GET", "shops"): _shops,
    ("GET", "stats"): _stats,
    ("POST", "faults"): _set_fault,
    ("DELETE", "faults"): _clear_faults,
    ("POST", "orders"): _create_orders,
    ("POST", "orders/custom"): lambda simulator, body: create_custom_order_route(_shop(simulator, body), body,
                                                                                simulator.emit),
    ("POST", "orders/custom/update"): lambda simulator, body: update_custom_order_route(_shop(simulator, body), body,
                                                                                       simulator.emit),
    ("POST", "orders/custom/refund"): lambda simulator, body: refund_custom_order_route(_shop(simulator, body), body,
                                                                                       simulator.emit),
    ("POST", "orders/custom/refund/settle"): lambda simulator, body: settle_custom_refund_route(
        _shop(simulator, body), body, simulator.emit),
    ("POST", "orders/update"): _update_order,
    ("POST", "orders/corrupt"): _corrupt_order,
    ("POST", "orders/delete"): _delete_order,
    ("POST", "customers"): _create_customer,
    ("POST", "customers/update"): _update_customer,
    ("GET", "clock"): _clock,
    ("POST", "clock"): _advance_clock,
    ("POST", "webhooks/trigger"): _trigger_webhook,
    ("GET", "webhooks/deliveries"): _deliveries,
    ("POST", "settings"): _settings,
    ("POST", "uninstall"): _uninstall,
    ("POST", "install"): _install,
}
# The catalog's routes (catalog_control.py): products/update, inventory/set.
_ROUTES.update({
    ("POST", "products/update"): lambda simulator, body: update_product_route(_shop(simulator, body), body,
                                                                              simulator.emit),
    ("POST", "inventory/set"): lambda simulator, body: set_stock_route(_shop(simulator, body), body, simulator.emit),
    ("POST", "inventory/drift"): lambda simulator, body: drift_stock_route(_shop(simulator, body), body,
                                                                           simulator.emit),
})
# A location removed from the shop (location_control.py).
_ROUTES[("POST", "locations/remove")] = lambda simulator, body: remove_location_route(_shop(simulator, body), body)
