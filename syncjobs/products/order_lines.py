"""Which item each line of an imported order sells: through the variant links Sync products made
(by the line's SKU), else by the same SKU mapping code as report 30108 (never creating items: an
order does not add to the catalog). What a sales document of the order will carry, or why it
cannot yet (registered with core.record_links for the order's page)."""
from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from connectors.ledger.target import target_for
from connectors.shopify.models import ShopifyOrderLine
from core.record_links import Link
from syncjobs.products.mapping import ProductFacts, VariantFacts, map_products
from syncjobs.products.models import VariantLink


@dataclass(frozen=True)
class LineItem:
    item_no: str = ""
    variant_code: str = ""
    reason: str = ""      # why the line has no item


def items_of_lines(merchant, lines: list[ShopifyOrderLine], *, target) -> dict[int, LineItem]:
    """The item of each line (by its key), in three queries and one mapping call whatever the count."""
    found: dict[int, LineItem] = {}
    skus = {line.sku.strip() for line in lines if line.sku.strip()}
    linked: dict[str, set[tuple[str, str]]] = {}
    for sku, item_no, code in (VariantLink.objects.filter(merchant=merchant, sku__in=skus).exclude(item_no="")
                               .values_list("sku", "item_no", "variant_code")):
        linked.setdefault(sku, set()).add((item_no, code))
    unknown = []
    for line in lines:
        sku = line.sku.strip()
        if line.is_gift_card:
            found[line.pk] = LineItem(reason="a gift card: no item needed, it goes to the gift card account")
        elif sku in linked and len(linked[sku]) == 1:
            found[line.pk] = LineItem(*next(iter(linked[sku])))
        elif sku in linked:
            items = ", ".join(sorted(f"{n} {c}".strip() for n, c in linked[sku]))
            found[line.pk] = LineItem(reason=f"Shopify variants with SKU {sku} are mapped to different items ({items})")
        else:
            unknown.append(line)
    if unknown:
        facts = [ProductFacts(gid=f"line:{line.pk}", title=line.name, variants=(
            VariantFacts(gid=str(line.pk), title="", sku=line.sku),)) for line in unknown]
        outcome = map_products(merchant, facts, target=target, auto_create=False)
        for line in unknown:
            mapping = outcome.variants[str(line.pk)]
            found[line.pk] = LineItem(mapping.item_no, mapping.variant_code, mapping.reason)
    return found


def items_of_order_links(order) -> list[Link]:
    lines = list(ShopifyOrderLine.objects.filter(order=order).order_by("position"))
    if not lines:
        return []
    items = items_of_lines(order.merchant, lines, target=target_for(order.merchant))
    variants = reverse("admin:product_sync_variantlink_changelist")
    # One entry per thing a line sells (an order may sell one SKU on many lines), in line order.
    shown: dict[tuple, list] = {}
    for line in lines:
        found = items[line.pk]
        if found.item_no:
            key = (f"{line.name}: item {found.item_no} {found.variant_code}".rstrip(), f"{variants}?q={line.sku}")
        elif line.is_gift_card:
            key = (f"{line.name}: {found.reason}", f"{variants}?q={line.sku}" if line.sku else variants)
        else:
            key = (f"{line.name}: no item ({found.reason})",
                   f"{variants}?q={line.sku}" if line.sku else f"{variants}?unmapped=yes")
        shown.setdefault(key, []).append(line)
    return [Link(text if len(same) == 1 else f"{text} – {len(same)} lines", url) for (text, url), same in shown.items()]
