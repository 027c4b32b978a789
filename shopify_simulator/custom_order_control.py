"""The control route that makes an order to a specification, so a test knows every amount in advance
(control.py serves it):

    POST /_simulator/orders/custom {shop?, order: {...}}   ->   {id, name, total}

`order` is store.order_spec's specification; `total` is the order's total in its currency. The order
is then like any other: listed, exported, fulfilled and updated through the API and the control API;
orders/create is sent as for POST /_simulator/orders. Its customer, given by details, is the shop's
customer with that email, else one created as in the admin (customers/create).
"""
from __future__ import annotations

from datetime import datetime

from shopify_simulator.resources.customers import create_customer, customer_number
from shopify_simulator.store.custom_orders import CustomOrder
from shopify_simulator.store.order_spec import OrderSpecError, read_order_spec
from shopify_simulator.store.orders import FIRST_ORDER_NAME

_CUSTOMER_INPUT = {"first_name": "firstName", "last_name": "lastName", "email": "email", "phone": "phone"}


def create_custom_order_route(shop, body: dict, emit) -> dict:
    unknown = sorted(set(body) - {"shop", "order"})
    if unknown:
        raise OrderSpecError(f"the body has unknown fields: {', '.join(unknown)} (known: shop, order)")
    now = shop.clock.now()
    with shop.lock:
        spec = read_order_spec(body.get("order"), profile=shop.profile, catalog=shop.catalog, now=now)
    customer = _buyer(shop, spec.customer, now=now)

    def build(number: int, created_at: datetime) -> CustomOrder:
        return CustomOrder(shop.generator, spec, number=number, name=spec.name or _next_free_name(shop, number),
                           created_at=created_at, customer=customer)

    with shop.lock:
        number = shop.orders.create_custom(build)
    emit(shop, "ORDERS_CREATE", number)
    view = shop.orders.view(number)
    return {"id": view["id"], "name": view["name"], "total": view["totalPriceSet"]["presentmentMoney"]["amount"]}


def _buyer(shop, given: dict | None, *, now: datetime) -> dict | None:
    """The view of the shop's customer `given` names (None: a guest)."""
    if given is None:
        return None
    if "id" in given:
        number = customer_number(shop, given["id"])
        if number is None:
            raise OrderSpecError(f"the shop has no customer {given['id']!r}")
        return shop.customers.view(number)
    email = (given.get("email") or "").lower()
    if email:
        for number in shop.customers.numbers():
            their_email, _ = shop.customers.contact(number)
            if their_email and their_email.lower() == email:
                return shop.customers.view(number)
    answer = create_customer(shop, {_CUSTOMER_INPUT[key]: value for key, value in given.items() if value is not None},
                             now=now)
    if answer["userErrors"]:
        raise OrderSpecError("the customer cannot be created: "
                             + "; ".join(error["message"] for error in answer["userErrors"]))
    return answer["customer"]


def _next_free_name(shop, number: int) -> str:
    """The name a new order of that number takes, or the next one no order made to a specification has."""
    taken = shop.orders.custom_names()
    counter = FIRST_ORDER_NAME + number
    while f"{shop.profile.order_prefix}{counter}" in taken:
        counter += 1
    return f"{shop.profile.order_prefix}{counter}"

