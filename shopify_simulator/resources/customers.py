"""The shop's customers: the pool its orders draw from and those created since, listed with Shopify's
search syntax and sort keys, found by id, created and updated (customerCreate, customerUpdate) with
Shopify's userErrors and the customers/create and customers/update webhooks."""
from __future__ import annotations

from shopify_simulator.api.connections import list_connection
from shopify_simulator.api.nodes import parse_gid
from shopify_simulator.api.registry import mutation, node_type, query_field
from shopify_simulator.api.request import RequestContext, search_or_error
from shopify_simulator.api.search import matches, parse_time
from shopify_simulator.store.customer_writes import Refusal, customer_fields

_SORTED_BY = {"CREATED_AT": lambda v: (v["createdAt"], int(v["legacyResourceId"])),
              "UPDATED_AT": lambda v: (v["updatedAt"], int(v["legacyResourceId"])),
              "NAME": lambda v: (v["displayName"].lower(), int(v["legacyResourceId"]))}


@query_field("customers")
def customers(context: RequestContext, info, sortKey="ID", reverse=False, query=None, **args) -> dict:
    search = search_or_error(query)
    book = context.shop.customers
    views = [book.view(number) for number in book.numbers()]
    matching = [v for v in views if matches(search, lambda field: _value(v, field))]
    if sortKey in _SORTED_BY:
        matching.sort(key=_SORTED_BY[sortKey])
    return list_connection(matching, {**args, "reverse": reverse}, unlimited=context.bulk)


@query_field("customersCount")
def customers_count(context: RequestContext, info, query=None) -> dict:
    """Exact up to 10,000, as Shopify counts."""
    search = search_or_error(query)
    book = context.shop.customers
    count = sum(1 for number in book.numbers() if matches(search, lambda field: _value(book.view(number), field)))
    return {"count": min(count, 10_000), "precision": "EXACT" if count <= 10_000 else "AT_LEAST"}


@query_field("customer")
def customer(context: RequestContext, info, id) -> dict | None:
    return customer_node(context, id, 0)


@node_type("Customer")
def customer_node(context: RequestContext, gid: str, number: int) -> dict | None:
    found = customer_number(context.shop, gid)
    return None if found is None else context.shop.customers.view(found)


def customer_number(shop, gid: str) -> int | None:
    """The number of the shop's customer `gid` names, or None."""
    parsed = parse_gid(gid or "")
    if parsed is None or parsed[0] != "Customer" or not shop.customers.exists(parsed[1]):
        return None
    return parsed[1]


@mutation("customerCreate")
def customer_create(context: RequestContext, info, input) -> dict:
    return create_customer(context.shop, input, now=context.now)


@mutation("customerUpdate")
def customer_update(context: RequestContext, info, input) -> dict:
    return update_customer(context.shop, input, now=context.now)


def create_customer(shop, given: dict, *, now) -> dict:
    """customerCreate's answer; the control API's admin-made customers go through here too."""
    with shop.lock:
        fields, refusals = customer_fields(shop.customers, given, number=None, now=now)
        if refusals:
            return _refused(refusals)
        number = shop.customers.next_number()
        shop.customers.create(number, fields, now=now)
    if shop.on_event:
        shop.on_event(shop, "CUSTOMERS_CREATE", number)
    return {"customer": shop.customers.view(number), "userErrors": []}


def update_customer(shop, given: dict, *, now) -> dict:
    """customerUpdate's answer: a write that changes nothing moves nothing and notifies no one."""
    number = customer_number(shop, given.get("id") or "")
    if number is None:
        return _refused([Refusal(["id"], "Customer does not exist")])
    with shop.lock:
        fields, refusals = customer_fields(shop.customers, given, number=number, now=now)
        if refusals:
            return _refused(refusals)
        if fields:
            shop.customers.change(number, fields, now=now)
    if fields and shop.on_event:
        shop.on_event(shop, "CUSTOMERS_UPDATE", number)
    return {"customer": shop.customers.view(number), "userErrors": []}


def _refused(refusals: list[Refusal]) -> dict:
    return {"customer": None, "userErrors": [{"field": r.field, "message": r.message} for r in refusals]}


def _value(view: dict, field: str):
    if field in ("updated_at", "created_at"):
        return parse_time(view["updatedAt" if field == "updated_at" else "createdAt"])
    if field == "email":
        return view["email"] or ""
    if field == "phone":
        # As written and in E.164 (+33612345678), so either form finds the customer.
        phone = view["phone"] or ""
        return {phone, "+" + "".join(c for c in phone if c.isdigit())} if phone else ""
    if field == "tag":
        return set(view["tags"])
    if field == "tax_exempt":
        return view["taxExempt"]
    if field == "id":
        return int(view["legacyResourceId"])
    if field == "state":
        return view["state"].lower()
    if field in ("first_name", "last_name"):
        return view["firstName" if field == "first_name" else "lastName"] or ""
    if field == "":
        return {value for value in (view["email"], view["firstName"], view["lastName"], view["phone"]) if value}
    return None
