"""Stock (read side): inventory items with Shopify's search syntax, single items and levels, and
node(s). Writes (inventorySetQuantities, inventoryActivate) come in the next slice."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from shopify_simulator.api.connections import list_connection
from shopify_simulator.api.registry import mutation, node_type, query_field
from shopify_simulator.api.request import RequestContext, iso, search_or_error
from shopify_simulator.api.search import matches, parse_time
from shopify_simulator.store.inventory_writes import set_quantities
from shopify_simulator.store.product_view import level_view, product_view


def _item_views(context: RequestContext) -> list[dict]:
    shop = context.shop
    return [v["inventoryItem"] for product in shop.catalog.products for v in product_view(shop, product)["variants"]]


@query_field("inventoryItems")
def inventory_items(context: RequestContext, info, **args) -> dict:
    search = search_or_error(args.get("query"))
    chosen = [view for view in _item_views(context) if matches(search, lambda field: _item_value(view, field))]
    return list_connection(sorted(chosen, key=lambda v: int(v["legacyResourceId"]), reverse=bool(args.get("reverse"))),
                           args, unlimited=context.bulk)


@query_field("inventoryItem")
def inventory_item(context: RequestContext, info, **args) -> dict | None:
    gid = args.get("id", "")
    tail = gid.rsplit("/", 1)[-1]
    return inventory_item_node(context, gid, int(tail)) if tail.isdigit() else None


@node_type("InventoryItem")
def inventory_item_node(context: RequestContext, gid: str, number: int) -> dict | None:
    shop = context.shop
    variant = shop.catalog.variant_of_inventory_item(number)
    if variant is None:
        return None
    product = product_view(shop, shop.catalog.product(variant.product_id))
    return product["variants"][variant.position - 1]["inventoryItem"]


@query_field("inventoryLevel")
def inventory_level(context: RequestContext, info, **args) -> dict | None:
    return inventory_level_node(context, args.get("id", ""), 0)


@node_type("InventoryLevel")
def inventory_level_node(context: RequestContext, gid: str, number: int) -> dict | None:
    """gid://shopify/InventoryLevel/<location id>?inventory_item_id=<item id>"""
    parts = urlsplit(gid)
    location_number = parts.path.rsplit("/", 1)[-1]
    item = (parse_qs(parts.query).get("inventory_item_id") or [""])[0]
    if not (location_number.isdigit() and item.isdigit()):
        return None
    shop = context.shop
    level = shop.inventory.level(int(item), f"gid://shopify/Location/{location_number}")
    return level_view(shop, level) if level else None


def _item_value(view: dict, field: str):
    if field in ("updated_at", "created_at"):
        return parse_time(view["updatedAt" if field == "updated_at" else "createdAt"])
    return {"sku": view["sku"], "id": int(view["legacyResourceId"]), "": view["sku"]}.get(field)


@mutation("inventorySetQuantities")
def inventory_set_quantities(context: RequestContext, info, input) -> dict:
    shop = context.shop
    with shop.lock:
        changes, refusals = set_quantities(shop.inventory, input, now=context.now)
    if refusals:
        return {"inventoryAdjustmentGroup": None,
                "userErrors": [{"field": r.field, "message": r.message, "code": r.code} for r in refusals]}
    views = [{"name": c.name, "delta": c.delta, "quantityAfterChange": c.after, "ledgerDocumentUri": None,
              "item": (level := level_view(shop, c.level))["item"], "location": level["location"]}
             for c in changes]

    def changed(info, quantityNames=None, inventoryItemIds=None, locationIds=None, **args):
        return [view for view in views if (quantityNames is None or view["name"] in quantityNames)
                and (inventoryItemIds is None or view["item"]["id"] in inventoryItemIds)
                and (locationIds is None or view["location"]["id"] in locationIds)]

    return {"userErrors": [], "inventoryAdjustmentGroup": {
        "__typename": "InventoryAdjustmentGroup", "id": f"gid://shopify/InventoryAdjustmentGroup/{shop.next_id()}",
        "createdAt": iso(context.now), "reason": input["reason"],
        "referenceDocumentUri": input.get("referenceDocumentUri"), "app": None, "staffMember": None,
        "changes": changed}}
