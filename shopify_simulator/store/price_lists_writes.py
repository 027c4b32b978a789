"""Fixed prices on a price list as Shopify writes them (priceListFixedPricesAdd, ...Update,
...Delete): every price checked first (a known variant, the price list's currency, no negative
amount), so a refused write changes nothing; a write that changes prices moves the list's `updated`.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from shopify_simulator.store.catalog import Catalog as ProductCatalog
from shopify_simulator.store.price_lists import FixedPrice, PriceList
from shopify_simulator.store.product_writes import Refusal, Refused

VARIANT_PREFIX = "gid://shopify/ProductVariant/"


def add_fixed_prices(catalog: ProductCatalog, price_list: PriceList, inputs: list[dict], *, now: datetime,
                     at: str = "prices") -> list[int]:
    """Set the fixed prices given (a variant's earlier fixed price is replaced); the variant IDs set."""
    planned, refusals = _planned_prices(catalog, price_list, inputs, at=at)
    if refusals:
        raise Refused(refusals)
    _apply(price_list, planned, [], now=now)
    return list(planned)


def delete_fixed_prices(catalog: ProductCatalog, price_list: PriceList, variant_ids: list[str], *, now: datetime,
                        at: str = "variantIds") -> list[int]:
    """Drop the fixed prices of the variants given (they fall back to the relative price)."""
    doomed, refusals = _planned_deletions(catalog, price_list, variant_ids, at=at)
    if refusals:
        raise Refused(refusals)
    _apply(price_list, {}, doomed, now=now)
    return doomed


def update_fixed_prices(catalog: ProductCatalog, price_list: PriceList, to_add: list[dict], to_delete: list[str],
                        *, now: datetime) -> tuple[list[int], list[int]]:
    """Both at once, or neither: (variant IDs set, variant IDs whose fixed price was dropped)."""
    planned, refusals = _planned_prices(catalog, price_list, to_add, at="pricesToAdd")
    doomed, more = _planned_deletions(catalog, price_list, to_delete, at="variantIdsToDelete",
                                      also_fixed=set(planned))
    if refusals or more:
        raise Refused(refusals + more)
    _apply(price_list, planned, doomed, now=now)
    return list(planned), doomed


def variant_number(gid: str | None) -> int | None:
    tail = (gid or "")[len(VARIANT_PREFIX):] if (gid or "").startswith(VARIANT_PREFIX) else ""
    return int(tail) if tail.isdigit() else None


def _planned_prices(catalog: ProductCatalog, price_list: PriceList, inputs: list[dict], *,
                    at: str) -> tuple[dict[int, FixedPrice], list[Refusal]]:
    planned: dict[int, FixedPrice] = {}
    refusals: list[Refusal] = []
    for index, entry in enumerate(inputs):
        path = [at, str(index)]
        number = variant_number(entry.get("variantId"))
        if number is None or catalog.variant(number) is None:
            refusals.append(Refusal([*path, "variantId"], f"Variant {entry.get('variantId')} does not exist.",
                                    "VARIANT_NOT_FOUND"))
            continue
        amounts = {}
        for name in ("price", "compareAtPrice"):
            money = entry.get(name)
            if money is None:
                amounts[name] = None
                continue
            if money.get("currencyCode") != price_list.currency:
                refusals.append(Refusal(
                    [*path, name, "currencyCode"],
                    f"The {_label(name)} is in {money.get('currencyCode')}, but the price list's currency is "
                    f"{price_list.currency}.", "PRICE_LIST_CURRENCY_MISMATCH"))
                continue
            amount = _amount(money.get("amount"))
            if amount is None:
                refusals.append(Refusal([*path, name, "amount"], f"The {_label(name)} is not a number.", "BLANK"))
            elif amount < 0:
                refusals.append(Refusal([*path, name, "amount"],
                                        f"The {_label(name)} must be greater than or equal to 0.", None))
            else:
                amounts[name] = amount
        if "price" in amounts and "compareAtPrice" in amounts:
            planned[number] = FixedPrice(price=amounts["price"], compare_at=amounts["compareAtPrice"])
    return planned, refusals


def _planned_deletions(catalog: ProductCatalog, price_list: PriceList, variant_ids: list[str], *, at: str,
                       also_fixed: set[int] = frozenset()) -> tuple[list[int], list[Refusal]]:
    doomed: list[int] = []
    refusals: list[Refusal] = []
    for index, gid in enumerate(variant_ids):
        number = variant_number(gid)
        if number is None or catalog.variant(number) is None:
            refusals.append(Refusal([at, str(index)], f"Variant {gid} does not exist.", "VARIANT_NOT_FOUND"))
        elif not price_list.is_fixed(number) and number not in also_fixed:
            refusals.append(Refusal([at, str(index)], f"Variant {gid} has no fixed price on this price list.",
                                    "PRICE_NOT_FIXED"))
        elif number not in doomed:
            doomed.append(number)
    return doomed, refusals


def _apply(price_list: PriceList, planned: dict[int, FixedPrice], doomed: list[int], *, now: datetime) -> None:
    changed = False
    for number, fixed in planned.items():
        changed = changed or price_list.fixed.get(number) != fixed
        price_list.fixed[number] = fixed
        price_list.dropped.discard(number)
    for number in doomed:
        changed = price_list.fixed.pop(number, None) is not None or changed
        if price_list.negotiated is not None and number not in price_list.dropped:
            price_list.dropped.add(number)
            changed = True
    if changed:
        price_list.updated = max(now, price_list.updated + timedelta(seconds=1))


def _amount(text) -> Decimal | None:
    try:
        amount = Decimal(str(text))
    except InvalidOperation:
        return None
    return amount.quantize(Decimal("0.01")) if amount.is_finite() else None


def _label(name: str) -> str:
    return "compare-at price" if name == "compareAtPrice" else "price"
