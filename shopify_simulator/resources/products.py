"""The shop's products and variants (read side): lists with Shopify's search syntax, single lookups,
and node(s). Writes, media and stock per location come in later slices of the catalog."""
from __future__ import annotations

from shopify_simulator.api.connections import list_connection
from shopify_simulator.api.registry import node_type, query_field
from shopify_simulator.api.request import RequestContext, search_or_error
from shopify_simulator.api.search import matches, parse_time
from shopify_simulator.store.product_view import product_view, variant_view


@query_field("products")
def products(context: RequestContext, info, **args) -> dict:
    search = search_or_error(args.get("query"))
    views = [product_view(context.shop, product) for product in context.shop.catalog.products]
    chosen = [view for view in views if matches(search, lambda field: _product_value(view, field))]
    return list_connection(_ordered(chosen, args), args, unlimited=context.bulk)


@query_field("productVariants")
def product_variants(context: RequestContext, info, **args) -> dict:
    search = search_or_error(args.get("query"))
    views = [v for product in context.shop.catalog.products for v in product_view(context.shop, product)["variants"]]
    chosen = [view for view in views if matches(search, lambda field: _variant_value(view, field))]
    return list_connection(_ordered(chosen, args), args, unlimited=context.bulk)


@query_field("product")
def product(context: RequestContext, info, **args) -> dict | None:
    number = _number(args.get("id", ""), "Product")
    return product_node(context, args.get("id", ""), number) if number is not None else None


@query_field("productVariant")
def product_variant(context: RequestContext, info, **args) -> dict | None:
    number = _number(args.get("id", ""), "ProductVariant")
    return variant_node(context, args.get("id", ""), number) if number is not None else None


@node_type("Product")
def product_node(context: RequestContext, gid: str, number: int) -> dict | None:
    found = context.shop.catalog.product(number)
    return product_view(context.shop, found) if found else None


@node_type("ProductVariant")
def variant_node(context: RequestContext, gid: str, number: int) -> dict | None:
    catalog = context.shop.catalog
    found = catalog.variant(number)
    if found is None:
        return None
    return variant_view(context.shop, catalog.product(found.product_id), found)


def _ordered(views: list[dict], args: dict) -> list[dict]:
    """By ID unless sortKey says otherwise; `reverse` turns it round, as Shopify does."""
    key = {"TITLE": lambda v: v["title"].lower(), "UPDATED_AT": lambda v: (v["updatedAt"], v["id"]),
           "CREATED_AT": lambda v: (v["createdAt"], v["id"])}.get(args.get("sortKey") or "ID",
                                                                    lambda v: int(v["legacyResourceId"]))
    return sorted(views, key=key, reverse=bool(args.get("reverse")))


def _number(gid: str, type_name: str) -> int | None:
    prefix = f"gid://shopify/{type_name}/"
    tail = gid[len(prefix):] if gid.startswith(prefix) else ""
    return int(tail) if tail.isdigit() else None


def _product_value(view: dict, field: str):
    if field in ("updated_at", "created_at"):
        return parse_time(view["updatedAt" if field == "updated_at" else "createdAt"])
    values = {"status": view["status"], "vendor": view["vendor"], "product_type": view["productType"],
              "title": view["title"], "tag": set(view["tags"]), "id": int(view["legacyResourceId"]),
              "sku": {v["sku"] for v in view["variants"] if v["sku"]},
              "barcode": {v["barcode"] for v in view["variants"] if v["barcode"]},
              "": {view["title"], view["vendor"], view["productType"]}}
    return values.get(field)


def _variant_value(view: dict, field: str):
    if field in ("updated_at", "created_at"):
        return parse_time(view["updatedAt" if field == "updated_at" else "createdAt"])
    values = {"sku": view["sku"], "barcode": view["barcode"], "title": view["title"],
              "product_id": int(view["product"]["legacyResourceId"]), "id": int(view["legacyResourceId"]),
              "": {view["displayName"], view["sku"] or "", view["barcode"] or ""}}
    return values.get(field)
