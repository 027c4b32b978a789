"""Stock in the ledger: locations, and item ledger entries whose sum is the quantity on hand. An
entry is only ever added; nothing updates a stock figure in place."""
from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from connectors.ledger.errors import UnknownRecords
from connectors.ledger.models import Item, ItemLedgerEntry, ItemVariant, Location
from connectors.ledger.records import LocationData, StockEntry, StockKey


def list_locations(merchant) -> list[LocationData]:
    return [LocationData(code, name) for code, name in
            Location.objects.filter(merchant=merchant).order_by("code").values_list("code", "name")]


def create_locations(merchant, locations: list[LocationData]) -> None:
    """Add the locations not there yet (by code); existing ones are left as they are."""
    existing = set(Location.objects.filter(merchant=merchant).values_list("code", flat=True))
    Location.objects.bulk_create(Location(merchant=merchant, code=loc.code, name=loc.name)
                                 for loc in locations if loc.code not in existing)


def post_stock(merchant, entries: list[StockEntry]) -> int:
    """Add the entries, all or none; every item, variant and location they name must exist."""
    if not entries:
        return 0
    items = dict(Item.objects.filter(merchant=merchant, number__in={e.key.item for e in entries})
                 .values_list("number", "pk"))
    locations = dict(Location.objects.filter(merchant=merchant, code__in={e.key.location for e in entries})
                     .values_list("code", "pk"))
    variants = set(ItemVariant.objects.filter(item__merchant=merchant, item__number__in=set(items))
                   .values_list("item__number", "code"))
    for what, known, wanted in (("item", set(items), {e.key.item for e in entries}),
                                ("location", set(locations), {e.key.location for e in entries}),
                                ("item variant", {f"{i} {v}" for i, v in variants},
                                 {f"{e.key.item} {e.key.variant}" for e in entries if e.key.variant})):
        if wanted - known:
            raise UnknownRecords(what, wanted - known)
    with transaction.atomic():
        ItemLedgerEntry.objects.bulk_create(
            ItemLedgerEntry(merchant=merchant, item_id=items[e.key.item], variant_code=e.key.variant,
                            location_id=locations[e.key.location], quantity=e.quantity, entry_type=e.entry_type,
                            posting_date=e.posting_date, document_no=e.document_no, description=e.description)
            for e in entries if e.quantity)
    return sum(1 for e in entries if e.quantity)


def stock(merchant, *, items=None, location: str | None = None) -> dict[StockKey, Decimal]:
    """Quantity on hand per item, variant and location: the sum of the entries (one aggregate)."""
    rows = ItemLedgerEntry.objects.filter(merchant=merchant)
    if items is not None:
        rows = rows.filter(item__number__in=set(items))
    if location is not None:
        rows = rows.filter(location__code=location)
    totals = rows.values("item__number", "variant_code", "location__code").annotate(on_hand=Sum("quantity"))
    return {StockKey(t["item__number"], t["variant_code"], t["location__code"]): t["on_hand"] for t in totals}
