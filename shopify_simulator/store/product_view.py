"""Products, variants, inventory items and inventory levels as Shopify serves them, every field the
schema promises filled, stock from the shop's inventory (store.inventory)."""
from __future__ import annotations

from datetime import timezone

from shopify_simulator.store.catalog import CatalogProduct, CatalogVariant
from shopify_simulator.store.inventory import Level
from shopify_simulator.store.locations import location_view

QUANTITY_NAMES = ("available", "on_hand", "committed", "incoming")


def _iso(moment) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _money(amount, currency: str) -> dict:
    return {"amount": str(amount), "currencyCode": currency}


def product_view(shop, product: CatalogProduct) -> dict:
    currency = shop.profile.currency
    prices = [v.item.price for v in product.variants]
    stamp = _iso(product.created)
    has_options = product.variants[0].item.variant_title is not None
    view = {
        "__typename": "Product", "id": product.gid, "legacyResourceId": str(product.id),
        "title": product.title, "handle": product.handle, "vendor": product.vendor,
        "productType": product.product_type, "tags": list(product.tags), "status": product.status,
        "description": f"{product.title} by {product.vendor}.",
        "descriptionHtml": f"<p>{product.title} by {product.vendor}.</p>",
        "createdAt": stamp, "updatedAt": stamp, "publishedAt": stamp, "isGiftCard": product.is_gift_card,
        "hasOnlyDefaultVariant": not has_options, "hasVariantsThatRequiresComponents": False,
        "requiresSellingPlan": False, "publishedOnCurrentPublication": product.status == "ACTIVE",
        "defaultCursor": product.gid, "onlineStoreUrl": None,
        "options": [{"id": f"gid://shopify/ProductOption/{product.id}",
                     "name": "Variant" if has_options else "Title", "position": 1,
                     "values": [v.item.variant_title or "Default Title" for v in product.variants],
                     "optionValues": [{"id": f"gid://shopify/ProductOptionValue/{v.id}",
                                       "name": v.item.variant_title or "Default Title", "hasVariants": True}
                                      for v in product.variants]}],
        "priceRangeV2": {"minVariantPrice": _money(min(prices), currency),
                         "maxVariantPrice": _money(max(prices), currency)},
        "seo": {"title": None, "description": None},
        "bundleComponents": [], "collections": [], "events": [], "media": [], "metafields": [],
        "resourcePublications": [], "resourcePublicationsV2": [], "sellingPlanGroups": [],
        "unpublishedPublications": [],
    }
    variants = [_variant_view(shop, product, variant, view) for variant in product.variants]
    tracked = [v for v in variants if v["inventoryItem"]["tracked"]]
    view.update({
        "variants": variants,
        "tracksInventory": bool(tracked),
        "totalInventory": sum(v["inventoryQuantity"] for v in tracked),
        "hasOutOfStockVariants": any(v["inventoryQuantity"] <= 0 for v in tracked),
    })
    return view


def variant_view(shop, product: CatalogProduct, variant: CatalogVariant) -> dict:
    """A variant with its whole product (variant.product answers every field too)."""
    return product_view(shop, product)["variants"][variant.position - 1]


def _variant_view(shop, product: CatalogProduct, variant: CatalogVariant, product_view: dict) -> dict:
    item = variant.item
    stamp = _iso(product.created)
    title = item.variant_title or "Default Title"
    levels = shop.inventory.of_item(variant.inventory_item_id)
    available = sum(level.available for level in levels)
    view = {
        "__typename": "ProductVariant", "id": variant.gid, "legacyResourceId": str(variant.id),
        "title": title, "displayName": f"{product.title} - {title}", "sku": item.sku, "barcode": item.barcode,
        "price": str(item.price), "compareAtPrice": None, "position": variant.position,
        "taxable": not item.is_gift_card, "availableForSale": product.status == "ACTIVE",
        "inventoryPolicy": "DENY", "inventoryQuantity": available,
        "sellableOnlineQuantity": sum(level.available for level in levels
                                      if level.location != shop.profile.fulfillment_service_location),
        "requiresComponents": False, "createdAt": stamp, "updatedAt": stamp, "defaultCursor": variant.gid,
        "selectedOptions": [{"name": "Title" if item.variant_title is None else "Variant", "value": title}],
        "events": [], "media": [], "metafields": [], "productVariantComponents": [], "sellingPlanGroups": [],
        "product": product_view,
    }
    view["inventoryItem"] = inventory_item_view(shop, product, variant, view)
    return view


def inventory_item_view(shop, product: CatalogProduct, variant: CatalogVariant, variant_view: dict) -> dict:
    item = variant.item
    stamp = _iso(product.created)
    view = {
        "__typename": "InventoryItem", "id": variant.inventory_item_gid,
        "legacyResourceId": str(variant.inventory_item_id), "sku": item.sku,
        "tracked": shop.inventory.is_tracked(variant.inventory_item_id),
        "requiresShipping": item.requires_shipping, "createdAt": stamp, "updatedAt": stamp,
        "duplicateSkuCount": 0, "countryCodeOfOrigin": None, "harmonizedSystemCode": None,
        "unitCost": _money(variant.unit_cost, shop.profile.currency) if variant.unit_cost is not None else None,
        "measurement": {"id": f"gid://shopify/InventoryItemMeasurement/{variant.inventory_item_id}",
                        "weight": {"unit": "GRAMS", "value": float(variant.grams)}},
        "trackedEditable": {"locked": False, "reason": None},
        "countryHarmonizedSystemCodes": [], "variant": variant_view,
    }
    view["inventoryLevels"] = lambda info, **args: [
        level_view(shop, level, view) for level in shop.inventory.of_item(variant.inventory_item_id)]
    view["inventoryLevel"] = lambda info, **args: _level_at(shop, variant, view, args.get("locationId", ""))
    return view


def _level_at(shop, variant: CatalogVariant, item_view: dict, location_gid: str) -> dict | None:
    level = shop.inventory.level(variant.inventory_item_id, location_gid)
    return level_view(shop, level, item_view) if level else None


def level_view(shop, level: Level, item_view: dict | None = None) -> dict:
    stamp = _iso(level.updated)
    values = {"available": level.available, "on_hand": level.on_hand, "committed": level.committed,
              "incoming": level.incoming}

    def quantities(info, names, **args):
        return [{"id": f"{level.gid}&name={name}", "name": name, "quantity": values.get(name, 0),
                 "updatedAt": stamp} for name in names]

    if item_view is None:
        variant = shop.catalog.variant_of_inventory_item(level.item_id)
        item_view = variant_view(shop, shop.catalog.product(variant.product_id), variant)["inventoryItem"]
    return {
        "__typename": "InventoryLevel", "id": level.gid, "createdAt": stamp, "updatedAt": stamp,
        "canDeactivate": level.available == 0 and level.incoming == 0, "deactivationAlert": None,
        "quantities": quantities, "scheduledChanges": [], "item": item_view,
        "location": location_view(shop.profile, shop.generator, level.location),
    }
