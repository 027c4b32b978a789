"""The shop's products and variants (read side): lists with Shopify's search syntax and sort keys,
counts, single lookups, node(s) and bulk exports. Writes are in resources.product_writes."""
from __future__ import annotations

from shopify_simulator.api.record_pages import RecordListing
from shopify_simulator.api.registry import bulk_source, node_type, query_field
from shopify_simulator.api.request import RequestContext, search_or_error
from shopify_simulator.api.search import matches
from shopify_simulator.store.catalog import Product, Variant
from shopify_simulator.store.gids import gid_number
from shopify_simulator.store.product_view import product_view, variant_view

COUNT_LIMIT = 10_000
_PRODUCT_SORTS = {
    "ID": lambda p: (p.id,), "TITLE": lambda p: (p.title.lower(), p.id),
    "UPDATED_AT": lambda p: (p.updated.isoformat(), p.id), "CREATED_AT": lambda p: (p.created.isoformat(), p.id),
    "PRODUCT_TYPE": lambda p: (p.product_type.lower(), p.id), "VENDOR": lambda p: (p.vendor.lower(), p.id),
}
_VARIANT_SORTS = {
    "ID": lambda v: (v.id,), "SKU": lambda v: (v.sku or "", v.id), "TITLE": lambda v: (v.title.lower(), v.id),
    "POSITION": lambda v: (v.product_id, v.id),
}


def product_listing(context: RequestContext, args: dict) -> RecordListing:
    search = search_or_error(args.get("query"))
    shop = context.shop
    sort = args.get("sortKey") or "ID"
    return RecordListing(shop.catalog.products(), sort_name=sort, key=_PRODUCT_SORTS.get(sort, _PRODUCT_SORTS["ID"]),
                         keep=lambda p: matches(search, lambda field: product_value(p, field)),
                         view=lambda p: product_view(shop, p), presorted=sort == "ID")


def variant_listing(context: RequestContext, args: dict) -> RecordListing:
    search = search_or_error(args.get("query"))
    shop = context.shop
    sort = args.get("sortKey") or "ID"
    return RecordListing(shop.catalog.variants(), sort_name=sort, key=_VARIANT_SORTS.get(sort, _VARIANT_SORTS["ID"]),
                         keep=lambda v: matches(search, lambda field: variant_value(shop, v, field)),
                         view=lambda v: variant_view(shop, shop.catalog.product(v.product_id), v),
                         presorted=sort == "ID")


@query_field("products")
def products(context: RequestContext, info, **args) -> dict:
    return product_listing(context, args).page(args)


@bulk_source("products")
def exported_products(context: RequestContext, args: dict):
    return product_listing(context, args).exported(descending=bool(args.get("reverse")))


@query_field("productVariants")
def product_variants(context: RequestContext, info, **args) -> dict:
    return variant_listing(context, args).page(args)


@bulk_source("productVariants")
def exported_variants(context: RequestContext, args: dict):
    return variant_listing(context, args).exported(descending=bool(args.get("reverse")))


@query_field("productsCount")
def products_count(context: RequestContext, info, query=None, limit=COUNT_LIMIT, **args) -> dict:
    return _count(product_listing(context, {"query": query}), limit)


@query_field("productVariantsCount")
def variants_count(context: RequestContext, info, query=None, limit=COUNT_LIMIT, **args) -> dict:
    return _count(variant_listing(context, {"query": query}), limit)


def _count(listing: RecordListing, limit: int | None) -> dict:
    count = listing.count()
    if limit is not None and count > limit:
        return {"count": limit, "precision": "AT_LEAST"}
    return {"count": count, "precision": "EXACT"}


@query_field("product")
def product(context: RequestContext, info, **args) -> dict | None:
    number = gid_number(args.get("id", ""), "Product")
    return product_node(context, args.get("id", ""), number) if number is not None else None


@query_field("productByHandle")
def product_by_handle(context: RequestContext, info, handle: str) -> dict | None:
    found = next((p for p in context.shop.catalog.products() if p.handle == handle), None)
    return product_view(context.shop, found) if found else None


@query_field("productVariant")
def product_variant(context: RequestContext, info, **args) -> dict | None:
    number = gid_number(args.get("id", ""), "ProductVariant")
    return variant_node(context, args.get("id", ""), number) if number is not None else None


@node_type("Product")
def product_node(context: RequestContext, gid: str, number: int) -> dict | None:
    found = context.shop.catalog.product(number)
    return product_view(context.shop, found) if found else None


@node_type("ProductVariant")
def variant_node(context: RequestContext, gid: str, number: int) -> dict | None:
    catalog = context.shop.catalog
    found = catalog.variant(number)
    return variant_view(context.shop, catalog.product(found.product_id), found) if found else None



def product_value(product: Product, field: str):
    if field == "updated_at":
        return product.updated
    if field == "created_at":
        return product.created
    values = {"status": product.status, "vendor": product.vendor, "product_type": product.product_type,
              "title": product.title, "handle": product.handle, "tag": set(product.tags), "id": product.id,
              "gift_card": product.is_gift_card,
              "sku": {v.sku for v in product.variants if v.sku},
              "barcode": {v.barcode for v in product.variants if v.barcode},
              "": {product.title, product.vendor, product.product_type}}
    return values.get(field)


def variant_value(shop, variant: Variant, field: str):
    if field == "updated_at":
        return variant.updated
    if field == "created_at":
        return variant.created
    if field in ("title", "product_status", "vendor", "tag", ""):
        product = shop.catalog.product(variant.product_id)
        return {"title": variant.title, "product_status": product.status, "vendor": product.vendor,
                "tag": set(product.tags), "": {product.title, variant.sku or "", variant.barcode or ""}}[field]
    values = {"sku": variant.sku or "", "barcode": variant.barcode or "", "product_id": variant.product_id,
              "id": variant.id,
              "inventory_item_id": variant.inventory_item_id, "taxable": variant.taxable}
    return values.get(field)
