"""Products, variants, inventory items, inventory levels and product images as Shopify serves them,
every field the schema promises filled, stock from the shop's inventory (store.inventory).

What costs something to build (a product's variants, an item's levels, a location) is a function
the GraphQL layer calls only when the query asks for it.
"""
from __future__ import annotations

from datetime import timezone

from shopify_simulator.store.catalog import Image, Product, Variant
from shopify_simulator.store.inventory import Level
from shopify_simulator.store.locations import location_view
from shopify_simulator.store.media import content_hash, image_bytes, image_dimensions, mime_type

QUANTITY_NAMES = ("available", "on_hand", "committed", "incoming")


def iso(moment) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _money(amount, currency: str) -> dict:
    return {"amount": str(amount), "currencyCode": currency}


def _stock(shop, variant: Variant) -> tuple[int, int]:
    """(available everywhere, available where online orders are fulfilled) of a variant."""
    levels = shop.inventory.of_item(variant.inventory_item_id) if variant.tracked else []
    service = shop.profile.fulfillment_service_location
    return (sum(level.available for level in levels),
            sum(level.available for level in levels if level.location != service))


def product_view(shop, product: Product) -> dict:
    currency = shop.profile.currency
    prices = [v.price for v in product.variants] or [0]
    stamp = iso(product.created)
    stock = {v.id: _stock(shop, v) for v in product.variants}
    tracked = [v for v in product.variants if v.tracked]
    view = {
        "__typename": "Product", "id": product.gid, "legacyResourceId": str(product.id),
        "title": product.title, "handle": product.handle, "vendor": product.vendor,
        "productType": product.product_type, "tags": list(product.tags), "status": product.status,
        "description": _plain(product.description_html), "descriptionHtml": product.description_html,
        "createdAt": stamp, "updatedAt": iso(product.updated),
        "publishedAt": stamp if product.status == "ACTIVE" else None, "isGiftCard": product.is_gift_card,
        "hasOnlyDefaultVariant": product.has_only_default_variant, "hasVariantsThatRequiresComponents": False,
        "requiresSellingPlan": False, "publishedOnCurrentPublication": product.status == "ACTIVE",
        "defaultCursor": product.gid, "onlineStoreUrl": None,
        "options": _options(product),
        "priceRangeV2": {"minVariantPrice": _money(min(prices), currency),
                         "maxVariantPrice": _money(max(prices), currency)},
        "seo": {"title": None, "description": None},
        "tracksInventory": bool(tracked),
        "totalInventory": sum(stock[v.id][0] for v in tracked),
        "hasOutOfStockVariants": any(stock[v.id][0] <= 0 for v in tracked),
        "bundleComponents": [], "collections": [], "events": [], "metafields": [],
        "resourcePublications": [], "resourcePublicationsV2": [], "sellingPlanGroups": [],
        "unpublishedPublications": [],
    }
    images = lambda: [shop.catalog.image(i) for i in product.image_ids if shop.catalog.image(i)]  # noqa: E731
    view["media"] = lambda info, **args: [media_view(shop, image) for image in images()]
    view["images"] = lambda info, **args: [image_view(shop, image) for image in images() if image.status == "READY"]
    view["featuredMedia"] = lambda info, **args: next((media_view(shop, i) for i in images()), None)
    view["featuredImage"] = lambda info, **args: next(
        (image_view(shop, i) for i in images() if i.status == "READY"), None)
    view["mediaCount"] = lambda info, **args: {"count": len(product.image_ids), "precision": "EXACT"}
    view["variantsCount"] = {"count": len(product.variants), "precision": "EXACT"}
    view["variants"] = lambda info, **args: [
        _variant_view(shop, product, variant, view, stock[variant.id]) for variant in product.variants]
    return view


def _plain(html: str) -> str:
    text, inside = [], False
    for char in html:
        if char in "<>":
            inside = char == "<"
        elif not inside:
            text.append(char)
    return "".join(text).strip()


def _options(product: Product) -> list[dict]:
    options = []
    for position, name in enumerate(product.options, 1):
        values = []
        for variant in product.variants:
            value = variant.option_values[position - 1] if variant.option_values else "Default Title"
            if value not in values:
                values.append(value)
        options.append({"id": f"gid://shopify/ProductOption/{product.id * 10 + position}", "name": name,
                        "position": position, "values": values, "linkedMetafield": None,
                        "optionValues": [{"id": _option_value_gid(product, position, i),
                                          "name": value, "hasVariants": True, "linkedMetafieldValue": None,
                                          "swatch": None} for i, value in enumerate(values)]})
    return options


def _option_value_gid(product: Product, position: int, index: int) -> str:
    return f"gid://shopify/ProductOptionValue/{product.id * 1000 + position * 100 + index}"


def variant_view(shop, product: Product, variant: Variant) -> dict:
    """A variant with its whole product (variant.product answers every field too)."""
    return _variant_view(shop, product, variant, product_view(shop, product), _stock(shop, variant))


def _variant_view(shop, product: Product, variant: Variant, product_view: dict, stock: tuple[int, int]) -> dict:
    title = variant.title
    options = product.options if variant.option_values else ("Title",)
    values = variant.option_values or ("Default Title",)
    image = shop.catalog.image(variant.image_id) if variant.image_id else None
    view = {
        "__typename": "ProductVariant", "id": variant.gid, "legacyResourceId": str(variant.id),
        "title": title, "displayName": f"{product.title} - {title}", "sku": variant.sku, "barcode": variant.barcode,
        "price": str(variant.price),
        "compareAtPrice": str(variant.compare_at_price) if variant.compare_at_price is not None else None,
        "position": product.variants.index(variant) + 1,
        "taxable": variant.taxable, "availableForSale": product.status == "ACTIVE",
        "inventoryPolicy": "DENY", "inventoryQuantity": stock[0] if variant.tracked else 0,
        "sellableOnlineQuantity": stock[1] if variant.tracked else 0,
        "requiresComponents": False, "createdAt": iso(variant.created), "updatedAt": iso(variant.updated),
        "defaultCursor": variant.gid, "taxCode": None,
        "selectedOptions": [{"name": name, "value": value, "optionValue": _option_value(product_view, name, value)}
                            for name, value in zip(options, values)],
        "image": image_view(shop, image) if image and image.status == "READY" else None,
        "events": [], "metafields": [], "productVariantComponents": [], "sellingPlanGroups": [],
        "media": lambda info, **args: [media_view(shop, image)] if image else [],
        "product": product_view,
    }
    view["inventoryItem"] = inventory_item_view(shop, variant, view)
    return view


def _option_value(product_view: dict, name: str, value: str) -> dict:
    option = next(o for o in product_view["options"] if o["name"] == name)
    return next(v for v in option["optionValues"] if v["name"] == value)


def inventory_item_view(shop, variant: Variant, variant_view: dict) -> dict:
    view = {
        "__typename": "InventoryItem", "id": variant.inventory_item_gid,
        "legacyResourceId": str(variant.inventory_item_id), "sku": variant.sku,
        "tracked": variant.tracked, "requiresShipping": variant.requires_shipping,
        "createdAt": iso(variant.created), "updatedAt": iso(variant.updated),
        "duplicateSkuCount": max(0, shop.catalog.variants_with_sku(variant.sku) - 1),
        "countryCodeOfOrigin": None, "provinceCodeOfOrigin": None, "harmonizedSystemCode": None,
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


def _level_at(shop, variant: Variant, item_view: dict, location_gid: str) -> dict | None:
    level = shop.inventory.level(variant.inventory_item_id, location_gid)
    return level_view(shop, level, item_view) if level else None


def item_view_of(shop, item_id: int) -> dict | None:
    variant = shop.catalog.variant_of_inventory_item(item_id)
    if variant is None:
        return None
    return variant_view(shop, shop.catalog.product(variant.product_id), variant)["inventoryItem"]


def level_view(shop, level: Level, item_view: dict | None = None) -> dict:
    stamp = iso(level.updated)
    values = {"available": level.available, "on_hand": level.on_hand, "committed": level.committed,
              "incoming": level.incoming}

    def quantities(info, names, **args):
        return [{"id": f"{level.gid}&name={name}", "name": name, "quantity": values.get(name, 0),
                 "updatedAt": stamp} for name in names]

    return {
        "__typename": "InventoryLevel", "id": level.gid, "createdAt": stamp, "updatedAt": stamp,
        "canDeactivate": level.available == 0 and level.incoming == 0, "deactivationAlert": None,
        "quantities": quantities, "scheduledChanges": [],
        "item": item_view if item_view is not None else (lambda info, **args: item_view_of(shop, level.item_id)),
        "location": lambda info, **args: location_view(shop.profile, shop.generator, level.location),
    }


def image_url(shop, image: Image) -> str:
    return f"{shop.base_url}/_simulator/files/{shop.profile.handle}/{image.id}/{content_hash(image)}/{image.filename}"


def image_view(shop, image: Image) -> dict:
    width, height = image_dimensions(image)
    return {"__typename": "Image", "id": f"gid://shopify/ProductImage/{image.id}", "url": image_url(shop, image),
            "src": image_url(shop, image), "originalSrc": image_url(shop, image),
            "transformedSrc": image_url(shop, image), "altText": image.alt or None, "width": width,
            "height": height, "metafields": []}


def media_view(shop, image: Image) -> dict:
    """A product image as media and as a file (MediaImage is both)."""
    ready = image.status == "READY"
    picture = image_view(shop, image) if ready else None
    errors = [{"code": image.error[0], "details": None, "message": image.error[1]}] if image.error else []
    return {
        "__typename": "MediaImage", "id": image.gid, "alt": image.alt or None, "mediaContentType": "IMAGE",
        "status": image.status, "fileStatus": image.status, "createdAt": iso(image.created),
        "updatedAt": iso(image.updated), "mimeType": mime_type(image) if ready else None,
        "image": picture, "preview": {"image": picture, "status": "READY" if ready else "FAILED"},
        "originalSource": {"url": image_url(shop, image), "fileSize": len(image_bytes(image))} if ready else None,
        "mediaErrors": errors, "fileErrors": errors,
        "mediaWarnings": [], "metafields": [],
    }
