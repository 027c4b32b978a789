"""Business Central's product mapping (report 30108): which item, and item variant, each Shopify
variant is, by the shop card's SKU mapping with the barcode as fallback; unknown products become
items when the card allows it. One batch of products at a time, a fixed number of calls to the
accounting target per batch, plain values in and out."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from connectors.ledger.records import BarcodeData, ItemData, VariantData
from merchants.models import SkuMapping
from syncjobs.products.models import MappedBy

ITEM_NO_MAX, VARIANT_CODE_MAX = 20, 10     # the ledger's lengths
RULE_WORDS = {
    SkuMapping.SKU: "item no.", SkuMapping.VARIANT_CODE: "variant code",
    SkuMapping.ITEM_NO_VARIANT_CODE: "item no. + variant code", SkuMapping.VENDOR_ITEM_NO: "vendor item no.",
    SkuMapping.BARCODE: "barcode",
}


@dataclass(frozen=True)
class VariantFacts:
    """What mapping reads of a Shopify variant."""
    gid: str
    title: str
    sku: str
    barcode: str = ""
    price: Decimal = Decimal("0.00")
    unit_cost: Decimal | None = None
    tracked: bool = True


@dataclass(frozen=True)
class ProductFacts:
    gid: str
    title: str
    variants: tuple[VariantFacts, ...]
    item_no: str = ""          # the item the product is already linked to (the rule "variant code" needs it)


@dataclass(frozen=True)
class VariantMapping:
    item_no: str = ""
    variant_code: str = ""
    mapped_by: str = ""
    reason: str = ""            # why unmapped


@dataclass
class MappingOutcome:
    variants: dict[str, VariantMapping] = field(default_factory=dict)    # by variant gid
    created_items: list[str] = field(default_factory=list)


def split_sku(sku: str, separator: str) -> tuple[str, str]:
    """(item no., variant code) of an "item no. + variant code" SKU; no separator: all item no."""
    if separator and separator in sku:
        item_no, variant_code = sku.split(separator, 1)
        return item_no.strip(), variant_code.strip()
    return sku.strip(), ""


def sku_of(merchant, item: ItemData, variant_code: str) -> str:
    """The SKU an exported variant gets, so that the same rule finds its item again."""
    rule = merchant.sku_mapping
    if rule == SkuMapping.VARIANT_CODE:
        return variant_code or item.number
    if rule == SkuMapping.ITEM_NO_VARIANT_CODE:
        return f"{item.number}{merchant.sku_field_separator}{variant_code}" if variant_code else item.number
    if rule == SkuMapping.VENDOR_ITEM_NO:
        return item.vendor_item_no
    if rule == SkuMapping.BARCODE:
        return next((b.barcode for b in item.barcodes if b.variant_code == variant_code), "")
    return item.number


def map_products(merchant, products: list[ProductFacts], *, target, auto_create: bool) -> MappingOutcome:
    """Map every variant of `products`; create the items of what is unknown when `auto_create`."""
    rule, separator = merchant.sku_mapping, merchant.sku_field_separator
    skus = {v.sku.strip() for p in products for v in p.variants if v.sku.strip()}
    barcodes = {v.barcode.strip() for p in products for v in p.variants if v.barcode.strip()}
    numbers = {p.item_no for p in products if p.item_no}
    if rule == SkuMapping.SKU:
        numbers |= skus
    elif rule == SkuMapping.ITEM_NO_VARIANT_CODE:
        numbers |= {split_sku(sku, separator)[0] for sku in skus}
    items = target.get_items(merchant, numbers) if numbers else {}
    found = target.find_items(
        merchant, barcodes=barcodes | (skus if rule == SkuMapping.BARCODE else set()),
        vendor_item_nos=skus if rule == SkuMapping.VENDOR_ITEM_NO else ()) if barcodes or skus else {}
    lookup = _Lookup(items, found)
    outcome = MappingOutcome()
    unknown: list[ProductFacts] = []
    for product in products:
        mappings = {v.gid: _map_variant(merchant, product, v, lookup) for v in product.variants}
        outcome.variants.update(mappings)
        if any(not m.item_no for m in mappings.values()):
            unknown.append(product)
    if auto_create and unknown:
        _create_items(merchant, unknown, outcome, target=target, lookup=lookup)
    return outcome


class _Lookup:
    def __init__(self, items: dict[str, ItemData], found: dict[str, ItemData]) -> None:
        self.items = {**found, **items}
        self.by_barcode = {b.barcode: (item, b.variant_code) for item in self.items.values() for b in item.barcodes}
        self.by_vendor_no: dict[str, list[ItemData]] = {}
        for item in self.items.values():
            if item.vendor_item_no:
                self.by_vendor_no.setdefault(item.vendor_item_no, []).append(item)


def _map_variant(merchant, product: ProductFacts, variant: VariantFacts, lookup: _Lookup) -> VariantMapping:
    rule, sku, barcode = merchant.sku_mapping, variant.sku.strip(), variant.barcode.strip()
    tried = []
    if sku:
        mapping, why = _by_rule(merchant, rule, sku, product, lookup)
        if mapping:
            return mapping
        tried.append(why)
    else:
        tried.append("the variant has no SKU")
    if merchant.find_mapping_by_barcode and barcode and rule != SkuMapping.BARCODE:
        if barcode in lookup.by_barcode:
            item, variant_code = lookup.by_barcode[barcode]
            return VariantMapping(item.number, variant_code, MappedBy.BARCODE)
        tried.append(f"no item has barcode {barcode}")
    return VariantMapping(reason="; ".join(tried) + "; create the item, map the variant by hand, or turn on "
                                                      "Auto-create unknown items")


def _by_rule(merchant, rule: str, sku: str, product: ProductFacts,
             lookup: _Lookup) -> tuple[VariantMapping | None, str]:
    words = f"(SKU mapping: {RULE_WORDS[rule]})"
    if rule == SkuMapping.SKU:
        if sku in lookup.items:
            return VariantMapping(sku, "", MappedBy.ITEM_NO), ""
        return None, f"no item has item no. {sku} {words}"
    if rule == SkuMapping.ITEM_NO_VARIANT_CODE:
        item_no, variant_code = split_sku(sku, merchant.sku_field_separator)
        item = lookup.items.get(item_no)
        if item is None:
            return None, f"no item has item no. {item_no} {words}"
        if variant_code and variant_code not in {v.code for v in item.variants}:
            return None, f"item {item_no} has no variant {variant_code} {words}"
        return VariantMapping(item_no, variant_code, MappedBy.ITEM_NO_VARIANT_CODE), ""
    if rule == SkuMapping.VARIANT_CODE:
        item = lookup.items.get(product.item_no)
        if item is None:
            return None, f"the product is not mapped to an item, in which variant {sku} would be found {words}"
        if sku not in {v.code for v in item.variants}:
            return None, f"item {item.number} has no variant {sku} {words}"
        return VariantMapping(item.number, sku, MappedBy.VARIANT_CODE), ""
    if rule == SkuMapping.VENDOR_ITEM_NO:
        candidates = lookup.by_vendor_no.get(sku, [])
        if len(candidates) == 1:
            return VariantMapping(candidates[0].number, "", MappedBy.VENDOR_ITEM_NO), ""
        if candidates:
            numbers = ", ".join(sorted(item.number for item in candidates))
            return None, f"items {numbers} all have vendor item no. {sku} {words}"
        return None, f"no item has vendor item no. {sku} {words}"
    if sku in lookup.by_barcode:
        item, variant_code = lookup.by_barcode[sku]
        return VariantMapping(item.number, variant_code, MappedBy.BARCODE), ""
    return None, f"no item has barcode {sku} {words}"


def _create_items(merchant, products: list[ProductFacts], outcome: MappingOutcome, *, target,
                  lookup: _Lookup) -> None:
    """Items for the unknown products, shaped so the card's rule finds them again next time: an item
    per product with a variant per Shopify variant, numbered from the series, except where the rule
    puts the item no. in the SKU (an item per SKU, numbered by it)."""
    template = target.get_items(merchant, [merchant.item_template_no]).get(merchant.item_template_no) \
        if merchant.item_template_no else None
    drafts: list[ItemData] = []
    owners: list[list[tuple[str, str]]] = []     # per draft: (variant gid, variant code)
    drafted: dict[str, int] = {}                 # item no. -> its draft's index
    taken_barcodes = set(lookup.by_barcode)
    for product in products:
        unmapped = [v for v in product.variants if not outcome.variants[v.gid].item_no]
        for number, variants, codes in _item_shapes(merchant, product, unmapped, outcome):
            barcodes = []
            for variant, code in zip(variants, codes, strict=True):
                # Under the rule "barcode" the SKU is the first barcode: the one an export sends back as SKU.
                own = [variant.sku.strip() if merchant.sku_mapping == SkuMapping.BARCODE else "",
                       variant.barcode.strip()]
                for barcode in dict.fromkeys(b for b in own if b):
                    if barcode not in taken_barcodes:
                        taken_barcodes.add(barcode)
                        barcodes.append(BarcodeData(barcode, code))
            first = variants[0]
            draft = ItemData(
                number=number, description=(product.title if len(variants) > 1 or first.title in ("", "Default Title")
                                            else f"{product.title} {first.title}")[:100],
                type=template.type if template else ("inventory" if first.tracked else "service"),
                base_unit=template.base_unit if template else "PCS",
                unit_price=first.price, unit_cost=first.unit_cost or Decimal("0.00"),
                vendor_item_no=first.sku.strip()[:50] if merchant.sku_mapping == SkuMapping.VENDOR_ITEM_NO else "",
                variants=tuple(VariantData(code, v.title[:100]) for v, code in zip(variants, codes, strict=True)
                               if code),
                barcodes=tuple(barcodes))
            owned = [(v.gid, code) for v, code in zip(variants, codes, strict=True)]
            index = drafted.get(number) if number else None
            if index is None:   # the first of its number in the batch
                drafted[number] = len(drafts)
                drafts.append(draft)
                owners.append(owned)
                continue
            # Two Shopify variants (of one product or two) name the same item no.: one item for both.
            held = drafts[index]
            codes_held = {v.code for v in held.variants}
            drafts[index] = replace(held, variants=held.variants + tuple(v for v in draft.variants
                                                                         if v.code not in codes_held),
                                    barcodes=held.barcodes + draft.barcodes)
            owners[index] += owned
    if not drafts:
        return
    created = target.create_items(merchant, drafts)
    for item, owned in zip(created, owners, strict=True):
        outcome.created_items.append(item.number)
        for gid, code in owned:
            outcome.variants[gid] = VariantMapping(item.number, code, MappedBy.CREATED)


def _item_shapes(merchant, product: ProductFacts, variants: list[VariantFacts], outcome: MappingOutcome):
    """(item no. or "" for the series, its Shopify variants, their variant codes) of the items to create."""
    rule = merchant.sku_mapping
    if rule == SkuMapping.SKU:
        for variant in variants:
            sku = variant.sku.strip()
            if len(sku) > ITEM_NO_MAX:
                _refuse(outcome, [variant], f"its SKU {sku} is longer than an item no. ({ITEM_NO_MAX}), so no item "
                                            "can be created for it")
                continue
            yield sku, [variant], [""]
        return
    if rule == SkuMapping.ITEM_NO_VARIANT_CODE:
        groups: dict[str, list[tuple[VariantFacts, str]]] = {}
        for variant in variants:
            item_no, code = split_sku(variant.sku, merchant.sku_field_separator)
            if len(item_no) > ITEM_NO_MAX or len(code) > VARIANT_CODE_MAX:
                _refuse(outcome, [variant], f"its SKU {variant.sku} does not split into an item no. of at most "
                                            f"{ITEM_NO_MAX} and a variant code of at most {VARIANT_CODE_MAX} "
                                            "characters")
                continue
            groups.setdefault(item_no, []).append((variant, code))
        for item_no, members in groups.items():
            yield item_no, [v for v, _ in members], [code for _, code in members]
        return
    if rule == SkuMapping.VENDOR_ITEM_NO:
        for variant in variants:
            yield "", [variant], [""]
        return
    if len(variants) == 1 and len(product.variants) == 1:
        yield "", variants, [""]
        return
    if rule == SkuMapping.VARIANT_CODE:
        too_long = [v for v in variants if not v.sku.strip() or len(v.sku.strip()) > VARIANT_CODE_MAX]
        if too_long:
            _refuse(outcome, too_long, f"a variant code is its SKU, which must be 1 to {VARIANT_CODE_MAX} characters")
        variants = [v for v in variants if v not in too_long]
        if variants:
            yield "", variants, [v.sku.strip() for v in variants]
        return
    yield "", variants, [f"{n:03d}" for n in range(1, len(variants) + 1)]


def _refuse(outcome: MappingOutcome, variants: list[VariantFacts], why: str) -> None:
    for variant in variants:
        outcome.variants[variant.gid] = VariantMapping(reason=why)
