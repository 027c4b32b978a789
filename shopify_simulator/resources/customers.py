"""The shop's customers: the pool its orders draw from, created before the first order."""
from __future__ import annotations

from shopify_simulator.api.connections import list_connection
from shopify_simulator.api.registry import node_type, query_field
from shopify_simulator.api.request import RequestContext, search_or_error
from shopify_simulator.api.search import matches, parse_time
from shopify_simulator.store.customers import customer_created_at
from shopify_simulator.store.customers import customer_view as full_view
from shopify_simulator.store.orders import CUSTOMER_POOL
from shopify_simulator.store.records import Customer


def customer_view(context: RequestContext, index: int) -> dict:
    shop = context.shop
    return full_view(shop.profile, Customer(shop.profile, index), created=customer_created_at(shop.generator, index))


@query_field("customers")
def customers(context: RequestContext, info, **args) -> dict:
    search = search_or_error(args.get("query"))
    views = [customer_view(context, index) for index in range(CUSTOMER_POOL)]
    matching = [v for v in views if matches(search, lambda field: _value(v, field))]
    return list_connection(matching, args, unlimited=context.bulk)


@query_field("customer")
def customer(context: RequestContext, info, **args) -> dict | None:
    return _by_number(context, _number(args.get("id", "")))


@node_type("Customer")
def customer_node(context: RequestContext, gid: str, number: int) -> dict | None:
    return _by_number(context, number)


def _by_number(context: RequestContext, number: int | None) -> dict | None:
    if number is None:
        return None
    index = number - context.shop.profile.customer_id_base
    return customer_view(context, index) if 0 <= index < CUSTOMER_POOL else None


def _number(gid: str) -> int | None:
    prefix = "gid://shopify/Customer/"
    tail = gid[len(prefix):] if gid.startswith(prefix) else ""
    return int(tail) if tail.isdigit() else None


def _value(view: dict, field: str):
    if field in ("updated_at", "created_at"):
        return parse_time(view["updatedAt" if field == "updated_at" else "createdAt"])
    if field == "email":
        return view["email"]
    if field == "phone":
        return view["phone"]
    if field == "tag":
        return set(view["tags"])
    if field == "tax_exempt":
        return view["taxExempt"]
    if field == "":
        return {view["email"], view["firstName"], view["lastName"]}
    return None
