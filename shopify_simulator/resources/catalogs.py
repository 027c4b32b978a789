"""B2B catalogs: company-location and market catalogs, their publications and price lists, listed
and found by id; made (catalogCreate, priceListCreate, publicationCreate) and their fixed prices
written (priceListFixedPricesAdd, priceListFixedPricesUpdate, priceListFixedPricesDelete) with
Shopify's userErrors. A price list's `prices` lists every variant: its fixed price where one is set,
else its price adjusted by the list's percentage."""
from __future__ import annotations

from graphql import GraphQLError

from shopify_simulator.api.connections import list_connection
from shopify_simulator.api.registry import mutation, node_type, query_field
from shopify_simulator.api.request import RequestContext
from shopify_simulator.resources.companies import b2b_views, number_of, search
from shopify_simulator.store.catalog_writes import (
    create_catalog,
    create_price_list,
    create_publication,
    is_catalog_gid,
)
from shopify_simulator.store.price_lists import COMPANY_LOCATION, MARKET, Catalog
from shopify_simulator.store.price_lists_writes import (
    add_fixed_prices,
    delete_fixed_prices,
    update_fixed_prices,
)
from shopify_simulator.store.product_writes import Refusal, Refused

CATALOG_TYPES = ("CompanyLocationCatalog", "MarketCatalog")


def _catalogs(context: RequestContext, kind: str | None, query: str | None) -> list[Catalog]:
    """The catalogs of a CatalogType (all when None; the simulator has no app catalogs)."""
    wanted = search(query)
    book = context.shop.price_lists
    kinds = {None: (COMPANY_LOCATION, MARKET), "COMPANY_LOCATION": (COMPANY_LOCATION,), "MARKET": (MARKET,)}
    return [c for c in book.catalogs() if c.kind in kinds.get(kind, ())
            and wanted(lambda field, c=c: _catalog_value(context, c, field))]


def _catalog_value(context: RequestContext, catalog: Catalog, field: str):
    if field == "company_id":
        book = context.shop.companies
        return {book.location(i).company_id for i in catalog.location_ids if book.location(i)}
    values = {"id": catalog.id, "title": catalog.title, "status": catalog.status.lower(),
              "company_location_id": set(catalog.location_ids), "": catalog.title}
    return values.get(field)


@query_field("catalogs")
def catalogs(context: RequestContext, info, type=None, sortKey="ID", query=None, **args) -> dict:
    found = _catalogs(context, type, query)
    if sortKey == "TITLE":
        found.sort(key=lambda c: (c.title.lower(), c.id))
    views = b2b_views(context)
    return list_connection([views.catalog(c) for c in found], args, unlimited=context.bulk)


@query_field("catalogsCount")
def catalogs_count(context: RequestContext, info, type=None, query=None, **args) -> dict:
    return {"count": len(_catalogs(context, type, query)), "precision": "EXACT"}


@query_field("catalog")
def catalog(context: RequestContext, info, id) -> dict | None:
    return catalog_node(context, id, number_of(id, *CATALOG_TYPES) or -1)


@node_type(*CATALOG_TYPES)
def catalog_node(context: RequestContext, gid: str, number: int) -> dict | None:
    found = context.shop.price_lists.catalog(number)
    return b2b_views(context).catalog(found) if found is not None and found.gid == gid else None


@query_field("priceLists")
def price_lists(context: RequestContext, info, sortKey="ID", **args) -> dict:
    found = list(context.shop.price_lists.price_lists())
    if sortKey == "NAME":
        found.sort(key=lambda p: (p.name.lower(), p.id))
    views = b2b_views(context)
    return list_connection([views.price_list(p) for p in found], args, unlimited=context.bulk)


@query_field("priceList")
def price_list(context: RequestContext, info, id) -> dict | None:
    return price_list_node(context, id, number_of(id, "PriceList") or -1)


@node_type("PriceList")
def price_list_node(context: RequestContext, gid: str, number: int) -> dict | None:
    found = context.shop.price_lists.price_list(number)
    return b2b_views(context).price_list(found) if found else None


@query_field("publications")
def publications(context: RequestContext, info, catalogType=None, **args) -> dict:
    views = b2b_views(context)
    book = context.shop.price_lists
    found = [book.publication(c.publication_id) for c in _catalogs(context, catalogType, None) if c.publication_id]
    return list_connection([views.publication(p) for p in found], args, unlimited=context.bulk)


@query_field("publicationsCount")
def publications_count(context: RequestContext, info, catalogType=None, **args) -> dict:
    return {"count": sum(1 for c in _catalogs(context, catalogType, None) if c.publication_id), "precision": "EXACT"}


@query_field("publication")
def publication(context: RequestContext, info, id) -> dict | None:
    return publication_node(context, id, number_of(id, "Publication") or -1)


@node_type("Publication")
def publication_node(context: RequestContext, gid: str, number: int) -> dict | None:
    found = context.shop.price_lists.publication(number)
    return b2b_views(context).publication(found) if found else None


# Writes
def _errors(refusals: list[Refusal]) -> list[dict]:
    return [{"field": r.field, "message": r.message, "code": r.code} for r in refusals]


def _price_list_or_none(context: RequestContext, gid: str):
    return context.shop.price_lists.price_list(number_of(gid, "PriceList") or -1)


_NOT_FOUND = [{"field": ["priceListId"], "message": "Price list does not exist.", "code": "PRICE_LIST_NOT_FOUND"}]


def _price_views(context: RequestContext, found, numbers: list[int]) -> list[dict]:
    views = b2b_views(context)
    catalog_ = context.shop.catalog
    return [views.price(found, catalog_.variant(number)) for number in numbers]


@mutation("priceListFixedPricesAdd")
def fixed_prices_add(context: RequestContext, info, priceListId, prices) -> dict:
    shop = context.shop
    found = _price_list_or_none(context, priceListId)
    if found is None:
        return {"prices": None, "userErrors": _NOT_FOUND}
    try:
        with shop.lock:
            added = add_fixed_prices(shop.catalog, found, prices, now=context.now)
    except Refused as refused:
        return {"prices": None, "userErrors": _errors(refused.refusals)}
    return {"prices": _price_views(context, found, added), "userErrors": []}


@mutation("priceListFixedPricesDelete")
def fixed_prices_delete(context: RequestContext, info, priceListId, variantIds) -> dict:
    shop = context.shop
    found = _price_list_or_none(context, priceListId)
    if found is None:
        return {"deletedFixedPriceVariantIds": None, "userErrors": _NOT_FOUND}
    try:
        with shop.lock:
            deleted = delete_fixed_prices(shop.catalog, found, variantIds, now=context.now)
    except Refused as refused:
        return {"deletedFixedPriceVariantIds": None, "userErrors": _errors(refused.refusals)}
    return {"deletedFixedPriceVariantIds": [_variant_gid(n) for n in deleted], "userErrors": []}


@mutation("priceListFixedPricesUpdate")
def fixed_prices_update(context: RequestContext, info, priceListId, pricesToAdd, variantIdsToDelete) -> dict:
    shop = context.shop
    found = _price_list_or_none(context, priceListId)
    if found is None:
        return {"priceList": None, "pricesAdded": None, "deletedFixedPriceVariantIds": None, "userErrors": _NOT_FOUND}
    try:
        with shop.lock:
            added, deleted = update_fixed_prices(shop.catalog, found, pricesToAdd, variantIdsToDelete,
                                                 now=context.now)
    except Refused as refused:
        return {"priceList": None, "pricesAdded": None, "deletedFixedPriceVariantIds": None,
                "userErrors": _errors(refused.refusals)}
    return {"priceList": b2b_views(context).price_list(found), "pricesAdded": _price_views(context, found, added),
            "deletedFixedPriceVariantIds": [_variant_gid(n) for n in deleted], "userErrors": []}


def _variant_gid(number: int) -> str:
    return f"gid://shopify/ProductVariant/{number}"


@mutation("catalogCreate")
def catalog_create(context: RequestContext, info, input) -> dict:
    shop = context.shop
    try:
        with shop.lock:
            created = create_catalog(shop.price_lists, shop.companies, input, now=context.now)
    except Refused as refused:
        return {"catalog": None, "userErrors": _errors(refused.refusals)}
    return {"catalog": b2b_views(context).catalog(created), "userErrors": []}


@mutation("priceListCreate")
def price_list_create(context: RequestContext, info, input) -> dict:
    shop = context.shop
    if input.get("catalogId") is not None and not is_catalog_gid(input["catalogId"]):
        # Shopify looks up no ID of another type: the whole field fails (data null, a top-level error).
        raise GraphQLError(f"Invalid id: {input['catalogId']}", extensions={"code": "RESOURCE_NOT_FOUND"})
    try:
        with shop.lock:
            created = create_price_list(shop.price_lists, shop.profile, input, now=context.now)
    except Refused as refused:
        return {"priceList": None, "userErrors": _errors(refused.refusals)}
    return {"priceList": b2b_views(context).price_list(created), "userErrors": []}


@mutation("publicationCreate")
def publication_create(context: RequestContext, info, input) -> dict:
    shop = context.shop
    try:
        with shop.lock:
            created = create_publication(shop.price_lists, shop.catalog, input, now=context.now)
    except Refused as refused:
        return {"publication": None, "userErrors": _errors(refused.refusals)}
    return {"publication": b2b_views(context).publication(created), "userErrors": []}
