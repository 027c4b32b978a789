"""The generated B2B side of a shop with the B2B option, deterministic from the seed.

6 to 12 companies, each with 1 to 3 locations in the shop's country (billing and shipping addresses,
a tax registration ID, payment terms) and 1 to 3 contacts drawn from the shop's customer pool, the
first its main contact. When the shop presents prices in a currency of a country we know, the last
company is an importer there, buying in that currency. Catalogs: two shared wholesale tiers, a
contract catalog for some companies, an export catalog for the importer, and one market catalog;
each with a publication and a price list holding a percentage adjustment and a few fixed prices
for real variants of the shop's catalog.

Everything comes from the shop's own "b2b" random stream, so it never changes orders or the catalog.

The size option (`extra_catalogs`, the CLI's --b2b-catalogs) adds that many company-location catalogs,
each for a company location of its own: companies made for them (1 to 3 locations each, every fourth
company an importer abroad when the shop sells abroad; no contacts, so no order changes hands), each
catalog with a publication of every product and a negotiated price list in its location's currency
fixing every variant's price (store.price_lists: a rule, not 100,000 stored prices). They come after
everything above, from streams of their own, so the shop's other B2B records are the same with or
without them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from shopify_simulator.store.catalog import Catalog as ProductCatalog
from shopify_simulator.store.companies import (
    LOCATION_ADMIN,
    ORDERING_ONLY,
    Company,
    CompanyAddress,
    CompanyBook,
    CompanyContact,
    CompanyLocation,
    b2b_id_base,
)
from shopify_simulator.store.money import cents
from shopify_simulator.store.places import COUNTRIES, STREETS
from shopify_simulator.store.price_lists import (
    COMPANY_LOCATION,
    MARKET,
    Catalog,
    FixedPrice,
    PriceBook,
    PriceList,
    Publication,
)
from shopify_simulator.store.profiles import ShopProfile
from shopify_simulator.store.random_source import RandomSource, stream_key

PRICE_BOOK_OFFSET = 50_000     # catalogs, publications and price lists are numbered from here on


@dataclass(frozen=True)
class Abroad:
    """A country a shop sells to in one of its presentment currencies."""
    country_code: str
    name: str
    street: str
    locale: str
    cities: tuple[tuple[str, str, str | None], ...]


ABROAD = {
    "CAD": Abroad("CA", "Canada", "King Street West", "en-CA",
                  (("Toronto", "M5V 2T6", "ON"), ("Montreal", "H2Y 1C6", "QC"))),
    "EUR": Abroad("IE", "Ireland", "Grafton Street", "en-IE",
                  (("Dublin", "D02 X285", None), ("Cork", "T12 W8CC", None))),
    "USD": Abroad("US", "United States", "Main Street", "en", (("Boston", "02108", "MA"),)),
    "GBP": Abroad("GB", "United Kingdom", "High Street", "en-GB", (("Manchester", "M1 1AE", None),)),
    "NZD": Abroad("NZ", "New Zealand", "Queen Street", "en-NZ", (("Auckland", "1010", None),)),
}
COUNTRY_NAMES = {**COUNTRIES, **{abroad.country_code: abroad.name for abroad in ABROAD.values()}}

_NAMES = {
    "US": (("Hudson", "Empire", "Adirondack", "Liberty", "Keystone", "Atlantic", "Lakeside", "Granite", "Pioneer",
            "Riverside", "Catskill", "Finger Lakes"),
           ("Outfitters", "Supply Co.", "Trading LLC", "Sports Inc.", "Camping Group", "Gear Partners")),
    "GB": (("Cotswold", "Thames", "Pennine", "Windsor", "Mayfair", "Severn", "Highland", "Bristol", "Yorkshire",
            "Kensington", "Harrogate", "Cheltenham"),
           ("Tea Company Ltd", "Hospitality Ltd", "Catering plc", "Hotels Ltd", "Delicatessen Ltd", "Cafés Ltd")),
}
_DEFAULT_NAMES = (("Northern", "Coastal", "Central", "Harbour", "Valley", "Metro", "Summit", "Bayside", "Heritage",
                   "Prime", "Union", "Meridian"),
                  ("Trading", "Wholesale", "Distribution", "Retail Group", "Partners", "Supply"))
_IMPORTER = {"CA": "Maple Leaf Imports Inc.", "IE": "Liffey Trading Ltd", "US": "Bay State Imports LLC",
             "GB": "Albion Imports Ltd", "NZ": "Kiwi Wholesale Ltd"}
_BRANCHES = ("Warehouse", "Store", "Branch", "Depot")
_TITLES = ("Purchasing Manager", "Owner", "Buyer", "Operations Lead", "Accounts Payable", None)
_TERMS = ((4, 0.45), (6, 0.15), (3, 0.1), (1, 0.1), (9, 0.05), (None, 0.15))   # PaymentTermsTemplate id, weight
_TAX_EXEMPTIONS = {"US": ("US_NY_RESELLER_EXEMPTION",), "CA": ("CA_BC_RESELLER_EXEMPTION",)}


@dataclass(frozen=True)
class Place:
    country_code: str
    currency: str
    locale: str
    street: str
    cities: tuple[tuple[str, str, str | None], ...]


MAX_EXTRA_CATALOGS = 5_000     # the size option's most: the shop's B2B IDs stay in their range
EXTRA_STREAM = 10_000          # the size option's companies draw from streams numbered from here on


def generate_b2b(profile: ShopProfile, *, seed: int, opened: datetime, catalog: ProductCatalog,
                 pool_size: int, extra_catalogs: int = 0) -> tuple[CompanyBook, PriceBook]:
    """The shop's companies and catalogs; `opened` is when its catalog opened (companies come after);
    `extra_catalogs` more company-location catalogs for a large B2B shop (the size option)."""
    base = b2b_id_base(profile)
    companies = CompanyBook(first_id=base + 1)
    prices = PriceBook(first_id=base + PRICE_BOOK_OFFSET + 1)
    if not profile.b2b:
        return companies, prices
    key = stream_key(seed, profile.handle, "b2b")
    shop_rng = RandomSource(key, 0)
    home = Place(profile.country_code, profile.currency, profile.locale,
                 STREETS.get(profile.country_code, "Main Street"), profile.cities)
    abroad_currency = next((c for c in profile.presentment_currencies if c in ABROAD), None)
    abroad = None
    if abroad_currency:
        known = ABROAD[abroad_currency]
        abroad = Place(known.country_code, abroad_currency, known.locale, known.street, known.cities)

    count = shop_rng.between(6, 12)
    contact_counts = [RandomSource(key, 1 + n).between(1, 3) for n in range(count)]
    customers = shop_rng.sample(range(pool_size), sum(contact_counts))
    first_words, last_words = _NAMES.get(profile.country_code, _DEFAULT_NAMES)
    words = shop_rng.sample(first_words, count)

    made: list[Company] = []
    for number in range(count):
        rng = RandomSource(key, 1 + number)
        rng.between(1, 3)      # the contact count, drawn above
        is_importer = abroad is not None and number == count - 1
        place = abroad if is_importer else home
        name = _IMPORTER[place.country_code] if is_importer else f"{words[number]} {rng.choice(last_words)}"
        created = opened + timedelta(days=20 + 13 * number, hours=rng.between(8, 17))
        company = Company(id=companies.new_id(), name=name, external_id=f"B2B-{number + 1:04d}" if rng.chance(0.7)
                          else None, note=None, customer_since=created - timedelta(days=rng.between(0, 1500)),
                          created=created, updated=created)
        companies.add_company(company)
        mine = [customers.pop() for _ in range(contact_counts[number])]
        _populate(companies, company, profile, place, rng, customer_indexes=mine, is_importer=is_importer)
        made.append(company)

    _catalogs(prices, companies, made, profile, catalog, abroad, shop_rng, key, opened=opened)
    if extra_catalogs:
        _extra_catalogs(prices, companies, profile, home, abroad, key, opened=opened,
                        count=min(extra_catalogs, MAX_EXTRA_CATALOGS))
    return companies, prices


def _populate(book: CompanyBook, company: Company, profile: ShopProfile, place: Place, rng: RandomSource, *,
              customer_indexes: list[int], is_importer: bool) -> None:
    created = company.created
    head_office = None
    for position in range(rng.between(1, 3)):
        city, zip_code, zone = place.cities[(position + rng.below(len(place.cities))) % len(place.cities)]
        name = "Head office" if position == 0 else f"{city} {rng.choice(_BRANCHES)}"
        stamp = created + timedelta(seconds=position + 1)
        shipping = _address(book, place, rng, city, zip_code, zone, recipient="Receiving", stamp=stamp,
                            phone_prefix=profile.phone_prefix)
        billing = (_address(book, place, rng, city, zip_code, zone, recipient="Accounts Payable", stamp=stamp,
                            phone_prefix=profile.phone_prefix, copy_of=shipping) if head_office is None
                   else _address(book, place, rng, None, None, None, recipient="Accounts Payable", stamp=stamp,
                                 phone_prefix=profile.phone_prefix, copy_of=head_office.billing))
        exempt = is_importer or rng.below(8) == 0
        location = CompanyLocation(
            id=book.new_id(), company_id=company.id, name=name,
            external_id=f"{company.external_id}-{position + 1}" if company.external_id else None, note=None,
            phone=shipping.phone, locale=place.locale, currency=place.currency, country_code=place.country_code,
            tax_registration_id=_tax_id(place.country_code, rng) if rng.below(4) else None,
            tax_exempt=exempt, tax_exemptions=_TAX_EXEMPTIONS.get(place.country_code, ()) if exempt else (),
            payment_terms_id=rng.weighted(_TERMS), checkout_to_draft=rng.below(5) == 0,
            editable_shipping_address=rng.below(4) == 0, billing=billing, shipping=shipping,
            created=stamp, updated=stamp)
        book.add_location(company, location)
        head_office = head_office or location
    admin, ordering = book.role_named(company, LOCATION_ADMIN), book.role_named(company, ORDERING_ONLY)
    locations = book.locations_of(company)
    for position, index in enumerate(customer_indexes):
        stamp = created + timedelta(minutes=position + 1)
        contact = CompanyContact(id=book.new_id(), company_id=company.id,
                                 customer_number=profile.customer_id_base + index, title=rng.choice(_TITLES),
                                 locale=place.locale, created=stamp, updated=stamp)
        book.add_contact(company, contact)
        if position == 0:
            company.main_contact_id = contact.id
            for location in locations:
                book.assign_role(contact, location, admin, now=stamp)
        else:
            book.assign_role(contact, locations[position % len(locations)], ordering, now=stamp)


def _address(book: CompanyBook, place: Place, rng: RandomSource, city, zip_code, zone, *, recipient: str,
             stamp: datetime, phone_prefix: str, copy_of: CompanyAddress | None = None) -> CompanyAddress:
    if copy_of is not None:
        return CompanyAddress(id=book.new_id(), address1=copy_of.address1, address2=copy_of.address2,
                              city=copy_of.city, zip=copy_of.zip, zone_code=copy_of.zone_code,
                              country_code=copy_of.country_code, recipient=recipient, first_name=None,
                              last_name=None, phone=copy_of.phone, created=stamp, updated=stamp)
    return CompanyAddress(id=book.new_id(), address1=f"{rng.between(1, 400)} {place.street}",
                          address2=f"Unit {rng.between(1, 40)}" if rng.below(3) == 0 else None, city=city,
                          zip=zip_code, zone_code=zone, country_code=place.country_code, recipient=recipient,
                          first_name=None, last_name=None, phone=f"{phone_prefix} {rng.digits(6)}",
                          created=stamp, updated=stamp)


def _tax_id(country_code: str, rng: RandomSource) -> str:
    """A registration number shaped like the country's: EIN, VAT or GST/HST number."""
    if country_code == "US":
        return f"{rng.digits(2)}-{rng.digits(7)}"
    if country_code == "CA":
        return f"{rng.digits(9)}RT0001"
    if country_code == "IE":
        return f"IE{rng.digits(7)}{rng.choice('ABCDEFGHW')}"
    if country_code == "FR":
        return f"FR{rng.digits(11)}"
    if country_code == "AU":
        return rng.digits(11)
    return f"{country_code}{rng.digits(9)}"


def _catalogs(book: PriceBook, companies: CompanyBook, made: list[Company], profile: ShopProfile,
              catalog: ProductCatalog, abroad: Place | None, shop_rng: RandomSource, key: int, *,
              opened: datetime) -> None:
    stamp = opened + timedelta(days=10)
    own_products = tuple(dict.fromkeys(profile.product_id_base + item.key for item in profile.catalog
                                       if not item.is_gift_card))
    variants = [catalog.variant(profile.variant_id_base + item.key) for item in profile.catalog
                if not item.is_gift_card]
    variants = [v for v in variants if v is not None]
    plan = [("Wholesale", profile.currency, "PERCENTAGE_DECREASE", Decimal(15), own_products),
            ("Trade Partners", profile.currency, "PERCENTAGE_DECREASE", Decimal(25), own_products)]
    tiers = [_catalog(book, profile, variants, RandomSource(key, 500 + n), title, currency, kind, value, products,
                      stamp=stamp)
             for n, (title, currency, kind, value, products) in enumerate(plan)]
    for number, company in enumerate(made):
        rng = RandomSource(key, 600 + number)
        locations = companies.locations_of(company)
        if abroad is not None and locations[0].currency == abroad.currency:
            chosen = _catalog(book, profile, variants, rng, f"Export ({abroad.currency})", abroad.currency,
                              "PERCENTAGE_DECREASE", Decimal(10), None, stamp=company.created)
        elif rng.below(3) == 0:
            chosen = _catalog(book, profile, variants, rng, f"{company.name} contract", profile.currency,
                              "PERCENTAGE_DECREASE", Decimal(rng.between(5, 30)), None, stamp=company.created)
        else:
            chosen = None
        for location in locations:
            target = chosen or tiers[shop_rng.below(len(tiers))]
            target.location_ids.append(location.id)
    country = abroad.country_code if abroad else profile.country_code
    currency = abroad.currency if abroad else profile.currency
    market = _catalog(book, profile, variants, RandomSource(key, 700), COUNTRY_NAMES.get(country, country), currency,
                      "PERCENTAGE_INCREASE", Decimal(5), None, stamp=stamp, kind=MARKET)
    market.market_country = country


def _catalog(book: PriceBook, profile: ShopProfile, variants: list, rng: RandomSource, title: str, currency: str,
             adjustment: str, value: Decimal, products: tuple[int, ...] | None, *, stamp: datetime,
             kind: str = COMPANY_LOCATION) -> Catalog:
    catalog = Catalog(id=book.new_id(), kind=kind, title=title, status="ACTIVE", price_list_id=None,
                      publication_id=None, created=stamp, updated=stamp)
    price_list = PriceList(id=book.new_id(), name=f"{title} ({currency})" if kind == MARKET else title,
                           currency=currency, adjustment_type=adjustment, adjustment_value=value,
                           catalog_id=catalog.id, created=stamp, updated=stamp)
    rate = Decimal(1) if currency == profile.currency else profile.fx_rate(currency)
    for variant in rng.sample(variants, rng.between(2, 4)):
        # A negotiated price: a little under what the adjustment alone would give.
        price = cents(variant.price * rate * price_list.factor * Decimal("0.95"))
        price_list.fixed[variant.id] = FixedPrice(price=price, compare_at=None)
    publication = Publication(id=book.new_id(), catalog_id=catalog.id, product_ids=products, created=stamp)
    catalog.price_list_id, catalog.publication_id = price_list.id, publication.id
    book.add(catalog, price_list, publication)
    return catalog


def _extra_catalogs(book: PriceBook, companies: CompanyBook, profile: ShopProfile, home: Place, abroad: Place | None,
                    key: int, *, opened: datetime, count: int) -> None:
    """`count` company-location catalogs, each for a new company location of its own."""
    first_words, last_words = _NAMES.get(profile.country_code, _DEFAULT_NAMES)
    start = opened + timedelta(days=30)
    made = number = 0
    while made < count:
        rng = RandomSource(key, EXTRA_STREAM + number)
        is_importer = abroad is not None and number % 4 == 3
        place = abroad if is_importer else home
        created = start + timedelta(minutes=17 * number)
        name = (f"{first_words[number % len(first_words)]} "
                f"{last_words[(number // len(first_words)) % len(last_words)]} {number + 1:04d}")
        company = Company(id=companies.new_id(), name=name, external_id=f"B2B-X{number + 1:05d}", note=None,
                          customer_since=created - timedelta(days=rng.between(0, 1500)), created=created,
                          updated=created)
        companies.add_company(company)
        for position in range(min(rng.between(1, 3), count - made)):
            city, zip_code, zone = place.cities[(position + rng.below(len(place.cities))) % len(place.cities)]
            stamp = created + timedelta(seconds=position + 1)
            shipping = _address(companies, place, rng, city, zip_code, zone, recipient="Receiving", stamp=stamp,
                                phone_prefix=profile.phone_prefix)
            billing = _address(companies, place, rng, city, zip_code, zone, recipient="Accounts Payable",
                               stamp=stamp, phone_prefix=profile.phone_prefix, copy_of=shipping)
            location = CompanyLocation(
                id=companies.new_id(), company_id=company.id,
                name="Head office" if position == 0 else f"{city} {rng.choice(_BRANCHES)}",
                external_id=f"{company.external_id}-{position + 1}", note=None, phone=shipping.phone,
                locale=place.locale, currency=place.currency, country_code=place.country_code,
                tax_registration_id=_tax_id(place.country_code, rng), tax_exempt=is_importer,
                tax_exemptions=_TAX_EXEMPTIONS.get(place.country_code, ()) if is_importer else (),
                payment_terms_id=rng.weighted(_TERMS), checkout_to_draft=False, editable_shipping_address=False,
                billing=billing, shipping=shipping, created=stamp, updated=stamp)
            companies.add_location(company, location)
            _own_catalog(book, f"{company.name} {location.name}", location, rng, stamp=stamp)
            made += 1
        number += 1


def _own_catalog(book: PriceBook, title: str, location: CompanyLocation, rng: RandomSource, *,
                 stamp: datetime) -> Catalog:
    """A catalog of one location: every product, every variant at a negotiated fixed price."""
    catalog = Catalog(id=book.new_id(), kind=COMPANY_LOCATION, title=title, status="ACTIVE", price_list_id=None,
                      publication_id=None, created=stamp, updated=stamp, location_ids=[location.id])
    price_list = PriceList(id=book.new_id(), name=f"{title} ({location.currency})", currency=location.currency,
                           adjustment_type="PERCENTAGE_DECREASE", adjustment_value=Decimal(rng.between(5, 30)),
                           catalog_id=catalog.id, created=stamp, updated=stamp,
                           negotiated=Decimal(rng.between(90, 99)) / 100)
    publication = Publication(id=book.new_id(), catalog_id=catalog.id, product_ids=None, created=stamp)
    catalog.price_list_id, catalog.publication_id = price_list.id, publication.id
    book.add(catalog, price_list, publication)
    return catalog
