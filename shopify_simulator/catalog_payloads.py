"""REST-shaped webhook payloads of the catalog, as Shopify sends products/create, products/update,
products/delete, inventory_levels/connect and inventory_levels/update."""
from __future__ import annotations

from shopify_simulator.payloads import payload_for
from shopify_simulator.store.media import image_dimensions
from shopify_simulator.store.product_view import image_url, iso


@payload_for("PRODUCTS_CREATE", "PRODUCTS_UPDATE")
def product_payload(shop, product) -> dict:
    images = [image for i in product.image_ids if (image := shop.catalog.image(i)) and image.status == "READY"]
    image_payloads = [_image_payload(shop, product, image, position) for position, image in enumerate(images, 1)]
    return {
        "id": product.id, "admin_graphql_api_id": product.gid, "title": product.title, "handle": product.handle,
        "vendor": product.vendor, "product_type": product.product_type, "status": product.status.lower(),
        "tags": ", ".join(product.tags), "body_html": product.description_html,
        "created_at": iso(product.created), "updated_at": iso(product.updated),
        "published_at": iso(product.created) if product.status == "ACTIVE" else None,
        "options": [{"name": name, "position": position, "product_id": product.id}
                    for position, name in enumerate(product.options, 1)],
        "variants": [_variant_payload(shop, product, variant, position)
                     for position, variant in enumerate(product.variants, 1)],
        "images": image_payloads, "image": image_payloads[0] if image_payloads else None,
    }


def _variant_payload(shop, product, variant, position: int) -> dict:
    levels = shop.inventory.of_item(variant.inventory_item_id) if variant.tracked else []
    values = list(variant.option_values) + [None] * (3 - len(variant.option_values))
    return {
        "id": variant.id, "admin_graphql_api_id": variant.gid, "product_id": product.id, "title": variant.title,
        "sku": variant.sku, "barcode": variant.barcode, "price": str(variant.price),
        "compare_at_price": str(variant.compare_at_price) if variant.compare_at_price is not None else None,
        "position": position, "taxable": variant.taxable, "grams": variant.grams,
        "inventory_item_id": variant.inventory_item_id,
        "inventory_quantity": sum(level.available for level in levels),
        "inventory_management": "shopify" if variant.tracked else None,
        "option1": values[0] if variant.option_values else "Default Title", "option2": values[1], "option3": values[2],
        "image_id": variant.image_id, "created_at": iso(variant.created), "updated_at": iso(variant.updated),
    }


def _image_payload(shop, product, image, position: int) -> dict:
    width, height = image_dimensions(image)
    return {"id": image.id, "admin_graphql_api_id": f"gid://shopify/ProductImage/{image.id}",
            "product_id": product.id, "position": position, "src": image_url(shop, image), "alt": image.alt or None,
            "width": width, "height": height, "created_at": iso(image.created), "updated_at": iso(image.updated)}


@payload_for("PRODUCTS_DELETE")
def deleted_product_payload(shop, product) -> dict:
    return {"id": product.id}


@payload_for("INVENTORY_LEVELS_CONNECT", "INVENTORY_LEVELS_UPDATE")
def level_payload(shop, level) -> dict:
    return {"inventory_item_id": level.item_id, "location_id": level.location_number, "available": level.available,
            "updated_at": iso(level.updated), "admin_graphql_api_id": level.gid}
