"""The ledger's items with their variants, barcodes and pictures, in batches: read, found by barcode
or vendor item no., created with numbers from the series, updated."""
from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from connectors.ledger.errors import UnknownRecords
from connectors.ledger.models import Item, ItemBarcode, ItemPicture, ItemVariant, SeriesCode
from connectors.ledger.numbering import next_numbers, numbered
from connectors.ledger.records import BarcodeData, ItemData, PictureData, VariantData

_FIELDS = ("description", "type", "base_unit", "unit_price", "unit_cost", "vendor_item_no", "blocked")


def get_items(merchant, numbers) -> dict[str, ItemData]:
    rows = Item.objects.filter(merchant=merchant, number__in=set(numbers)).prefetch_related("variants", "barcodes")
    return {row.number: _data(row) for row in rows}


def find_items(merchant, *, barcodes=(), vendor_item_nos=()) -> dict[str, ItemData]:
    """Items carrying one of the barcodes or vendor item nos., by number."""
    by_barcode = ItemBarcode.objects.filter(merchant=merchant, barcode__in=set(barcodes)).values("item_id")
    rows = Item.objects.filter(Q(pk__in=by_barcode) | Q(vendor_item_no__in=set(vendor_item_nos) - {""}),
                               merchant=merchant)
    return {row.number: _data(row) for row in rows.prefetch_related("variants", "barcodes")}


def item_numbers(merchant, *, changed_since=None) -> list[str]:
    rows = Item.objects.filter(merchant=merchant)
    if changed_since is not None:
        rows = rows.filter(updated_at__gte=changed_since)
    return list(rows.order_by("number").values_list("number", flat=True))


def create_items(merchant, drafts: list[ItemData]) -> list[ItemData]:
    with transaction.atomic():
        created = numbered(merchant, SeriesCode.ITEMS, drafts, what="item",
                           in_use=lambda numbers: _taken(merchant, numbers))
        rows = Item.objects.bulk_create(Item(merchant=merchant, number=d.number, **{n: getattr(d, n) for n in _FIELDS})
                                        for d in created)
        if not all(row.pk for row in rows):   # backends that do not return keys from bulk_create
            ids = dict(Item.objects.filter(merchant=merchant, number__in=[d.number for d in created])
                       .values_list("number", "pk"))
            for row in rows:
                row.pk = ids[row.number]
        _write_parts(merchant, {row.number: row for row in rows}, created)
    return created


def update_items(merchant, records: list[ItemData]) -> list[str]:
    """Write the records' values, variants and barcodes included; the numbers of those that changed."""
    with transaction.atomic():
        rows = {row.number: row for row in Item.objects.select_for_update().filter(
            merchant=merchant, number__in=[r.number for r in records]).prefetch_related("variants", "barcodes")}
        missing = {r.number for r in records} - set(rows)
        if missing:
            raise UnknownRecords("item", missing)
        changed, now = [], timezone.now()
        for record in records:
            row = rows[record.number]
            if _data(row) == record:
                continue
            for name in _FIELDS:
                setattr(row, name, getattr(record, name))
            row.updated_at = now
            changed.append(row)
        if changed:
            Item.objects.bulk_update(changed, [*_FIELDS, "updated_at"])
            ItemVariant.objects.filter(item__in=changed).delete()
            ItemBarcode.objects.filter(item__in=changed).delete()
            _write_parts(merchant, {row.number: row for row in changed},
                         [r for r in records if r.number in {row.number for row in changed}])
    return [row.number for row in changed]


def _write_parts(merchant, rows: dict[str, Item], records: list[ItemData]) -> None:
    ItemVariant.objects.bulk_create(ItemVariant(item=rows[r.number], code=v.code, description=v.description)
                                    for r in records for v in r.variants)
    ItemBarcode.objects.bulk_create(ItemBarcode(merchant=merchant, item=rows[r.number], barcode=b.barcode,
                                                variant_code=b.variant_code) for r in records for b in r.barcodes)


def _data(row: Item) -> ItemData:
    return ItemData(number=row.number, **{name: getattr(row, name) for name in _FIELDS},
                    variants=tuple(VariantData(v.code, v.description) for v in
                                   sorted(row.variants.all(), key=lambda v: v.pk)),
                    barcodes=tuple(BarcodeData(b.barcode, b.variant_code) for b in
                                   sorted(row.barcodes.all(), key=lambda b: b.pk)))


def prepare_row(row: Item) -> None:
    """Before an item typed in the admin is saved: a number from the series when left blank."""
    if not row.number:
        row.number = next_numbers(row.merchant, SeriesCode.ITEMS, 1, taken=lambda batch: _taken(row.merchant, batch))[0]


def _taken(merchant, numbers: list[str]) -> set[str]:
    return set(Item.objects.filter(merchant=merchant, number__in=numbers).values_list("number", flat=True))


def item_picture_hashes(merchant, numbers) -> dict[str, str]:
    """The content hash of each item's picture, for the items that have one; no bytes are read."""
    rows = ItemPicture.objects.filter(item__merchant=merchant, item__number__in=set(numbers))
    return dict(rows.values_list("item__number", "content_hash"))


def get_item_pictures(merchant, numbers) -> dict[str, PictureData]:
    rows = ItemPicture.objects.filter(item__merchant=merchant, item__number__in=set(numbers)).select_related("item")
    return {row.item.number: PictureData(bytes(row.content), row.content_type, row.filename) for row in rows}


def set_item_pictures(merchant, pictures: dict[str, PictureData]) -> list[str]:
    """Give the items these pictures, all or none; the numbers whose picture changed."""
    with transaction.atomic():
        items = dict(Item.objects.filter(merchant=merchant, number__in=list(pictures)).values_list("number", "pk"))
        missing = set(pictures) - set(items)
        if missing:
            raise UnknownRecords("item", missing)
        held = dict(ItemPicture.objects.filter(item_id__in=items.values()).values_list("item_id", "content_hash"))
        changed = {number: p for number, p in pictures.items() if held.get(items[number]) != p.content_hash}
        ItemPicture.objects.filter(item_id__in=[items[n] for n in changed]).delete()
        ItemPicture.objects.bulk_create(
            ItemPicture(item_id=items[number], content=p.content, content_type=p.content_type, filename=p.filename,
                        content_hash=p.content_hash) for number, p in changed.items())
    return sorted(changed)


PICTURE_MAX_BYTES = 20 * 1024 * 1024
def picture_summary(row: Item) -> str:
    """What the item's admin page says of its picture: its name, type and content hash."""
    picture = (ItemPicture.objects.filter(item=row).values("filename", "content_type", "content_hash").first()
               if row.pk else None)
    if picture is None:
        return ""
    name, kind, digest = picture["filename"] or "picture", picture["content_type"], picture["content_hash"][:12]
    return f"{name} ({kind}, content hash {digest})"
