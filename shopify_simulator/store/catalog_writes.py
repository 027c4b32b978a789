"""Catalogs, price lists and publications made through the API as Shopify makes them (catalogCreate,
priceListCreate, publicationCreate): every input checked first, so a refused write changes nothing.

What a connector does to give a company location its own catalog, in any order: a catalog for the
location (catalogCreate, its context a list of company locations; a market context is not part of
the 2025-01 schema), a price list in the location's currency (priceListCreate, attached through
`catalogId` or the catalog's `priceListId`) and a publication (publicationCreate, through
`catalogId` or the catalog's `publicationId`). A catalog holds at most one price list and one
publication; a price list or a publication belongs to at most one catalog. userErrors, their fields,
messages and codes are those Shopify answers (live Admin API captures where there are some).

A new record's `created` and `updated` are the write's moment; attaching a price list or a
publication to a catalog moves the catalog's `updated` (and the price list's). Company locations and
companies are not touched: a catalog is a record of its own, listed by `catalogs` and by the
location's `catalogs`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from shopify_simulator.store.catalog import Catalog as ProductCatalog
from shopify_simulator.store.companies import CompanyBook
from shopify_simulator.store.gids import gid_number
from shopify_simulator.store.price_lists import COMPANY_LOCATION, Catalog, PriceBook, PriceList, Publication
from shopify_simulator.store.product_writes import Refusal, Refused
from shopify_simulator.store.profiles import ShopProfile

TITLE_MAX = NAME_MAX = 255
CATALOG_TYPES = ("CompanyLocationCatalog", "MarketCatalog")
LOCATION_NOT_FOUND = "A company location within the catalog does not exist."
ADJUSTMENT_INVALID = ("The adjustment value must be a positive value and not be greater than 100% for "
                      "PERCENTAGE_DECREASE and not be greater than 1000% for PERCENTAGE_INCREASE.")
ADJUSTMENT_MAX = {"PERCENTAGE_DECREASE": Decimal(100), "PERCENTAGE_INCREASE": Decimal(1000)}


def catalog_by_gid(book: PriceBook, gid: str | None) -> Catalog | None:
    """The catalog a GID names: its own type (CompanyLocationCatalog, MarketCatalog) or `Catalog`."""
    for type_name in (*CATALOG_TYPES, "Catalog"):
        number = gid_number(gid, type_name)
        if number is not None:
            found = book.catalog(number)
            return found if found is not None and (type_name == "Catalog" or found.gid == gid) else None
    return None


def is_catalog_gid(gid: str | None) -> bool:
    """Whether a GID is of a catalog type at all (another type is not an ID Shopify looks up)."""
    return any(gid_number(gid, type_name) is not None for type_name in (*CATALOG_TYPES, "Catalog"))


# Catalogs
def create_catalog(book: PriceBook, companies: CompanyBook, given: dict, *, now: datetime) -> Catalog:
    """A company-location catalog for the locations of `context.companyLocationIds`, with the price
    list and publication given (each one no other catalog holds)."""
    refusals: list[Refusal] = []
    title = (given.get("title") or "").strip()
    if not title:
        refusals.append(Refusal(["input", "title"], "Title can't be blank", "BLANK"))
    elif len(title) > TITLE_MAX:
        refusals.append(Refusal(["input", "title"], f"Title is too long (maximum is {TITLE_MAX} characters)",
                                "TOO_LONG"))
    location_ids = _context_locations(companies, given.get("context") or {}, refusals)
    price_list = publication = None
    if given.get("priceListId") is not None:
        price_list = book.price_list(gid_number(given["priceListId"], "PriceList"))
        if price_list is None:
            refusals.append(Refusal(["input", "priceListId"], "Price list not found.", "PRICE_LIST_NOT_FOUND"))
        elif price_list.catalog_id is not None:
            refusals.append(Refusal(["input", "priceListId"], "Price list has already been taken", "TAKEN"))
    if given.get("publicationId") is not None:
        publication = book.publication(gid_number(given["publicationId"], "Publication"))
        if publication is None:
            refusals.append(Refusal(["input", "publicationId"], "Publication not found.", "PUBLICATION_NOT_FOUND"))
        elif publication.catalog_id is not None:
            refusals.append(Refusal(["input", "publicationId"], "Publication has already been taken", "TAKEN"))
    if refusals:
        raise Refused(refusals)
    catalog = Catalog(id=book.new_id(), kind=COMPANY_LOCATION, title=title, status=given["status"],
                      price_list_id=None, publication_id=None, created=now, updated=now, location_ids=location_ids)
    book.add_catalog(catalog)
    if price_list is not None:
        _attach_price_list(catalog, price_list, now=now)
    if publication is not None:
        _attach_publication(book, catalog, publication, now=now)
    catalog.updated = now
    return catalog


def _context_locations(companies: CompanyBook, context: dict, refusals: list[Refusal]) -> list[int]:
    given = context.get("companyLocationIds")
    if given is None:
        refusals.append(Refusal(["input", "context"], "Must provide exactly one context type.",
                                "MUST_PROVIDE_EXACTLY_ONE_CONTEXT_TYPE"))
        return []
    if not given:
        refusals.append(Refusal(["input", "context", "companyLocationIds"], "Company location ids can't be blank",
                                "INVALID"))
        return []
    found: list[int] = []
    for index, gid in enumerate(given):
        number = gid_number(gid, "CompanyLocation")
        if number is None or companies.location(number) is None:
            refusals.append(Refusal(["input", "context", "companyLocationIds", str(index)], LOCATION_NOT_FOUND,
                                    "COMPANY_LOCATION_NOT_FOUND"))
        elif number not in found:
            found.append(number)
    return found


# Price lists
@dataclass(frozen=True)
class _Adjustment:
    kind: str
    value: Decimal
    compare_at_mode: str


def create_price_list(book: PriceBook, profile: ShopProfile, given: dict, *, now: datetime) -> PriceList:
    """A price list in one of the shop's currencies with a percentage adjustment, attached to the
    catalog `catalogId` names when given (a catalog holding none yet). The caller has refused a
    `catalogId` of another type than a catalog's."""
    refusals: list[Refusal] = []
    catalog = None
    if given.get("catalogId") is not None:
        catalog = catalog_by_gid(book, given["catalogId"])
        if catalog is None:
            refusals.append(Refusal(["input", "catalogId"], "Catalog does not exist.", "CATALOG_DOES_NOT_EXIST"))
        elif catalog.price_list_id is not None:
            refusals.append(Refusal(["input", "catalogId"], "Catalog has a price list already assigned.",
                                    "CATALOG_TAKEN"))
    name = (given.get("name") or "").strip()
    if not name:
        refusals.append(Refusal(["input", "name"], "Name can't be blank", "BLANK"))
    elif len(name) > NAME_MAX:
        refusals.append(Refusal(["input", "name"], f"Name is too long (maximum is {NAME_MAX} characters)",
                                "TOO_LONG"))
    elif book.is_name_taken(name):
        refusals.append(Refusal(["input", "name"], "Name has already been taken", "TAKEN"))
    currency = given.get("currency")
    if currency not in supported_currencies(profile):
        refusals.append(Refusal(["input", "currency"],
                                "The price list currency is not supported by the shop's payment gateway.",
                                "CURRENCY_NOT_SUPPORTED"))
    adjustment = _adjustment(given.get("parent") or {}, refusals)
    if refusals:
        raise Refused(refusals)
    price_list = PriceList(id=book.new_id(), name=name, currency=currency, adjustment_type=adjustment.kind,
                           adjustment_value=adjustment.value, catalog_id=None, created=now, updated=now,
                           compare_at_mode=adjustment.compare_at_mode)
    book.add_price_list(price_list)
    if catalog is not None:
        _attach_price_list(catalog, price_list, now=now)
    price_list.updated = now
    return price_list


def supported_currencies(profile: ShopProfile) -> set[str]:
    """What the shop's payments take: its own currency and those it presents prices in."""
    return {profile.currency, *(code for code, _ in profile.fx_rates)}


def _adjustment(parent: dict, refusals: list[Refusal]) -> _Adjustment:
    given = parent.get("adjustment") or {}
    kind = given.get("type") or "PERCENTAGE_DECREASE"
    try:
        value = Decimal(str(given.get("value")))
    except ArithmeticError:
        value = Decimal(-1)
    if not value.is_finite() or value < 0 or value > ADJUSTMENT_MAX.get(kind, Decimal(0)):
        refusals.append(Refusal(["input", "parent", "adjustment", "value"], ADJUSTMENT_INVALID,
                                "INVALID_ADJUSTMENT_VALUE"))
    if value.is_finite() and value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    mode = (parent.get("settings") or {}).get("compareAtMode") or "ADJUSTED"
    return _Adjustment(kind, value, mode)


# Publications
def create_publication(book: PriceBook, products: ProductCatalog, given: dict, *, now: datetime) -> Publication:
    """A publication, empty or holding every product of the shop (`defaultState`), adding products
    made later when `autoPublish`; the publication of the catalog `catalogId` names when given (a
    catalog's earlier publication is let go: it belongs to no catalog any more)."""
    catalog = None
    if given.get("catalogId") is not None:
        catalog = catalog_by_gid(book, given["catalogId"])
        if catalog is None:
            raise Refused([Refusal(["input", "catalogId"], f"A catalog was not found for id= {given['catalogId']}.",
                                   "CATALOG_NOT_FOUND")])
    auto_publish = bool(given.get("autoPublish"))
    everything = (given.get("defaultState") or "EMPTY") == "ALL_PRODUCTS"
    existing = [product.id for product in products.products()]
    product_ids = None if everything and auto_publish else tuple(existing) if everything else ()
    publication = Publication(id=book.new_id(), catalog_id=None, product_ids=product_ids, created=now,
                              auto_publish=auto_publish, newer_than=max(existing, default=0))
    book.add_publication(publication)
    if catalog is not None:
        _attach_publication(book, catalog, publication, now=now)
    return publication


# Links
def _attach_price_list(catalog: Catalog, price_list: PriceList, *, now: datetime) -> None:
    catalog.price_list_id, price_list.catalog_id = price_list.id, catalog.id
    _touch(catalog, now)
    _touch(price_list, now)


def _attach_publication(book: PriceBook, catalog: Catalog, publication: Publication, *, now: datetime) -> None:
    earlier = book.publication(catalog.publication_id)
    if earlier is not None and earlier is not publication:
        earlier.catalog_id = None
    catalog.publication_id, publication.catalog_id = publication.id, catalog.id
    _touch(catalog, now)


def _touch(record, now: datetime) -> None:
    record.updated = max(now, record.updated + timedelta(seconds=1))
