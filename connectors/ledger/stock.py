"""Stock in the ledger: locations, and item ledger entries whose sum is the quantity on hand. An
entry is only ever added; nothing updates a stock figure in place."""
from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from connectors.ledger.errors import NotAStockCalculation, UnknownRecords
from connectors.ledger.models import (
    Item,
    ItemLedgerEntry,
    ItemType,
    ItemVariant,
    Location,
    SalesDocumentType,
    SalesLine,
    SalesLineType,
)
from connectors.ledger.records import LocationData, StockCalculation, StockEntry, StockKey

# The documents whose item lines take stock when they ship: an order until its shipment is posted,
# an invoice until it is (it ships as it posts).
RESERVING = (SalesDocumentType.ORDER, SalesDocumentType.INVOICE)


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


def stock_levels(merchant, *, locations: list[str], calculation: str,
                 items: set[str] | None = None) -> dict[tuple[str, str], Decimal]:
    """(item no., variant code) -> quantity of the inventory items (services keep no stock) summed over
    the `locations` (codes), of `items` only when given. ON_HAND: the sum of the item ledger entries.
    AVAILABLE: that, less the quantity of the item lines of the open sales orders and invoices not
    shipped yet whose location is one of `locations` (a shipped order's goods have left: its entries
    count them already). A key the books hold no entry or open line of is absent: none of it. One
    aggregate query, two for AVAILABLE, whatever the number of items and locations."""
    if calculation not in (StockCalculation.ON_HAND, StockCalculation.AVAILABLE):
        raise NotAStockCalculation(calculation)
    if not locations:
        return {}
    inventory = Item.objects.filter(merchant=merchant, type=ItemType.INVENTORY)
    if items is not None:
        inventory = inventory.filter(number__in=set(items))
    # Through the items' index, not every entry of the books: a batch of items costs what they hold.
    entries = ItemLedgerEntry.objects.filter(item__in=inventory, location__code__in=set(locations))
    levels: dict[tuple[str, str], Decimal] = {
        (number, variant): quantity for number, variant, quantity in
        entries.values("item__number", "variant_code").annotate(quantity=Sum("quantity"))
        .values_list("item__number", "variant_code", "quantity")}
    if calculation == StockCalculation.AVAILABLE:
        for key, reserved in _reserved(merchant, locations, items).items():
            levels[key] = levels.get(key, Decimal("0")) - reserved
    return levels


def _reserved(merchant, locations: list[str], items: set[str] | None) -> dict[tuple[str, str], Decimal]:
    """What the open orders and invoices not shipped yet will take from `locations`, per item and variant."""
    inventory = Item.objects.filter(merchant=merchant, type=ItemType.INVENTORY)
    if items is not None:
        inventory = inventory.filter(number__in=set(items))
    lines = SalesLine.objects.filter(document__merchant=merchant, document__type__in=RESERVING,
                                     document__shipped_shipment_no="", document__location__code__in=set(locations),
                                     type=SalesLineType.ITEM, number__in=inventory.values("number"))
    return {(number, variant): quantity for number, variant, quantity in
            lines.values("number", "variant_code").annotate(quantity=Sum("quantity"))
            .values_list("number", "variant_code", "quantity")}
