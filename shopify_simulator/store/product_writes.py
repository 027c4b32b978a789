"""Product and variant writes as Shopify applies them (productCreate, productUpdate, productDelete,
productVariantsBulkCreate, productVariantsBulkUpdate, productVariantsBulkDelete, fileDelete's images):
every input checked first, so a refused
write changes nothing; what changed moves `updated`. Images are resolved by the caller (they need
the network) and handed in as Image records.

Shopify does not refuse a SKU another variant has: it counts duplicates (InventoryItem.duplicateSkuCount),
and so does this.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from shopify_simulator.store.catalog import Catalog, Image, Product, Variant, handle_for
from shopify_simulator.store.gids import gid_number
from shopify_simulator.store.inventory import Inventory

STATUSES = ("ACTIVE", "DRAFT", "ARCHIVED")
MAX_VARIANTS = 2048     # Shopify's limit per product (2024-10 onward)


@dataclass(frozen=True)
class Refusal:
    field: list[str]
    message: str
    code: str | None = None


class Refused(Exception):
    def __init__(self, refusals: list[Refusal]) -> None:
        super().__init__(refusals[0].message)
        self.refusals = refusals


# Products
def create_product(catalog: Catalog, inventory: Inventory, fields: dict, images: list[Image], *,
                   now: datetime) -> Product:
    title = (fields.get("title") or "").strip()
    refusals = []
    if not title:
        refusals.append(Refusal(["title"], "Title can't be blank"))
    if fields.get("status") is not None and fields["status"] not in STATUSES:
        refusals.append(Refusal(["status"], "Status is not included in the list"))
    handle = _handle(catalog, fields.get("handle"), title, product_id=None, refusals=refusals)
    options = [o for o in fields.get("productOptions") or []]
    names = [(o.get("name") or "").strip() for o in options]
    for index, option in enumerate(options):
        if not names[index]:
            refusals.append(Refusal(["productOptions", str(index), "name"], "Option name can't be blank"))
        elif not option.get("values"):
            refusals.append(Refusal(["productOptions", str(index), "values"],
                                    f"Option '{names[index]}' needs at least one value"))
    if len(set(names)) != len(names):
        refusals.append(Refusal(["productOptions"], "Option names must be unique"))
    if refusals:
        raise Refused(refusals)
    product = Product(
        id=catalog.new_id(), title=title, handle=handle, vendor=fields.get("vendor") or "",
        product_type=fields.get("productType") or "", tags=_tags(fields.get("tags")),
        status=fields.get("status") or "ACTIVE", description_html=fields.get("descriptionHtml") or "",
        is_gift_card=bool(fields.get("giftCard")), options=tuple(names) or ("Title",), created=now, updated=now)
    # Shopify makes one variant: the first value of each option, or the default one, priced at 0.
    first_values = tuple(o["values"][0]["name"] for o in options)
    product.variants.append(_new_variant(catalog, product, first_values, now=now))
    catalog.add_product(product)
    inventory.activate(product.variants[0].inventory_item_id, inventory.locations[0].gid, now=now)
    attach_images(catalog, product, images)
    return product


def update_product(catalog: Catalog, product: Product, fields: dict, images: list[Image], *, now: datetime) -> bool:
    """Apply the given fields; whether anything changed."""
    refusals = []
    if "title" in fields and not (fields["title"] or "").strip():
        refusals.append(Refusal(["title"], "Title can't be blank"))
    if fields.get("status") is not None and fields["status"] not in STATUSES:
        refusals.append(Refusal(["status"], "Status is not included in the list"))
    handle = product.handle
    if fields.get("handle") is not None:
        handle = _handle(catalog, fields["handle"], product.title, product_id=product.id, refusals=refusals)
    if refusals:
        raise Refused(refusals)
    wanted = {
        "title": (fields.get("title") or "").strip() if "title" in fields else product.title,
        "handle": handle,
        "vendor": fields["vendor"] or "" if "vendor" in fields else product.vendor,
        "product_type": fields["productType"] or "" if "productType" in fields else product.product_type,
        "tags": _tags(fields["tags"]) if "tags" in fields else product.tags,
        "status": fields.get("status") or product.status,
        "description_html": (fields["descriptionHtml"] or "" if "descriptionHtml" in fields
                             else product.description_html),
    }
    changed = any(getattr(product, name) != value for name, value in wanted.items()) or bool(images)
    for name, value in wanted.items():
        setattr(product, name, value)
    attach_images(catalog, product, images)
    if changed:
        product.updated = now
    return changed


def delete_product(catalog: Catalog, inventory: Inventory, product: Product) -> None:
    for variant in product.variants:
        inventory.forget_item(variant.inventory_item_id)
    catalog.remove_product(product)


def delete_images(catalog: Catalog, images: list[Image], *, now: datetime) -> list[Product]:
    """Delete files: each leaves every product that showed it (fileDelete); the products it left."""
    left = []
    for image in images:
        for number in image.product_ids:
            product = catalog.product(number)
            if product is not None and image.id in product.image_ids:
                product.image_ids.remove(image.id)
                product.updated = now
                left.append(product)
        image.product_ids.clear()
        catalog.remove_image(image)
    return left


def attach_images(catalog: Catalog, product: Product, images: list[Image]) -> None:
    for image in images:
        if catalog.image(image.id) is None:
            catalog.add_image(image)
        if product.id not in image.product_ids:
            image.product_ids.append(product.id)
        if image.id not in product.image_ids:
            product.image_ids.append(image.id)


# Variants
def create_variants(catalog: Catalog, inventory: Inventory, product: Product, inputs: list[dict], *,
                    remove_standalone: bool, now: datetime) -> list[Variant]:
    refusals: list[Refusal] = []
    standalone = product.variants[0] if len(product.variants) == 1 else None
    # A product with only its default variant takes its options from the new variants.
    new_options = product.options == ("Title",) and bool(inputs)
    options = _option_names(inputs[0]) if new_options else product.options
    keep_standalone = standalone is not None and not remove_standalone
    taken = set() if not keep_standalone and standalone is not None else {_values_of(v, product, options)
                                                                          for v in product.variants}
    planned = []
    for index, entry in enumerate(inputs):
        at = ["variants", str(index)]
        if entry.get("id"):
            refusals.append(Refusal([*at, "id"], "Id cannot be specified when creating a variant", "INVALID_INPUT"))
            continue
        values = _option_values(entry, options, at, refusals, code_missing="NEED_TO_ADD_OPTION_VALUES",
                                code_unknown="OPTION_VALUES_FOR_NUMBER_OF_UNKNOWN_OPTIONS")
        if values is None:
            continue
        if values in taken:
            refusals.append(Refusal(at, f"The variant '{' / '.join(values)}' already exists.",
                                    "VARIANT_ALREADY_EXISTS"))
            continue
        taken.add(values)
        changes = _variant_changes(entry, at, refusals, codes=_CREATE_CODES)
        stock = []
        for place, quantity in enumerate(entry.get("inventoryQuantities") or []):
            if not inventory.knows_location(quantity.get("locationId", "")):
                refusals.append(Refusal([*at, "inventoryQuantities", str(place), "locationId"],
                                        "Location does not exist", "TRACKED_VARIANT_LOCATION_NOT_FOUND"))
            stock.append((quantity.get("locationId"), quantity.get("availableQuantity") or 0))
        planned.append((values, changes, stock))
    if len(product.variants) + len(planned) - (0 if keep_standalone or standalone is None else 1) > MAX_VARIANTS:
        refusals.append(Refusal(["variants"], f"A product can have at most {MAX_VARIANTS} variants.", "INVALID_INPUT"))
    if refusals:
        raise Refused(refusals)
    if new_options:
        product.options = options
        if keep_standalone:
            standalone.option_values = tuple("Default Title" for _ in options)
    if standalone is not None and not keep_standalone and (new_options or remove_standalone):
        product.variants.remove(standalone)
        catalog.remove_variant(standalone)
        inventory.forget_item(standalone.inventory_item_id)
    created = []
    for values, changes, stock in planned:
        variant = _new_variant(catalog, product, values, now=now)
        product.variants.append(variant)
        catalog.add_variant(variant)
        _apply(catalog, variant, changes)   # after adding: the catalog counts SKUs as they are set
        if stock:
            for location_gid, quantity in stock:
                inventory.activate(variant.inventory_item_id, location_gid, now=now, on_hand=max(0, quantity))
        else:
            inventory.activate(variant.inventory_item_id, inventory.locations[0].gid, now=now)
        created.append(variant)
    product.updated = now
    return created


def update_variants(catalog: Catalog, product: Product, inputs: list[dict], *, partial: bool,
                    now: datetime) -> tuple[list[Variant], list[Refusal]]:
    """Apply each variant's changes; with `partial` the good ones are applied and the refusals
    returned, else any refusal refuses all (raised)."""
    refusals: list[Refusal] = []
    planned = []
    for index, entry in enumerate(inputs):
        at = ["variants", str(index)]
        if not entry.get("id"):
            refusals.append(Refusal([*at, "id"], "Product variant is missing ID attribute",
                                    "PRODUCT_VARIANT_ID_MISSING"))
            continue
        variant = catalog.variant(gid_number(entry["id"], "ProductVariant"))
        if variant is None or variant.product_id != product.id:
            refusals.append(Refusal([*at, "id"], "Product variant does not exist", "PRODUCT_VARIANT_DOES_NOT_EXIST"))
            continue
        if entry.get("inventoryQuantities") is not None:
            refusals.append(Refusal([*at, "inventoryQuantities"], "Inventory quantities can only be provided during "
                                    "create. To update inventory for existing variants, use inventorySetQuantities.",
                                    "NO_INVENTORY_QUANTITIES_ON_VARIANTS_UPDATE"))
            continue
        before = len(refusals)
        values = None
        if entry.get("optionValues"):
            values = _option_values(entry, product.options, at, refusals, code_unknown="OPTION_DOES_NOT_EXIST",
                                    code_missing="OPTION_VALUE_DOES_NOT_EXIST", complete=False,
                                    current=variant.option_values)
        changes = _variant_changes(entry, at, refusals, codes=_UPDATE_CODES)
        if entry.get("mediaId"):
            image = catalog.image(gid_number(entry["mediaId"], "MediaImage"))
            if image is None or product.id not in image.product_ids:
                refusals.append(Refusal([*at, "mediaId"], "Media does not exist on this product", "INVALID_INPUT"))
            else:
                changes["image_id"] = image.id
        if len(refusals) == before:
            if values is not None:
                changes["option_values"] = values
            planned.append((variant, changes))
    if refusals and not partial:
        raise Refused(refusals)
    changed = []
    for variant, changes in planned:
        if _apply(catalog, variant, changes):
            variant.updated = now
            changed.append(variant)
    if changed:
        product.updated = now
    return [variant for variant, _ in planned], refusals


def delete_variants(catalog: Catalog, inventory: Inventory, product: Product, gids: list[str], *,
                    now: datetime) -> None:
    """Remove the product's variants named by `gids` with their inventory items; a variant of
    another product, or removing every variant, refuses them all."""
    numbers = [gid_number(gid, "ProductVariant") for gid in gids]
    own = {variant.id: variant for variant in product.variants}
    if any(number not in own for number in numbers):
        raise Refused([Refusal(["variantsIds"], "At least one variant does not belong to the product",
                               "AT_LEAST_ONE_VARIANT_DOES_NOT_BELONG_TO_THE_PRODUCT")])
    if set(numbers) >= set(own):
        raise Refused([Refusal(["variantsIds"], "Cannot delete the last variant of a product. Delete the "
                               "product instead.", "CANNOT_DELETE_LAST_VARIANT")])
    for number in dict.fromkeys(numbers):
        variant = own[number]
        product.variants.remove(variant)
        catalog.remove_variant(variant)
        inventory.forget_item(variant.inventory_item_id)
    product.updated = now


_CREATE_CODES = {"negative": "NEGATIVE_PRICE_VALUE", "invalid": "INVALID_INPUT"}
_UPDATE_CODES = {"negative": "NEGATIVE_PRICE_VALUE", "invalid": "INVALID_INPUT"}


def _variant_changes(entry: dict, at: list[str], refusals: list[Refusal], *, codes: dict) -> dict:
    """The record fields the input sets, each checked."""
    changes: dict = {}
    for name, field in (("price", "price"), ("compare_at_price", "compareAtPrice")):
        if field not in entry:
            continue
        if entry[field] is None:
            if name == "compare_at_price":
                changes[name] = None
            continue
        amount = _decimal(entry[field])
        if amount is None:
            refusals.append(Refusal([*at, field], f"{_label(field)} is invalid", codes["invalid"]))
        elif amount < 0:
            refusals.append(Refusal([*at, field], f"{_label(field)} must be greater than or equal to 0",
                                    codes["negative"]))
        else:
            changes[name] = amount
    for name, field in (("barcode", "barcode"), ("taxable", "taxable")):
        if field in entry and entry[field] is not None:
            changes[name] = entry[field] or None if name == "barcode" else entry[field]
    item = entry.get("inventoryItem") or {}
    if "sku" in item:
        changes["sku"] = item["sku"] or None
    if item.get("tracked") is not None:
        changes["tracked"] = item["tracked"]
    if item.get("requiresShipping") is not None:
        changes["requires_shipping"] = item["requiresShipping"]
    if "cost" in item:
        cost = _decimal(item["cost"]) if item["cost"] is not None else None
        if item["cost"] is not None and (cost is None or cost < 0):
            refusals.append(Refusal([*at, "inventoryItem", "cost"], "Cost must be greater than or equal to 0",
                                    codes["invalid"]))
        else:
            changes["unit_cost"] = cost
    weight = ((item.get("measurement") or {}).get("weight") or {})
    if weight.get("value") is not None:
        grams = _grams(weight["value"], weight.get("unit") or "KILOGRAMS")
        if grams < 0:
            refusals.append(Refusal([*at, "inventoryItem", "measurement", "weight"], "Weight must be greater than or "
                                    "equal to 0", codes["invalid"]))
        else:
            changes["grams"] = grams
    return changes


def _apply(catalog: Catalog, variant: Variant, changes: dict) -> bool:
    changed = False
    for name, value in changes.items():
        if getattr(variant, name) == value:
            continue
        changed = True
        if name == "sku":
            catalog.set_sku(variant, value)
        else:
            setattr(variant, name, value)
    return changed


def _new_variant(catalog: Catalog, product: Product, values: tuple[str, ...], *, now: datetime) -> Variant:
    return Variant(id=catalog.new_id(), product_id=product.id, inventory_item_id=catalog.new_id(),
                   option_values=values, sku=None, barcode=None, price=Decimal("0.00"), compare_at_price=None,
                   taxable=True, grams=0, unit_cost=None, tracked=False, requires_shipping=True, created=now,
                   updated=now)


def _option_names(entry: dict) -> tuple[str, ...]:
    return tuple(v.get("optionName") or "" for v in entry.get("optionValues") or [])


def _values_of(variant: Variant, product: Product, options: tuple[str, ...]) -> tuple[str, ...]:
    return variant.option_values if variant.option_values else tuple("Default Title" for _ in options)


def _option_values(entry: dict, options: tuple[str, ...], at: list[str], refusals: list[Refusal], *,
                   code_unknown: str, code_missing: str, complete: bool = True,
                   current: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """The variant's value for each option, in option order, from optionValues given by option name."""
    given: dict[str, str] = {}
    for place, value in enumerate(entry.get("optionValues") or []):
        name, text = value.get("optionName"), (value.get("name") or "").strip()
        if name not in options:
            refusals.append(Refusal([*at, "optionValues", str(place)], f"Option '{name}' does not exist",
                                    code_unknown))
            return None
        if not text:
            refusals.append(Refusal([*at, "optionValues", str(place), "name"], "Option value name can't be blank",
                                    code_missing))
            return None
        given[name] = text
    missing = [name for name in options if name not in given]
    if missing and complete:
        refusals.append(Refusal([*at, "optionValues"], f"You need to add option values for {', '.join(missing)}",
                                code_missing))
        return None
    return tuple(given.get(name, current[i] if i < len(current) else "") for i, name in enumerate(options))


def _handle(catalog: Catalog, wanted: str | None, title: str, *, product_id: int | None,
            refusals: list[Refusal]) -> str:
    taken = {p.handle for p in catalog.products() if p.id != product_id}
    if wanted:
        handle = handle_for(wanted)
        if handle in taken:
            refusals.append(Refusal(["handle"], f"Handle '{handle}' already in use. Please provide a new handle."))
        return handle
    base = handle = handle_for(title)
    number = 1
    while handle in taken:
        handle = f"{base}-{number}"
        number += 1
    return handle


def _tags(tags) -> tuple[str, ...]:
    if isinstance(tags, str):
        tags = tags.split(",")
    return tuple(sorted({t.strip() for t in tags or [] if t and t.strip()}))


def _decimal(text) -> Decimal | None:
    try:
        amount = Decimal(str(text))
    except InvalidOperation:
        return None
    return amount.quantize(Decimal("0.01")) if amount.is_finite() else None


def _grams(value: float, unit: str) -> int:
    factor = {"GRAMS": 1, "KILOGRAMS": 1000, "OUNCES": 28.349523125, "POUNDS": 453.59237}.get(unit, 1)
    return round(float(value) * factor)


def _label(field: str) -> str:
    return {"price": "Price", "compareAtPrice": "Compare at price"}[field]
