"""A product and its variants as Shopify serves them: every field the schema promises filled. Stock
is not tracked yet (inventory levels per location come with the next slice of the catalog)."""
from __future__ import annotations

from datetime import timezone

from shopify_simulator.store.catalog import CatalogProduct, CatalogVariant


def _iso(moment) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _money(amount, currency: str) -> dict:
    return {"amount": str(amount), "currencyCode": currency}


def product_view(product: CatalogProduct, currency: str) -> dict:
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
        "hasOnlyDefaultVariant": not has_options, "hasOutOfStockVariants": False,
        "hasVariantsThatRequiresComponents": False, "requiresSellingPlan": False,
        "publishedOnCurrentPublication": product.status == "ACTIVE", "tracksInventory": False, "totalInventory": 0,
        "defaultCursor": product.gid, "onlineStoreUrl": None,
        "options": [{"id": f"gid://shopify/ProductOption/{product.id}", "name": "Title" if not has_options else
                     "Variant", "position": 1,
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
    view["variants"] = [_variant_view(product, variant, currency, view) for variant in product.variants]
    return view


def variant_view(product: CatalogProduct, variant: CatalogVariant, currency: str) -> dict:
    """A variant with its whole product (variant.product answers every field too)."""
    return product_view(product, currency)["variants"][variant.position - 1]


def _variant_view(product: CatalogProduct, variant: CatalogVariant, currency: str, product_view: dict) -> dict:
    item = variant.item
    stamp = _iso(product.created)
    title = item.variant_title or "Default Title"
    view = {
        "__typename": "ProductVariant", "id": variant.gid, "legacyResourceId": str(variant.id),
        "title": title, "displayName": f"{product.title} - {title}", "sku": item.sku, "barcode": item.barcode,
        "price": str(item.price), "compareAtPrice": None, "position": variant.position,
        "taxable": not item.is_gift_card,
        "availableForSale": product.status == "ACTIVE", "inventoryPolicy": "DENY", "inventoryQuantity": 0,
        "sellableOnlineQuantity": 0, "requiresComponents": False, "createdAt": stamp, "updatedAt": stamp,
        "defaultCursor": variant.gid,
        "selectedOptions": [{"name": "Title" if item.variant_title is None else "Variant", "value": title}],
        "events": [], "media": [], "metafields": [], "productVariantComponents": [], "sellingPlanGroups": [],
    }
    view["product"] = product_view
    view["inventoryItem"] = {
        "__typename": "InventoryItem", "id": variant.inventory_item_gid,
        "legacyResourceId": str(variant.inventory_item_id), "sku": item.sku, "tracked": False,
        "requiresShipping": item.requires_shipping, "createdAt": stamp, "updatedAt": stamp,
        "duplicateSkuCount": 0, "countryCodeOfOrigin": None, "harmonizedSystemCode": None,
        "unitCost": _money(variant.unit_cost, currency) if variant.unit_cost is not None else None,
        "measurement": {"id": f"gid://shopify/InventoryItemMeasurement/{variant.inventory_item_id}",
                        "weight": {"unit": "GRAMS", "value": float(variant.grams)}},
        "trackedEditable": {"locked": False, "reason": None},
        "countryHarmonizedSystemCodes": [], "inventoryLevels": [], "variant": view,
    }
    return view
