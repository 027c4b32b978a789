"""Which ledger items the shop sells, for a shop whose items go to Shopify: items added here get a
product link before their product exists (Sync products creates it); an item taken out keeps its
link, and Sync products applies the card's action for removed items to its product once."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from syncjobs.products.models import Direction, MappedBy, ProductLink, VariantLink


@dataclass
class AddResult:
    added: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


def item_numbers_in(text: str) -> list[str]:
    """The item numbers typed in a box, one per line or separated by commas or spaces."""
    return list(dict.fromkeys(number for number in re.split(r"[\s,;]+", text) if number))


def unknown_items(merchant, numbers: list[str], *, target) -> list[str]:
    """Which of the typed item numbers the books do not hold."""
    known = set()
    for start in range(0, len(numbers), 1000):
        known |= set(target.get_items(merchant, numbers[start:start + 1000]))
    return [number for number in numbers if number not in known]


def add_items(merchant, numbers: list[str] | None, *, target) -> AddResult:
    """Add the items (all unblocked items of the books when `numbers` is None) to the shop."""
    result = AddResult()
    wanted = numbers if numbers is not None else target.item_numbers(merchant)
    items = {}
    for start in range(0, len(wanted), 1000):
        items.update(target.get_items(merchant, wanted[start:start + 1000]))
    result.unknown = [n for n in wanted if n not in items]
    linked = set(ProductLink.objects.filter(merchant=merchant, item_no__in=list(items)).filter(
        Q(direction=Direction.TO_SHOPIFY) | ~Q(shopify_gid="")).values_list("item_no", flat=True))
    now = timezone.now()
    with transaction.atomic():
        for number in wanted:
            item = items.get(number)
            if item is None:
                continue
            if item.blocked:
                result.blocked.append(number)
            elif number in linked:
                result.already.append(number)
            else:
                result.added.append(number)
        ProductLink.objects.bulk_create(
            ProductLink(merchant=merchant, item_no=number, direction=Direction.TO_SHOPIFY,
                        title=items[number].description[:255], mapped_at=now) for number in result.added)
    # Taken out before and added again: back in the shop.
    ProductLink.objects.filter(merchant=merchant, item_no__in=result.already, direction=Direction.TO_SHOPIFY,
                               removed_at__isnull=False).update(removed_at=None, removed_status="", updated_at=now)
    return result


def take_out(links) -> int:
    """Take the items of the selected exported products out of the shop; the next Sync products
    applies the card's action for removed items."""
    return links.filter(direction=Direction.TO_SHOPIFY, removed_at__isnull=True).update(
        removed_at=timezone.now(), updated_at=timezone.now())


def map_by_hand(link: VariantLink, item_no: str, variant_code: str) -> None:
    now = timezone.now()
    link.item_no, link.variant_code = item_no, variant_code if item_no else ""
    link.mapped_by = MappedBy.BY_HAND if item_no else ""
    link.unmapped_reason = "" if item_no else "mapping removed by hand"
    link.mapped_at = now if item_no else None
    product = link.product
    if item_no and not product.item_no:
        product.item_no, product.mapped_at = item_no, now
        product.save(update_fields=["item_no", "mapped_at", "updated_at"])
