"""The shop's customers: the pool its orders draw from and those created since, listed with Shopify's
search syntax and sort keys, found by id, created and updated (customerCreate, customerUpdate) with
Shopify's userErrors and the customers/create and customers/update webhooks. Lists and bulk exports
view only the customers they answer with, so a shop of 100,000 customers pages as fast as one of 300."""
from __future__ import annotations

from shopify_simulator.api.nodes import parse_gid
from shopify_simulator.api.record_pages import RecordListing
from shopify_simulator.api.registry import bulk_source, mutation, node_type, query_field
from shopify_simulator.api.request import RequestContext, search_or_error
from shopify_simulator.api.search import matches
from shopify_simulator.store.customer_book import CustomerBook
from shopify_simulator.store.customer_writes import Refusal, customer_fields

COUNT_LIMIT = 10_000


def _sort_keys(book: CustomerBook) -> dict:
    # Whole seconds since the epoch, as updatedAt and createdAt say them; the number breaks ties.
    return {"ID": lambda n: (n,),
            "CREATED_AT": lambda n: (book.created_second(n), n),
            "UPDATED_AT": lambda n: (book.updated_second(n), n),
            "NAME": lambda n: (book.facts(n).display_name.lower(), n)}


def customer_listing(context: RequestContext, args: dict) -> RecordListing:
    search = search_or_error(args.get("query"))
    book = context.shop.customers
    keys = _sort_keys(book)
    sort = args.get("sortKey") if args.get("sortKey") in keys else "ID"
    return RecordListing(book.numbers(), sort_name=sort, key=keys[sort],
                         keep=lambda n: matches(search, lambda field: _value(book, n, field)),
                         view=book.view, presorted=sort == "ID")


@query_field("customers")
def customers(context: RequestContext, info, **args) -> dict:
    return customer_listing(context, args).page(args)


@bulk_source("customers")
def exported_customers(context: RequestContext, args: dict):
    return customer_listing(context, args).exported(descending=bool(args.get("reverse")))


@query_field("customersCount")
def customers_count(context: RequestContext, info, query=None, **args) -> dict:
    """Exact up to 10,000, as Shopify counts."""
    count = customer_listing(context, {"query": query}).count()
    return {"count": min(count, COUNT_LIMIT), "precision": "EXACT" if count <= COUNT_LIMIT else "AT_LEAST"}


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


def _value(book: CustomerBook, number: int, field: str):
    if field == "updated_at":
        return book.updated_at(number)
    if field == "created_at":
        return book.created_at(number)
    if field == "id":
        return number
    facts = book.facts(number)
    if field == "email":
        return facts.email or ""
    if field == "phone":
        # As written and in E.164 (+33612345678), so either form finds the customer.
        phone = facts.phone or ""
        return {phone, "+" + "".join(c for c in phone if c.isdigit())} if phone else ""
    if field == "tag":
        return set(facts.tags)
    if field == "tax_exempt":
        return facts.tax_exempt
    if field == "state":
        return facts.state.lower()
    if field in ("first_name", "last_name"):
        return (facts.first_name if field == "first_name" else facts.last_name) or ""
    if field == "":
        return {value for value in (facts.email, facts.first_name, facts.last_name, facts.phone) if value}
    return None
