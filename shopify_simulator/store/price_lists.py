"""The shop's catalogs as Shopify holds them: company-location catalogs and market catalogs, each
with a publication (which products it offers) and a price list (in one currency: fixed prices for
some variants, every other variant at its price adjusted by a percentage). A catalog made through
the API may have neither yet; a publication or a price list may belong to no catalog.

Only what differs from the product catalog is kept: a price list holds its fixed prices, and every
other variant's price is worked out when read (`price_of`), so a price list over 100,000 variants
costs nothing until it is paged. A negotiated price list (the size option's, store.companies_generation)
fixes every variant's price by one rule instead of holding them, less those dropped since. Writes are
in store.price_lists_writes and store.catalog_writes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Iterator

from shopify_simulator.store.catalog import Catalog as ProductCatalog
from shopify_simulator.store.catalog import Variant
from shopify_simulator.store.money import cents

COMPANY_LOCATION, MARKET = "COMPANY_LOCATION", "MARKET"


@dataclass(slots=True)
class FixedPrice:
    price: Decimal
    compare_at: Decimal | None


@dataclass(slots=True)
class PriceList:
    id: int
    name: str
    currency: str
    adjustment_type: str              # PERCENTAGE_DECREASE or PERCENTAGE_INCREASE
    adjustment_value: Decimal         # a percentage, e.g. 10 for 10 %
    catalog_id: int | None
    created: datetime
    updated: datetime
    compare_at_mode: str = "ADJUSTED"     # or NULLIFY: relative prices carry no compare-at price
    fixed: dict[int, FixedPrice] = field(default_factory=dict)    # variant id -> its fixed price
    # Negotiated: every variant not in `fixed` nor `dropped` has a fixed price, its price converted,
    # adjusted and multiplied by this rate (its converted price is its compare-at price). None: no rule.
    negotiated: Decimal | None = None
    dropped: set[int] = field(default_factory=set)    # variants whose negotiated price was deleted

    @property
    def gid(self) -> str:
        return f"gid://shopify/PriceList/{self.id}"

    def is_fixed(self, variant_id: int) -> bool:
        return variant_id in self.fixed or (self.negotiated is not None and variant_id not in self.dropped)

    def fixed_count(self, catalog: ProductCatalog) -> int:
        """How many of the catalog's variants have a fixed price on this list."""
        if self.negotiated is None:
            return sum(1 for i in self.fixed if catalog.variant(i) is not None)
        return catalog.variant_count() - sum(1 for i in self.dropped
                                             if i not in self.fixed and catalog.variant(i) is not None)

    @property
    def factor(self) -> Decimal:
        share = self.adjustment_value / 100
        return 1 - share if self.adjustment_type == "PERCENTAGE_DECREASE" else 1 + share


@dataclass(slots=True)
class Publication:
    id: int
    catalog_id: int | None                 # None: a publication of no catalog (yet)
    product_ids: tuple[int, ...] | None    # None: every product (auto-publish)
    created: datetime
    # Products made later are added (autoPublish); None: as `product_ids` says (None: every product).
    auto_publish: bool | None = None
    newer_than: int = 0                    # with auto_publish: products whose ID is above this are offered
    _members: frozenset[int] = field(default=frozenset(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.auto_publish is None:
            self.auto_publish = self.product_ids is None
        self._members = frozenset(self.product_ids or ())

    @property
    def gid(self) -> str:
        return f"gid://shopify/Publication/{self.id}"

    def offers(self, product_id: int) -> bool:
        return (self.product_ids is None or product_id in self._members
                or (bool(self.auto_publish) and product_id > self.newer_than))


@dataclass(slots=True)
class Catalog:
    id: int
    kind: str                          # COMPANY_LOCATION or MARKET
    title: str
    status: str                        # ACTIVE, DRAFT or ARCHIVED
    price_list_id: int | None
    publication_id: int | None
    created: datetime
    updated: datetime
    location_ids: list[int] = field(default_factory=list)    # COMPANY_LOCATION: the company locations
    market_country: str | None = None                         # MARKET: the market's country code

    @property
    def gid(self) -> str:
        type_name = "CompanyLocationCatalog" if self.kind == COMPANY_LOCATION else "MarketCatalog"
        return f"gid://shopify/{type_name}/{self.id}"


class PriceBook:
    """Every catalog, publication and price list of one shop, by ID."""

    def __init__(self, *, first_id: int) -> None:
        self._catalogs: dict[int, Catalog] = {}
        self._price_lists: dict[int, PriceList] = {}
        self._publications: dict[int, Publication] = {}
        self._next_id = first_id

    # Reads
    def catalogs(self) -> Iterator[Catalog]:
        return iter(list(self._catalogs.values()))

    def price_lists(self) -> Iterator[PriceList]:
        return iter(list(self._price_lists.values()))

    def publications(self) -> Iterator[Publication]:
        return iter(list(self._publications.values()))

    def catalog(self, catalog_id: int) -> Catalog | None:
        return self._catalogs.get(catalog_id)

    def price_list(self, price_list_id: int | None) -> PriceList | None:
        return self._price_lists.get(price_list_id) if price_list_id is not None else None

    def publication(self, publication_id: int | None) -> Publication | None:
        return self._publications.get(publication_id) if publication_id is not None else None

    def catalogs_of_location(self, location_id: int) -> list[Catalog]:
        return [c for c in self._catalogs.values() if c.kind == COMPANY_LOCATION and location_id in c.location_ids]

    def catalogs_of_market(self, country_code: str) -> list[Catalog]:
        return [c for c in self._catalogs.values() if c.kind == MARKET and c.market_country == country_code]

    def is_name_taken(self, name: str) -> bool:
        return any(price_list.name == name for price_list in self._price_lists.values())

    # Writes (the caller holds the shop's lock)
    def new_id(self) -> int:
        value = self._next_id
        self._next_id += 1
        return value

    def add(self, catalog: Catalog, price_list: PriceList, publication: Publication) -> None:
        self._catalogs[catalog.id] = catalog
        self._price_lists[price_list.id] = price_list
        self._publications[publication.id] = publication

    def add_catalog(self, catalog: Catalog) -> None:
        self._catalogs[catalog.id] = catalog

    def add_price_list(self, price_list: PriceList) -> None:
        self._price_lists[price_list.id] = price_list

    def add_publication(self, publication: Publication) -> None:
        self._publications[publication.id] = publication


def price_of(price_list: PriceList, variant: Variant, rate: Decimal) -> tuple[Decimal, Decimal | None, str]:
    """(price, compare-at price, origin type) of `variant` on `price_list`: its fixed price where one
    is set (or the negotiated rule gives one), else its price converted at `rate` (price-list
    currency units per shop unit) and adjusted by the price list's percentage."""
    fixed = price_list.fixed.get(variant.id)
    if fixed is not None:
        return fixed.price, fixed.compare_at, "FIXED"
    if price_list.negotiated is not None and variant.id not in price_list.dropped:
        listed = cents((variant.compare_at_price or variant.price) * rate)
        return cents(variant.price * rate * price_list.factor * price_list.negotiated), listed, "FIXED"
    price = cents(variant.price * rate * price_list.factor)
    compare_at = None
    if variant.compare_at_price is not None and price_list.compare_at_mode == "ADJUSTED":
        compare_at = cents(variant.compare_at_price * rate * price_list.factor)
    return price, compare_at, "RELATIVE"
