"""What the product sync checks on the shop card: the item template it names exists in the books,
and a SKU mapping that splits the SKU has a separator to split it by."""
from __future__ import annotations

from connectors.ledger.target import target_for
from core.shop_card import ShopCardRule, register_rule
from merchants.models import SkuMapping


def unknown_template(merchant, cleaned: dict, changed: set[str]) -> dict[str, str]:
    number = (cleaned.get("item_template_no") or "").strip()
    if "item_template_no" not in changed or not number or merchant.pk is None:
        return {}
    if number in target_for(merchant).get_items(merchant, [number]):
        return {}
    return {"item_template_no": f"the ledger has no item {number} to be the item template"}


def separator_needed(merchant, cleaned: dict, changed: set[str]) -> dict[str, str]:
    if cleaned.get("sku_mapping") == SkuMapping.ITEM_NO_VARIANT_CODE and not cleaned.get("sku_field_separator"):
        return {"sku_field_separator": "the SKU mapping 'item no. + variant code' needs a separator between the two"}
    return {}


def register() -> None:
    register_rule(ShopCardRule("item_template_exists", frozenset({"item_template_no"}), check=unknown_template))
    register_rule(ShopCardRule("sku_separator_set", frozenset({"sku_mapping", "sku_field_separator"}),
                               check=separator_needed))
