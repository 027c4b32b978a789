"""Control routes for the catalog: changes a merchant makes "in the Shopify admin", so a test can
change something on the Shopify side and watch a sync notice (control.py serves them).

    POST /_simulator/products/update {shop, id, title?, status?, price?, variant_id?, new_image?}
         a price for one variant (variant_id) or all; new_image: true gives the first image a new picture
    POST /_simulator/inventory/set {shop, inventory_item_id, location_id, available}
    POST /_simulator/inventory/drift {shop, inventory_item_id, location_id, delta, times}
         before each of the next `times` inventorySetQuantities calls that touch the level, it moves
         by `delta` first, as a sale (or a restock) between a sync's read and its write would
Each sends the webhook Shopify sends (products/update, inventory_levels/update).
"""
from __future__ import annotations

from shopify_simulator.api.request import iso
from shopify_simulator.store.inventory_writes import set_quantities
from shopify_simulator.store.product_writes import Refused, update_product, update_variants


class CatalogControlError(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _number(value, type_name: str) -> int:
    text = str(value)
    prefix = f"gid://shopify/{type_name}/"
    text = text[len(prefix):] if text.startswith(prefix) else text
    if not text.isdigit():
        raise CatalogControlError(f"{value!r} is not a {type_name} id")
    return int(text)


def update_product_route(shop, body: dict, emit) -> dict:
    product = shop.catalog.product(_number(body["id"], "Product"))
    if product is None:
        raise CatalogControlError(f"no product {body['id']!r}", 404)
    now = shop.clock.now()
    fields = {name: body[key] for key, name in (("title", "title"), ("status", "status")) if key in body}
    try:
        with shop.lock:
            update_product(shop.catalog, product, fields, [], now=now)
            if "price" in body:
                chosen = [v for v in product.variants if "variant_id" not in body
                          or v.id == _number(body["variant_id"], "ProductVariant")]
                if not chosen:
                    raise CatalogControlError(f"no variant {body['variant_id']!r} in that product", 404)
                update_variants(shop.catalog, product, [{"id": v.gid, "price": str(body["price"])} for v in chosen],
                                partial=False, now=now)
            if body.get("new_image"):
                _repaint(shop, product, now)
    except Refused as refused:
        raise CatalogControlError(refused.refusals[0].message) from None
    emit(shop, "PRODUCTS_UPDATE", product)
    return {"id": product.gid, "updatedAt": iso(product.updated)}


def _repaint(shop, product, now) -> None:
    if not product.image_ids:
        raise CatalogControlError("the product has no image to change")
    image = shop.catalog.image(product.image_ids[0])
    red, green, blue = image.seed_colour or (128, 128, 128)
    image.content, image.status, image.error = None, "READY", None
    image.seed_colour = ((red + 37) % 256, (green + 91) % 256, (blue + 53) % 256)
    image.updated = product.updated = now


def set_stock_route(shop, body: dict, emit) -> dict:
    item = f"gid://shopify/InventoryItem/{_number(body['inventory_item_id'], 'InventoryItem')}"
    location = f"gid://shopify/Location/{_number(body['location_id'], 'Location')}"
    request = {"name": "available", "reason": "correction", "ignoreCompareQuantity": True,
               "quantities": [{"inventoryItemId": item, "locationId": location, "quantity": int(body["available"])}]}
    with shop.lock:
        changes, refusals = set_quantities(shop.inventory, request, now=shop.clock.now())
    if refusals:
        raise CatalogControlError(refusals[0].message)
    level = changes[0].level
    emit(shop, "INVENTORY_LEVELS_UPDATE", level)
    return {"id": level.gid, "available": level.available, "updatedAt": iso(level.updated)}


def drift_stock_route(shop, body: dict, emit) -> dict:
    item = _number(body["inventory_item_id"], "InventoryItem")
    location = f"gid://shopify/Location/{_number(body['location_id'], 'Location')}"
    delta, times = int(body["delta"]), int(body.get("times", 1))
    if times < 0:
        raise CatalogControlError("times cannot be negative")
    with shop.lock:
        level = shop.inventory.level(item, location)
        if level is None:
            raise CatalogControlError(f"item {item} is not stocked at {location}", 404)
        shop.inventory.drift(item, location, delta=delta, times=times)
    return {"id": level.gid, "available": level.available, "delta": delta, "times": times}
