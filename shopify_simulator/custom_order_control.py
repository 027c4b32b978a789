"""The control routes that make an order to a specification, so a test knows every amount in advance,
and change it as a merchant does in the admin (control.py serves them):

    POST /_simulator/orders/custom {shop?, order: {...}}   ->   {id, name, total}
    POST /_simulator/orders/custom/update {shop?, id, order?: {...}, cancel?: {reason}}
                                                           ->   {id, name, total, updatedAt}
    POST /_simulator/orders/custom/refund {shop?, id, refund: {...}}   ->   {id, refund_id, updatedAt}
    POST /_simulator/orders/custom/refund/settle {shop?, id, refund_id}   ->   {id, refund_id, updatedAt}

`order` is store.order_spec's specification; `total` is the order's total in its currency. The order
is then like any other: listed, exported, fulfilled and updated through the API and the control API;
orders/create is sent as for POST /_simulator/orders. Its customer, given by details, is the shop's
customer with that email, else one created as in the admin (customers/create). The update route
says how an order made so is changed, the refund routes how it is refunded (store.custom_refunds).
"""
from __future__ import annotations

from datetime import datetime

from shopify_simulator.api.request import iso
from shopify_simulator.resources.customers import create_customer, customer_number
from shopify_simulator.resources.orders import order_number
from shopify_simulator.store.custom_orders import CustomOrder
from shopify_simulator.store.order_spec import OrderSpecError, read_order_spec
from shopify_simulator.store.orders import FIRST_ORDER_NAME

_CUSTOMER_INPUT = {"first_name": "firstName", "last_name": "lastName", "email": "email", "phone": "phone"}
# What an update may change: the specification's keys, and what each sets in the order's view (a
# value a mutation set there, e.g. orderUpdate's note, gives way to the update's).
_CHANGEABLE = {"lines": (), "shipping_lines": (), "discount_applications": (), "tip": (), "fulfilled": (),
               "paid": (), "billing_address": (), "shipping_address": (), "note": ("note",), "tags": ("tags",),
               "email": ("email",)}
_AFTER_CANCELLING = {"billing_address", "shipping_address", "note", "tags", "email"}
_AFTER_REFUNDING = _AFTER_CANCELLING | {"fulfilled"}     # a refund's lines and money stay as they were
_CANCEL_REASONS = ("CUSTOMER", "DECLINED", "FRAUD", "INVENTORY", "STAFF", "OTHER")   # OrderCancelReason


class _NoSuchOrder(OrderSpecError):
    status = 404


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


def update_custom_order_route(shop, body: dict, emit) -> dict:
    """Change an order made to a specification, as a merchant edits or cancels one in the admin:

        {"shop"?: domain, "id": order GID,
         "order"?: {any of "lines", "shipping_lines", "discount_applications", "tip", "fulfilled", "paid",
                    "billing_address", "shipping_address", "note", "tags", "email"},
         "cancel"?: {"reason": "CUSTOMER" | "DECLINED" | "FRAUD" | "INVENTORY" | "STAFF" | "OTHER"}}

    Each key given replaces the specification's (the others stay), and the whole is checked as when
    the order was made: a bad one answers 400 and changes nothing. A line of "lines" may carry
    "id": the GID of one of the order's LineItems, which it then is (its quantity, price, taxes...
    as now given); a line without "id" is a new LineItem with an ID the order never had, and a line
    of the order that no line names is removed. "shipping_lines" likewise ("id": the order's
    ShippingLine GID). The order is then as if made to the new specification when it was made: its
    totals are recomputed, a paid order's one SALE is of the new total; "paid" or "fulfilled" that
    becomes true is paid or shipped now. `cancel` cancels it now (cancelledAt, cancelReason, closedAt;
    no refund: a paid order stays PAID, an unpaid one is VOIDED as Shopify shows it); a cancelled
    order's lines, shipping, discounts, tip, payment and fulfillment no longer change, nor is it
    cancelled twice. updatedAt moves to now (a second past the last at least, as for every change:
    so it can be later than cancelledAt) and orders/updated is sent (the simulator sends no
    orders/cancelled).

    Answers {"id", "name", "total" (in the order's currency), "updatedAt"}.
    """
    unknown = sorted(set(body) - {"shop", "id", "order", "cancel"})
    if unknown:
        raise OrderSpecError(f"the body has unknown fields: {', '.join(unknown)} (known: shop, id, order, cancel)")
    changes = body.get("order") or {}
    if not isinstance(changes, dict):
        raise OrderSpecError("\"order\" is a JSON object of the specification's keys to change")
    unchangeable = sorted(set(changes) - set(_CHANGEABLE))
    if unchangeable:
        raise OrderSpecError(f"an update cannot change {', '.join(unchangeable)} "
                             f"(it changes {', '.join(_CHANGEABLE)})")
    reason = _cancel_reason(body.get("cancel"))
    with shop.lock:
        number, order = _custom_order(shop, body.get("id"))
        if order.cancelled and set(changes) - _AFTER_CANCELLING:
            raise OrderSpecError(f"the order {order.name} is cancelled: only "
                                 f"{', '.join(sorted(_AFTER_CANCELLING))} can change")
        if order.refund_specs and set(changes) - _AFTER_REFUNDING:
            raise OrderSpecError(f"the order {order.name} has refunds: only "
                                 f"{', '.join(sorted(_AFTER_REFUNDING))} can change")
        given = dict(changes)
        line_ids = _ids(given, "lines", "line")
        shipping_ids = _ids(given, "shipping_lines", "shipping line")
        now = shop.clock.now()
        spec = read_order_spec({**order.spec.given, **given}, profile=shop.profile, catalog=shop.catalog, now=now)
        updated_at = shop.orders.remake_custom(    # revised raises before anything changes
            number, lambda current: current.revised(spec, line_ids=line_ids, shipping_ids=shipping_ids, at=now,
                                                    cancel_reason=reason),
            given={field for key in changes for field in _CHANGEABLE[key]})
    emit(shop, "ORDERS_UPDATED", number)
    view = shop.orders.view(number)
    return {"id": view["id"], "name": view["name"], "total": view["totalPriceSet"]["presentmentMoney"]["amount"],
            "updatedAt": iso(updated_at)}


def refund_custom_order_route(shop, body: dict, emit) -> dict:
    """Refund an order made to a specification, as a merchant does in the admin:

        {"shop"?: domain, "id": order GID,
         "refund": {"lines"?: [{"id": LineItem GID, "quantity", "restock_type": "RETURN" | "NO_RESTOCK" | "CANCEL",
                                "subtotal"?, "tax"?}],
                    "shipping"?: {"subtotal"?, "tax"?}, "amount"?, "pending"?: false,
                    "exchange"?: [{"title", "sku"?, "variant_id"?, "quantity", "price", "taxes"?}]}}

    store.custom_refunds says what each means and its defaults. The refund is made now; a bad one
    answers 400 and changes nothing. updatedAt moves to now (a second past the last at least) and
    orders/updated is sent (the simulator sends no refunds/create).

    Answers {"id": the order's GID, "refund_id": the Refund's GID, "updatedAt"}.
    """
    _known(body, {"shop", "id", "refund"})
    with shop.lock:
        number, order = _custom_order(shop, body.get("id"))
        refund = order.read_refund(body.get("refund"), catalog=shop.catalog, at=shop.clock.now())
        updated_at = shop.orders.remake_custom(number, lambda current: current.refunded(refund), given=set())
        refund_id = shop.orders.order(number).refund_gid(-1)
    emit(shop, "ORDERS_UPDATED", number)
    return {"id": order.gid, "refund_id": refund_id, "updatedAt": iso(updated_at)}


def settle_custom_refund_route(shop, body: dict, emit) -> dict:
    """Pay back a pending refund's money now: its REFUND transactions turn SUCCESS and count as refunded.

        {"shop"?: domain, "id": order GID, "refund_id": Refund GID}

    updatedAt moves and orders/updated is sent, as for a refund. Answers {"id", "refund_id", "updatedAt"}.
    """
    _known(body, {"shop", "id", "refund_id"})
    with shop.lock:
        number, order = _custom_order(shop, body.get("id"))
        refund_id, now = body.get("refund_id"), shop.clock.now()
        updated_at = shop.orders.remake_custom(
            number, lambda current: current.with_refund_settled(refund_id, at=now), given=set())
    emit(shop, "ORDERS_UPDATED", number)
    return {"id": order.gid, "refund_id": refund_id, "updatedAt": iso(updated_at)}


def _known(body: dict, fields: set[str]) -> None:
    unknown = sorted(set(body) - fields)
    if unknown:
        raise OrderSpecError(f"the body has unknown fields: {', '.join(unknown)} (known: {', '.join(sorted(fields))})")


def _custom_order(shop, gid) -> tuple[int, CustomOrder]:
    number = order_number(shop, gid or "") if isinstance(gid, str) else None
    order = shop.orders.order(number) if number is not None else None
    if not isinstance(order, CustomOrder):
        raise _NoSuchOrder(f"no order made to a specification has ID {gid!r}")
    return number, order


def _cancel_reason(given) -> str | None:
    if given is None:
        return None
    if not isinstance(given, dict) or set(given) != {"reason"} or given["reason"] not in _CANCEL_REASONS:
        raise OrderSpecError(f"\"cancel\" is {{\"reason\": one of {', '.join(_CANCEL_REASONS)}}}, not {given!r}")
    return given["reason"]


def _ids(given: dict, key: str, what: str) -> tuple[str | None, ...] | None:
    """The "id" each entry of given[key] carries (None: none), taken out of it; no tuple without `key`."""
    if key not in given:
        return None
    entries = given[key]
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        return None     # read_order_spec says what is wrong
    ids = []
    for position, entry in enumerate(entries):
        gid = entry.get("id")
        if gid is not None and not isinstance(gid, str):
            raise OrderSpecError(f"{what} {position + 1}: \"id\" is a GID, not {gid!r}")
        ids.append(gid)
    given[key] = [{name: value for name, value in entry.items() if name != "id"} for entry in entries]
    return tuple(ids)


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

