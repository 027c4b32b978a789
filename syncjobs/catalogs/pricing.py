"""The prices a B2B catalog should have in Shopify, per variant, from the ledger (report 30116).

Which variants: those of the catalog's products (its publication's; every product when it has no
publication) that are linked to a ledger item (syncjobs.products). Where a catalog's prices come
from, decided once per catalog, first found wins:

1. the catalog's own price list (its link's price list);
2. the price list of the ledger customer of its company location(s): the customer it was created
   for, else the customers its company locations are linked to (syncjobs.companies); when those
   customers' price lists are not one and the same, the next rule decides;
3. the shop card's price list for catalog prices;
4. the items' unit prices.

A price list in another currency than the catalog's fails the catalog (CatalogNotPriceable). A
variant the price list has no price for takes its item's unit price, which is in the shop's
currency: only in a catalog in that currency; elsewhere the variant is left out, with why.

Work goes a batch of variants at a time, with a fixed number of queries per batch, so memory and
the size of each lookup stay bounded however large the shop.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from connectors.ledger.records import PriceListData
from connectors.ledger.target import AccountingTarget
from connectors.shopify.models import ShopifyCatalog
from core.local_time import zone_named
from core.sentences import joined
from syncjobs.catalogs.errors import CatalogNotPriceable
from syncjobs.catalogs.models import CatalogLink
from syncjobs.companies.selectors import customers_of_locations
from syncjobs.products.models import VariantLink

VARIANTS_PER_BATCH = 2_000


@dataclass(frozen=True)
class PriceSource:
    """Where a catalog's prices come from: a ledger price list, or (None) the items' unit prices."""

    price_list: PriceListData | None
    origin: str              # why this one, e.g. "the price list of customer C00010"
    note: str = ""           # what a person should know about the choice (customers that disagree)

    def describe(self) -> str:
        if self.price_list is None:
            return "the items' unit prices"
        return f"price list {self.price_list.code} ({self.origin})"


@dataclass
class PricedBatch:
    """The prices of a batch of the catalog's variants, and those left out with why."""

    prices: dict[str, Decimal] = field(default_factory=dict)                # variant GID -> price
    skipped: list[tuple[str, str, str]] = field(default_factory=list)       # (variant GID, SKU or GID, why)
    unit_priced: int = 0      # of `prices`, at their item's unit price though the source is a price list


def today_in_shop(merchant) -> date:
    return timezone.now().astimezone(zone_named(merchant.time_zone)).date()


def price_list_problem(merchant, *, catalog: ShopifyCatalog, code: str, target: AccountingTarget) -> str | None:
    """Why price list `code` cannot price `catalog` (it is not in the ledger, or in another currency),
    or None. The Catalogs page's form and the price sync ask the same."""
    found = target.get_price_lists(merchant, [code]).get(code)
    if found is None:
        return f"the ledger has no price list {code}"
    return _currency_problem(found, catalog)


def price_source(merchant, *, link: CatalogLink, catalog: ShopifyCatalog, target: AccountingTarget) -> PriceSource:
    """Where `catalog`'s prices come from (the module's rules); CatalogNotPriceable when the price list
    chosen is not in the ledger or not in the catalog's currency."""
    code, origin, note = link.price_list_code, "the catalog's own", ""
    if not code:
        code, origin, note = _customers_price_list(merchant, link, catalog, target)
    if not code and merchant.catalog_price_list_code:
        code, origin = merchant.catalog_price_list_code, "the shop card's price list for catalog prices"
    if not code:
        return PriceSource(None, "", note)
    found = target.get_price_lists(merchant, [code]).get(code)
    if found is None:
        raise CatalogNotPriceable(f"price list {code} ({origin}) is not in the ledger; create it there, or choose "
                                  "another price list for the catalog on its page (Catalogs)")
    problem = _currency_problem(found, catalog)
    if problem:
        raise CatalogNotPriceable(f"{problem} ({origin}); choose a price list in {catalog.currency} for the "
                                  "catalog on its page (Catalogs)")
    return PriceSource(found, origin, note)


def priced_batches(merchant, *, catalog: ShopifyCatalog, source: PriceSource, target: AccountingTarget,
                   on: date, unit_prices: dict[str, Decimal | None] | None = None) -> Iterator[PricedBatch]:
    """The prices the catalog's variants should have on day `on`, a batch at a time: each batch reads
    its variant links (one query), the items not in `unit_prices` yet (one call) and, for a price
    list, their prices (one call). `unit_prices` (item no. -> unit price, None: no such item) is
    shared by a run's catalogs, which mostly offer the same items: each is read once a run."""
    unit_prices = {} if unit_prices is None else unit_prices
    unit_prices_usable = catalog.currency.upper() == merchant.shop_currency.upper()
    for variants in _catalog_variants(merchant, catalog):
        unread = {item_no for _, _, item_no, _ in variants} - unit_prices.keys()
        if unread:
            found = target.get_items(merchant, unread)
            unit_prices.update({no: found[no].unit_price if no in found else None for no in unread})
        listed: dict[tuple[str, str], Decimal] = {}
        if source.price_list is not None:
            listed = target.price_list_prices(merchant, source.price_list.code,
                                              {(item_no, code) for _, _, item_no, code in variants}, on=on)
        batch = PricedBatch()
        for gid, name, item_no, variant_code in variants:
            unit_price = unit_prices[item_no]
            price = listed.get((item_no, variant_code))
            if unit_price is None:
                batch.skipped.append((gid, name, f"the ledger has no item {item_no}"))
            elif price is not None:
                batch.prices[gid] = price
            elif unit_prices_usable:
                batch.prices[gid] = unit_price
                batch.unit_priced += source.price_list is not None
            else:
                batch.skipped.append((gid, name, _no_price_why(merchant, catalog, source)))
        yield batch


def _catalog_variants(merchant, catalog: ShopifyCatalog) -> Iterator[list[tuple[str, str, str, str]]]:
    """(variant GID, SKU or GID, item no., variant code) of the catalog's variants linked to an item,
    a keyset batch of links at a time (one query each); the catalog's products are matched in
    memory, so no lookup grows with the size of its publication."""
    products = None if catalog.product_gids is None else set(catalog.product_gids)
    links = VariantLink.objects.filter(merchant=merchant).exclude(item_no="").order_by("pk")
    after = 0
    while True:
        rows = list(links.filter(pk__gt=after).values_list(
            "pk", "shopify_gid", "sku", "item_no", "variant_code", "product__shopify_gid")[:VARIANTS_PER_BATCH])
        if not rows:
            return
        after = rows[-1][0]
        chosen = [(gid, sku or gid, item_no, code) for _, gid, sku, item_no, code, product in rows
                  if products is None or product in products]
        if chosen:
            yield chosen


def _customers_price_list(merchant, link: CatalogLink, catalog: ShopifyCatalog,
                          target: AccountingTarget) -> tuple[str, str, str]:
    """(code, origin, note) of the price list the catalog's company customers share ("" when none)."""
    if link.customer_no:
        numbers = {link.customer_no}
    elif catalog.company_location_gids:
        numbers = set(customers_of_locations(merchant, catalog.company_location_gids).values())
    else:
        return "", "", ""
    numbers.discard("")
    if not numbers:
        return "", "", ""
    customers = target.get_customers(merchant, numbers)
    codes = {customers[number].price_list_code for number in numbers if number in customers}
    ordered = sorted(numbers)
    whose = f"customer {ordered[0]}" if len(ordered) == 1 else f"customers {joined(ordered)}"
    if len(codes) == 1 and (code := codes.pop()):
        return code, f"the price list of {whose}", ""
    if len(codes) > 1:
        return "", "", (f"{whose} of its company locations have different price lists, so the shop card's is used; "
                         "give the catalog its own price list to choose one")
    return "", "", ""


def _currency_problem(price_list: PriceListData, catalog: ShopifyCatalog) -> str | None:
    if price_list.currency.upper() == catalog.currency.upper():
        return None
    return (f"price list {price_list.code} is in {price_list.currency}, but the catalog's prices are in "
            f"{catalog.currency or 'no currency (it has no price list in Shopify)'}")


def _no_price_why(merchant, catalog: ShopifyCatalog, source: PriceSource) -> str:
    listed = f"price list {source.price_list.code} has no price for it, and " if source.price_list else ""
    return (f"{listed}its item's unit price is in the shop's currency, {merchant.shop_currency}, not in the "
            f"catalog's, {catalog.currency}")
