"""The shop's customers: the pool its orders draw from, created before the first order."""
from __future__ import annotations

from datetime import timedelta

from shopify_simulator.api.connections import list_connection
from shopify_simulator.api.registry import node_type, query_field
from shopify_simulator.api.request import RequestContext, iso, search_or_error
from shopify_simulator.api.search import matches, parse_time
from shopify_simulator.store.order_view import _customer_view
from shopify_simulator.store.orders import CUSTOMER_POOL
from shopify_simulator.store.records import Customer


def customer_view(context: RequestContext, index: int) -> dict:
    shop = context.shop
    created = shop.generator.created_at(0) - timedelta(days=30) + timedelta(hours=index)
    return {
        "__typename": "Customer",
        **_customer_view(Customer(shop.profile, index)),
        "createdAt": iso(created), "updatedAt": iso(created), "state": "ENABLED", "tags": [],
        "taxExempt": False, "note": None, "verifiedEmail": True,
    }


@query_field("customers")
def customers(context: RequestContext, info, **args) -> dict:
    search = search_or_error(args.get("query"))
    views = [customer_view(context, index) for index in range(CUSTOMER_POOL)]
    matching = [v for v in views if matches(search, lambda field: _value(v, field))]
    return list_connection(matching, args, unlimited=context.bulk)


@node_type("Customer")
def customer_node(context: RequestContext, gid: str, number: int) -> dict | None:
    index = number - context.shop.profile.customer_id_base
    return customer_view(context, index) if 0 <= index < CUSTOMER_POOL else None


def _value(view: dict, field: str):
    if field in ("updated_at", "created_at"):
        return parse_time(view["updatedAt" if field == "updated_at" else "createdAt"])
    if field == "email":
        return view["email"]
    if field == "":
        return {view["email"], view["firstName"], view["lastName"]}
    return None
