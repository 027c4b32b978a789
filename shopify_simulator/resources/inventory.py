"""Stock: inventory items with Shopify's search syntax, single items and levels, node(s), bulk
exports, and the writes a stock sync makes (inventorySetQuantities, inventoryActivate)."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from shopify_simulator.api.record_pages import RecordListing
from shopify_simulator.api.registry import bulk_source, mutation, node_type, query_field
from shopify_simulator.api.request import RequestContext, iso, search_or_error
from shopify_simulator.api.search import matches
from shopify_simulator.store.inventory_writes import set_quantities, touched_levels
from shopify_simulator.store.product_view import item_view_of, level_view


def item_listing(context: RequestContext, args: dict) -> RecordListing:
    shop = context.shop
    search = search_or_error(args.get("query"))

    def value(variant, field: str):
        if field == "updated_at":
            return variant.updated
        if field == "created_at":
            return variant.created
        return {"sku": variant.sku or "", "id": variant.inventory_item_id, "": variant.sku or ""}.get(field)

    return RecordListing(shop.catalog.variants(), sort_name="ID", key=lambda v: (v.inventory_item_id,),
                         keep=lambda v: matches(search, lambda field: value(v, field)),
                         view=lambda v: item_view_of(shop, v.inventory_item_id))


@query_field("inventoryItems")
def inventory_items(context: RequestContext, info, **args) -> dict:
    return item_listing(context, args).page(args)


@bulk_source("inventoryItems")
def exported_items(context: RequestContext, args: dict):
    return item_listing(context, args).exported(descending=bool(args.get("reverse")))


@query_field("inventoryItem")
def inventory_item(context: RequestContext, info, **args) -> dict | None:
    gid = args.get("id", "")
    tail = gid.rsplit("/", 1)[-1]
    return inventory_item_node(context, gid, int(tail)) if gid.startswith("gid://shopify/InventoryItem/") and \
        tail.isdigit() else None


@node_type("InventoryItem")
def inventory_item_node(context: RequestContext, gid: str, number: int) -> dict | None:
    return item_view_of(context.shop, number)


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


@mutation("inventorySetQuantities")
def inventory_set_quantities(context: RequestContext, info, input) -> dict:
    shop = context.shop
    with shop.lock:
        drifted = shop.inventory.drift_before_write(touched_levels(input), now=context.now)
        changes, refusals = set_quantities(shop.inventory, input, now=context.now)
    for level in drifted:   # what a sale in the meantime sends
        if shop.on_event:
            shop.on_event(shop, "INVENTORY_LEVELS_UPDATE", level)
    if refusals:
        return {"inventoryAdjustmentGroup": None,
                "userErrors": [{"field": r.field, "message": r.message, "code": r.code} for r in refusals]}
    for level in {id(c.level): c.level for c in changes}.values():
        if shop.on_event:
            shop.on_event(shop, "INVENTORY_LEVELS_UPDATE", level)
    views = [{"name": c.name, "delta": c.delta, "quantityAfterChange": c.after, "ledgerDocumentUri": None,
              "item": (level := level_view(shop, c.level))["item"], "location": level["location"]}
             for c in changes]

    def changed(info, quantityNames=None, inventoryItemIds=None, locationIds=None, **args):
        return [view for view in views if (quantityNames is None or view["name"] in quantityNames)
                and (inventoryItemIds is None or _gid_of(view["item"], info) in inventoryItemIds)
                and (locationIds is None or _gid_of(view["location"], info) in locationIds)]

    return {"userErrors": [], "inventoryAdjustmentGroup": {
        "__typename": "InventoryAdjustmentGroup", "id": f"gid://shopify/InventoryAdjustmentGroup/{shop.next_id()}",
        "createdAt": iso(context.now), "reason": input["reason"],
        "referenceDocumentUri": input.get("referenceDocumentUri"), "app": None, "staffMember": None,
        "changes": changed}}


def _gid_of(value, info) -> str:
    view = value(info) if callable(value) else value
    return view["id"]


@mutation("inventoryActivate")
def inventory_activate(context: RequestContext, info, inventoryItemId, locationId, available=None, onHand=None,
                       stockAtLegacyLocation=False) -> dict:
    """Stock an item at a location, optionally with a first quantity; an item already stocked there
    keeps its quantities (Shopify ignores the quantity then)."""
    shop = context.shop

    def refused(field: str, message: str) -> dict:
        return {"inventoryLevel": None, "userErrors": [{"field": [field], "message": message}]}

    tail = inventoryItemId.rsplit("/", 1)[-1]
    if not (inventoryItemId.startswith("gid://shopify/InventoryItem/") and tail.isdigit()) \
            or shop.catalog.variant_of_inventory_item(int(tail)) is None:
        return refused("inventoryItemId", "Inventory item does not exist")
    if not shop.inventory.knows_location(locationId):
        return refused("locationId", "Location does not exist")
    if available is not None and onHand is not None:
        return refused("available", "Only one of available or onHand can be given")
    quantity = onHand if onHand is not None else available
    if quantity is not None and quantity < 0:
        return refused("onHand" if onHand is not None else "available", "Quantity can't be negative")
    if not shop.inventory.is_tracked(int(tail)):
        return refused("inventoryItemId", "Inventory item is not tracked")
    with shop.lock:
        existed = shop.inventory.level(int(tail), locationId) is not None
        level = shop.inventory.activate(int(tail), locationId, now=context.now, on_hand=quantity or 0)
    if not existed and shop.on_event:
        shop.on_event(shop, "INVENTORY_LEVELS_CONNECT", level)
    return {"inventoryLevel": level_view(shop, level), "userErrors": []}
