"""Shopify product JSON (the ProductFields fragment with its variants, VariantFields) -> imported
product and variant rows, upserted in batches keyed by GID.

One call takes a batch of products whose variants are complete (nested pages followed, or a bulk
export's child lines put back) and makes a fixed number of queries whatever its size: one to read
what is held, the insert of the new products (ids reserved first; COPY on PostgreSQL), one batched
UPDATE of the changed ones, one DELETE of the changed products' variants and one insert of the
variants of every new or changed product. So a variant removed in Shopify disappears with the next
change of its product. A product whose updatedAt has not moved is skipped. A payload that cannot
be read (a value the schema promises missing, variants not all read) fails alone, with its reason;
the rest of the batch goes in.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.utils import timezone

from connectors.shopify.importers.counts import ImportCounts
from connectors.shopify.importers.table_writer import TableWriter
from connectors.shopify.importers.upserts import PayloadError, payload_time, upsert_batch
from connectors.shopify.models import ShopifyProduct, ShopifyVariant
from connectors.shopify.signals import products_imported

# Written again when a product changed; imported_at (when first read) is kept.
PRODUCT_FIELDS = [
    "legacy_id", "title", "handle", "status", "vendor", "product_type", "is_gift_card", "tags", "image_gid",
    "image_url",
    "created_at", "shopify_updated_at", "updated_at",
]
CENT = Decimal("0.01")


class ProductPayloadError(PayloadError):
    pass


def _promised(payload: dict, key: str, where: str = ""):
    """A value the schema promises (non-null): its absence is an answer we cannot read, never a default."""
    if not isinstance(payload, dict):
        raise ProductPayloadError(f"{where or 'the product'} is not an object")
    value = payload.get(key)
    if value is None:
        raise ProductPayloadError(f"{where}{'.' if where else ''}{key} is missing")
    return value




def _money(value) -> Decimal | None:
    if value is None:
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ProductPayloadError(f"{value!r} is not an amount") from None
    if not amount.is_finite():
        raise ProductPayloadError(f"{value!r} is not an amount")
    return amount.quantize(CENT)


def _gid(value, type_name: str) -> str:
    if not isinstance(value, str) or not value.startswith(f"gid://shopify/{type_name}/"):
        raise ProductPayloadError(f"{value!r} is not a {type_name} ID")
    return value


def _text(value, limit: int) -> str:
    if not isinstance(value, str):
        raise ProductPayloadError(f"{value!r} is not text")
    return value.strip()[:limit]


def _number(value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).isdigit():
        raise ProductPayloadError(f"{value!r} is not a number")
    return int(value)


def parse_product(payload: dict) -> tuple[dict, list[dict]]:
    """A product's row and its variants' rows (column names), as Shopify gave them."""
    gid = _gid(_promised(payload, "id"), "Product")
    tags = _promised(payload, "tags")
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise ProductPayloadError(f"tags {tags!r} is not a list of words")
    media = payload.get("featuredMedia") or {}          # may be null: a product without media
    image = media.get("image") or {}                    # null while Shopify processes an upload
    product = {
        "shopify_gid": gid, "legacy_id": _number(_promised(payload, "legacyResourceId")),
        "title": _text(_promised(payload, "title"), 255), "handle": _text(_promised(payload, "handle"), 255),
        "status": _text(_promised(payload, "status"), 16), "vendor": _text(_promised(payload, "vendor"), 255),
        "is_gift_card": bool(_promised(payload, "isGiftCard")),
        "product_type": _text(_promised(payload, "productType"), 255), "tags": tags,
        "image_gid": str(media.get("id") or "")[:64], "image_url": str(image.get("url") or "")[:1000],
        "created_at": payload_time(_promised(payload, "createdAt")),
        "shopify_updated_at": payload_time(_promised(payload, "updatedAt")),
    }
    return product, _variants(payload)


def _variants(payload: dict) -> list[dict]:
    connection_ = _promised(payload, "variants")
    nodes = connection_.get("nodes") if isinstance(connection_, dict) else None
    if not isinstance(nodes, list):
        raise ProductPayloadError("variants has no list of nodes")
    info = connection_.get("pageInfo")   # none in a bulk export's lines: every variant is there
    if info is not None and (not isinstance(info, dict) or info.get("hasNextPage") is not False):
        raise ProductPayloadError("its variants past the first page were not read")
    if not nodes:
        raise ProductPayloadError("Shopify listed no variant for it (every product has one)")
    rows: dict[str, dict] = {}
    for index, node in enumerate(nodes):
        where = f"variants[{index}]"
        gid = _gid(_promised(node, "id", where), "ProductVariant")
        item = _promised(node, "inventoryItem", where)
        if not isinstance(item, dict):
            raise ProductPayloadError(f"{where}.inventoryItem is not an object")
        options = _promised(node, "selectedOptions", where)
        if not isinstance(options, list):
            raise ProductPayloadError(f"{where}.selectedOptions is not a list")
        cost = item.get("unitCost")     # null: no cost entered
        rows[gid] = {   # a variant read twice (pages that moved under us): its last state wins
            "shopify_gid": gid, "legacy_id": _number(_promised(node, "legacyResourceId", where)),
            "title": _text(_promised(node, "title", where), 255),
            "position": _number(_promised(node, "position", where)),
            "sku": _text(node.get("sku") or "", 255), "barcode": _text(node.get("barcode") or "", 255),
            "price": _money(_promised(node, "price", where)), "compare_at_price": _money(node.get("compareAtPrice")),
            "option_values": [{"name": _text(_promised(o, "name", f"{where}.selectedOptions"), 255),
                               "value": _text(_promised(o, "value", f"{where}.selectedOptions"), 255)}
                              for o in options],
            "taxable": bool(_promised(node, "taxable", where)),
            "inventory_item_gid": _gid(_promised(item, "id", f"{where}.inventoryItem"), "InventoryItem"),
            "tracked": bool(_promised(item, "tracked", f"{where}.inventoryItem")),
            "unit_cost": _money(_promised(cost, "amount", f"{where}.inventoryItem.unitCost")) if cost else None,
            "shopify_updated_at": payload_time(_promised(node, "updatedAt", where)),
        }
    return list(rows.values())


def import_products(*, merchant, payloads: list[dict]) -> ImportCounts:
    """Upsert a batch of products, each with all its variants. New products are inserted, changed
    ones (updatedAt moved) updated with their variants replaced, the rest counted as skipped."""
    return upsert_batch(merchant, payloads, what="product", parse=parse_product, write=_write,
                        payload_error=ProductPayloadError)


@transaction.atomic
def _write(merchant_id: int, latest: dict[str, tuple[dict, list[dict]]]) -> tuple[int, int]:
    held = {
        gid: (pk, updated)
        for gid, pk, updated in ShopifyProduct.objects.filter(merchant_id=merchant_id, shopify_gid__in=list(latest))
        .values_list("shopify_gid", "id", "shopify_updated_at")
    }
    now = timezone.now()
    new, changed = [], []
    for gid, (row, variants) in latest.items():
        if gid not in held:
            new.append(({**row, "merchant_id": merchant_id, "imported_at": now, "updated_at": now}, variants))
        elif held[gid][1] != row["shopify_updated_at"]:
            changed.append(({**row, "id": held[gid][0], "updated_at": now}, variants))
    if not new and not changed:
        return 0, 0
    writer = TableWriter()
    for (row, _), product_id in zip(new, writer.reserve_ids(ShopifyProduct, len(new))):
        row["id"] = product_id
    writer.insert(ShopifyProduct, [_prepared(ShopifyProduct, row, ("tags",)) for row, _ in new], with_id=True)
    _update([row for row, _ in changed])
    if changed:
        # One DELETE without Django's collector: nothing points at a variant row (links name GIDs).
        ShopifyVariant.objects.filter(product_id__in=[row["id"] for row, _ in changed])._raw_delete(
            ShopifyVariant.objects.db)
    writer.insert(ShopifyVariant, [
        _prepared(ShopifyVariant, {**variant, "product_id": row["id"]}, ("option_values",))
        for row, variants in (*new, *changed) for variant in variants], with_id=False)
    products_imported.send(sender=ShopifyProduct, merchant_id=merchant_id,
                           product_ids=[row["id"] for row, _ in (*new, *changed)])
    return len(new), len(changed)


def _prepared(model, row: dict, json_fields: tuple[str, ...]) -> dict:
    """The row as the writer takes it: it passes values through, so JSON goes as the driver takes it."""
    for name in json_fields:
        row[name] = model._meta.get_field(name).get_db_prep_save(row[name], connection)
    return row


def _update(rows: list[dict]) -> None:
    if not rows:
        return
    table = ShopifyProduct._meta.db_table
    fields = [ShopifyProduct._meta.get_field(name) for name in PRODUCT_FIELDS]
    assignments = ", ".join(f'"{f.column}" = %s' for f in fields)
    with connection.cursor() as cursor:
        cursor.executemany(
            f'UPDATE "{table}" SET {assignments} WHERE "id" = %s',  # noqa: S608 (the model's own table)
            [[f.get_db_prep_save(row[f.attname], connection) for f in fields] + [row["id"]] for row in rows],
        )
