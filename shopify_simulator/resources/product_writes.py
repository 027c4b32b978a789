"""The catalog's writes over GraphQL: productCreate, productUpdate, productDelete,
productVariantsBulkCreate, productVariantsBulkUpdate and productVariantsBulkDelete, with Shopify's userErrors and the
products/create, products/update and products/delete webhooks their changes send."""
from __future__ import annotations

from shopify_simulator.api.registry import mutation
from shopify_simulator.api.request import RequestContext
from shopify_simulator.resources.files import image_from_source, media_refusals
from shopify_simulator.resources.shop import shop_view
from shopify_simulator.store.gids import gid_number
from shopify_simulator.store.product_view import product_view, variant_view
from shopify_simulator.store.product_writes import (
    Refused,
    create_product,
    create_variants,
    delete_product,
    delete_variants,
    update_product,
    update_variants,
)


def _errors(refused: Refused, *, with_code: bool = False) -> list[dict]:
    return [{"field": r.field, "message": r.message, **({"code": r.code} if with_code else {})}
            for r in refused.refusals]


def _images(context: RequestContext, media: list[dict] | None) -> list:
    return [image_from_source(context, entry["originalSource"], alt=entry.get("alt")) for entry in media or []]


def _emit(context: RequestContext, topic: str, subject) -> None:
    if context.shop.on_event:
        context.shop.on_event(context.shop, topic, subject)


@mutation("productCreate")
def product_create(context: RequestContext, info, product=None, media=None, **args) -> dict:
    shop = context.shop
    refusals = media_refusals(media)
    if product is None:
        refusals.append({"field": ["product"], "message": "Product input is required"})
    if refusals:
        return {"product": None, "shop": shop_view(context), "userErrors": refusals}
    images = _images(context, media)
    try:
        with shop.lock:
            created = create_product(shop.catalog, shop.inventory, product, images, now=context.now)
    except Refused as refused:
        return {"product": None, "shop": shop_view(context), "userErrors": _errors(refused)}
    _emit(context, "PRODUCTS_CREATE", created)
    return {"product": product_view(shop, created), "shop": shop_view(context), "userErrors": []}


@mutation("productUpdate")
def product_update(context: RequestContext, info, product=None, media=None, **args) -> dict:
    shop = context.shop
    found = shop.catalog.product(gid_number((product or {}).get("id"), "Product"))
    if found is None:
        return {"product": None, "userErrors": [{"field": ["id"], "message": "Product does not exist"}]}
    refusals = media_refusals(media)
    if refusals:
        return {"product": None, "userErrors": refusals}
    images = _images(context, media)
    try:
        with shop.lock:
            changed = update_product(shop.catalog, found, product, images, now=context.now)
    except Refused as refused:
        return {"product": None, "userErrors": _errors(refused)}
    if changed:
        _emit(context, "PRODUCTS_UPDATE", found)
    return {"product": product_view(shop, found), "userErrors": []}


@mutation("productDelete")
def product_delete(context: RequestContext, info, input, synchronous=True) -> dict:
    shop = context.shop
    with shop.lock:
        found = shop.catalog.product(gid_number(input.get("id"), "Product"))
        if found is not None:
            delete_product(shop.catalog, shop.inventory, found)
    if found is None:
        return {"deletedProductId": None, "productDeleteOperation": None, "shop": shop_view(context),
                "userErrors": [{"field": ["id"], "message": "Product does not exist"}]}
    _emit(context, "PRODUCTS_DELETE", found)
    return {"deletedProductId": found.gid, "productDeleteOperation": None, "shop": shop_view(context),
            "userErrors": []}


@mutation("productVariantsBulkCreate")
def variants_bulk_create(context: RequestContext, info, productId, variants, media=None,
                         strategy="DEFAULT") -> dict:
    shop = context.shop
    found = shop.catalog.product(gid_number(productId, "Product"))
    if found is None:
        return _variant_refusal("productId", "Product does not exist", "PRODUCT_DOES_NOT_EXIST")
    refusals = media_refusals(media)
    if refusals:
        return {"product": None, "productVariants": None,
                "userErrors": [{**r, "code": "INVALID_INPUT"} for r in refusals]}
    images = _images(context, media)
    try:
        with shop.lock:
            created = create_variants(shop.catalog, shop.inventory, found, variants,
                                      remove_standalone=strategy == "REMOVE_STANDALONE_VARIANT", now=context.now)
            if images:
                update_product(shop.catalog, found, {}, images, now=context.now)
    except Refused as refused:
        return {"product": None, "productVariants": None, "userErrors": _errors(refused, with_code=True)}
    _emit(context, "PRODUCTS_UPDATE", found)
    return {"product": product_view(shop, found),
            "productVariants": [variant_view(shop, found, variant) for variant in created], "userErrors": []}


@mutation("productVariantsBulkUpdate")
def variants_bulk_update(context: RequestContext, info, productId, variants, media=None,
                         allowPartialUpdates=False) -> dict:
    """Prices, SKUs, barcodes, costs, weights, option values and the variant's image; an update of a
    price alone is the same call with only `price` given."""
    shop = context.shop
    found = shop.catalog.product(gid_number(productId, "Product"))
    if found is None:
        return _variant_refusal("productId", "Product does not exist", "PRODUCT_DOES_NOT_EXIST")
    refusals = media_refusals(media)
    if refusals:
        return {"product": None, "productVariants": None,
                "userErrors": [{**r, "code": "INVALID_INPUT"} for r in refusals]}
    images = _images(context, media)
    before = found.updated
    try:
        with shop.lock:
            if images:
                update_product(shop.catalog, found, {}, images, now=context.now)
            updated, refused = update_variants(shop.catalog, found, variants, partial=bool(allowPartialUpdates),
                                               now=context.now)
    except Refused as refusal:
        return {"product": None, "productVariants": None, "userErrors": _errors(refusal, with_code=True)}
    if found.updated != before:
        _emit(context, "PRODUCTS_UPDATE", found)
    errors = [{"field": r.field, "message": r.message, "code": r.code} for r in refused]
    return {"product": product_view(shop, found),
            "productVariants": [variant_view(shop, found, variant) for variant in updated], "userErrors": errors}


@mutation("productVariantsBulkDelete")
def variants_bulk_delete(context: RequestContext, info, productId, variantsIds) -> dict:
    shop = context.shop
    found = shop.catalog.product(gid_number(productId, "Product"))
    if found is None:
        return {"product": None, "userErrors": [{"field": ["productId"], "message": "Product does not exist",
                                                 "code": "PRODUCT_DOES_NOT_EXIST"}]}
    try:
        with shop.lock:
            delete_variants(shop.catalog, shop.inventory, found, variantsIds, now=context.now)
    except Refused as refused:
        return {"product": None, "userErrors": _errors(refused, with_code=True)}
    _emit(context, "PRODUCTS_UPDATE", found)
    return {"product": product_view(shop, found), "userErrors": []}


def _variant_refusal(field: str, message: str, code: str) -> dict:
    return {"product": None, "productVariants": None, "userErrors": [{"field": [field], "message": message,
                                                                      "code": code}]}
