"""The simulated shops: currency, time zone, taxes, fees, locations, catalog and customers.

Pure data. Four shops cover tax-inclusive and tax-exclusive pricing, several tax rates, four
currencies and time zones on both hemispheres (so both DST directions happen in every store).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class TaxRate:
    title: str            # e.g. "FR TVA"
    rate: Decimal         # e.g. Decimal("0.2")


@dataclass(frozen=True)
class Location:
    gid: str
    name: str


@dataclass(frozen=True)
class FeeSchedule:
    """Shopify Payments' processing fee: `rate` × amount + `flat`, in the shop currency."""
    rate: Decimal
    flat: Decimal
    rate_name: str
    refunds_fees: bool    # a refund gives back rate × refunded amount as a negative fee


@dataclass(frozen=True)
class CatalogItem:
    """One product variant the shop sells."""
    key: int              # position in the catalog; product and variant IDs derive from it
    title: str
    variant_title: str | None
    sku: str
    barcode: str | None
    vendor: str
    price: Decimal
    tax_class: str        # "standard", "reduced", or "none" (gift cards)
    is_gift_card: bool = False

    @property
    def requires_shipping(self) -> bool:
        return not self.is_gift_card

    @property
    def name(self) -> str:
        return f"{self.title} - {self.variant_title}" if self.variant_title else self.title


@dataclass(frozen=True)
class ShippingRate:
    title: str
    code: str
    price: Decimal


@dataclass(frozen=True)
class ShopProfile:
    handle: str           # "demo-eu" -> domain demo-eu.myshopify.com
    name: str
    currency: str         # shop currency, ISO code
    time_zone: str        # IANA
    taxes_included: bool
    standard_taxes: tuple[TaxRate, ...]   # applied together to standard goods
    reduced_taxes: tuple[TaxRate, ...]    # applied to "reduced" goods; may be empty
    shipping_taxed: bool
    presentment_currencies: tuple[str, ...]  # other currencies some orders are presented in
    locations: tuple[Location, ...]       # at least 2; the first is the primary one
    country_code: str
    fee: FeeSchedule
    fx_rates: tuple[tuple[str, Decimal], ...]   # presentment currency -> units per shop unit
    catalog: tuple[CatalogItem, ...]
    shipping_rates: tuple[ShippingRate, ...]
    free_shipping_over: Decimal | None    # subtotal from which shipping is free
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    cities: tuple[tuple[str, str, str | None], ...]   # (city, zip, province code)
    phone_prefix: str
    locale: str
    order_prefix: str = "#"
    id_base: int = 5_000_000_000          # order IDs are id_base + number
    b2b: bool = False                     # sells to companies: store.companies_generation makes them

    @property
    def domain(self) -> str:
        return f"{self.handle}.myshopify.com"

    def taxes_for(self, tax_class: str) -> tuple[TaxRate, ...]:
        if tax_class == "standard":
            return self.standard_taxes
        if tax_class == "reduced":
            return self.reduced_taxes or self.standard_taxes
        return ()

    def fx_rate(self, currency: str) -> Decimal:
        return dict(self.fx_rates)[currency]

    @property
    def fulfillment_service_location(self) -> Location:
        """A third-party warehouse that holds stock but is not the shop's own (Shopify's
        fulfillment-service location); the orders' goods it stocks, and the shop does not ship itself,
        are assigned to it (store.fulfillment_view.assigned_location)."""
        base = int(self.locations[0].gid.rsplit("/", 1)[1]) - 1
        return Location(gid=f"gid://shopify/Location/{base + 9}", name="ShipFast Fulfillment")

    @property
    def all_locations(self) -> tuple[Location, ...]:
        return (*self.locations, self.fulfillment_service_location)

    @property
    def product_id_base(self) -> int:
        return 8_000_000_000 + (self.id_base - 5_000_000_000) // 100

    @property
    def variant_id_base(self) -> int:
        return 45_000_000_000 + (self.id_base - 5_000_000_000) // 100

    @property
    def inventory_item_id_base(self) -> int:
        return 46_000_000_000 + (self.id_base - 5_000_000_000) // 100

    @property
    def customer_id_base(self) -> int:
        return 7_000_000_000 + (self.id_base - 5_000_000_000) // 100

    @property
    def payout_id_base(self) -> int:
        return 90_000_000 + (self.id_base - 5_000_000_000) // 10


def _catalog(vendor: str, sku_prefix: str, rows: list[tuple]) -> tuple[CatalogItem, ...]:
    items = []
    for key, (title, variant, price, tax_class) in enumerate(rows):
        is_gift_card = tax_class == "none"
        items.append(CatalogItem(
            key=key, title=title, variant_title=variant, sku=None if is_gift_card else f"{sku_prefix}-{key + 1:03d}",
            barcode=None if is_gift_card else f"{3_000_000_000_000 + hash_free_barcode(sku_prefix, key)}",
            vendor=vendor, price=Decimal(price), tax_class=tax_class, is_gift_card=is_gift_card,
        ))
    return tuple(items)


def hash_free_barcode(prefix: str, key: int) -> int:
    """A stable 12-digit body for an EAN-like barcode (no str hash: it changes per process)."""
    value = key + 1
    for char in prefix:
        value = value * 131 + ord(char)
    return value % 1_000_000_000_000


def _locations(base: int, names: tuple[str, str]) -> tuple[Location, ...]:
    return tuple(Location(gid=f"gid://shopify/Location/{base + i}", name=name) for i, name in enumerate(names, 1))


DEMO_EU = ShopProfile(
    handle="demo-eu", name="Demo Boutique (EU)", currency="EUR", time_zone="Europe/Paris",
    taxes_included=True,
    standard_taxes=(TaxRate("FR TVA", Decimal("0.2")),),
    reduced_taxes=(TaxRate("FR TVA", Decimal("0.055")),),
    shipping_taxed=True,
    presentment_currencies=("GBP", "USD"),
    locations=_locations(61_000_000_100, ("Paris Warehouse", "Lyon Boutique")),
    country_code="FR",
    fee=FeeSchedule(Decimal("0.015"), Decimal("0.25"), "Shopify Payments, EEA cards", refunds_fees=True),
    fx_rates=(("GBP", Decimal("0.85")), ("USD", Decimal("1.08"))),
    catalog=_catalog("Maison Demo", "EU", [
        ("Linen Shirt", "M", "60.00", "standard"),
        ("Linen Shirt", "L", "60.00", "standard"),
        ("Wool Scarf", "Grey", "45.00", "standard"),
        ("Leather Belt", "90 cm", "39.90", "standard"),
        ("Canvas Tote", None, "24.00", "standard"),
        ("Espadrilles", "41", "55.00", "standard"),
        ("Silk Tie", "Navy", "49.00", "standard"),
        ("Ceramic Mug", None, "18.00", "standard"),
        ("La Cuisine de Provence (book)", None, "29.90", "reduced"),
        ("Olive Oil 500 ml", None, "14.50", "reduced"),
        ("Lavender Honey 250 g", None, "9.80", "reduced"),
        ("Gift Card", "€25", "25.00", "none"),
        ("Gift Card", "€50", "50.00", "none"),
        ("Gift Card", "€100", "100.00", "none"),
    ]),
    shipping_rates=(ShippingRate("Colissimo", "colissimo", Decimal("6.00")),
                    ShippingRate("Chronopost Express", "chronopost", Decimal("12.90"))),
    free_shipping_over=Decimal("150.00"),
    first_names=("Camille", "Louis", "Chloé", "Hugo", "Léa", "Jules", "Manon", "Arthur", "Inès", "Lucas"),
    last_names=("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau"),
    cities=(("Paris", "75011", None), ("Lyon", "69002", None), ("Marseille", "13001", None),
            ("Bordeaux", "33000", None), ("Lille", "59000", None)),
    phone_prefix="+33 6", locale="fr", id_base=5_000_000_000,
)

DEMO_US = ShopProfile(
    handle="demo-us", name="Demo Outfitters (US)", currency="USD", time_zone="America/New_York",
    taxes_included=False,
    standard_taxes=(TaxRate("NY State Tax", Decimal("0.04")), TaxRate("New York City Tax", Decimal("0.045"))),
    reduced_taxes=(),
    shipping_taxed=False,
    presentment_currencies=("CAD",),
    locations=_locations(62_000_000_100, ("Brooklyn Warehouse", "Manhattan Store")),
    country_code="US",
    fee=FeeSchedule(Decimal("0.029"), Decimal("0.30"), "Shopify Payments, online", refunds_fees=False),
    fx_rates=(("CAD", Decimal("1.36")),),
    catalog=_catalog("Demo Outfitters", "US", [
        ("Trail Jacket", "M", "189.00", "standard"),
        ("Fleece Pullover", "L", "79.00", "standard"),
        ("Hiking Socks (3-pack)", None, "24.99", "standard"),
        ("Insulated Bottle", "32 oz", "32.00", "standard"),
        ("Beanie", "Forest", "28.00", "standard"),
        ("Camp Mug", None, "19.50", "standard"),
        ("Headlamp", None, "44.95", "standard"),
        ("Day Pack", "24 L", "119.00", "standard"),
        ("Trail Map: Catskills", None, "12.99", "standard"),
        ("Gift Card", "$25", "25.00", "none"),
        ("Gift Card", "$50", "50.00", "none"),
        ("Gift Card", "$100", "100.00", "none"),
    ]),
    shipping_rates=(ShippingRate("Standard Shipping", "standard", Decimal("7.95")),
                    ShippingRate("UPS Ground", "ups_ground", Decimal("12.50")),
                    ShippingRate("Express", "express", Decimal("19.95"))),
    free_shipping_over=Decimal("200.00"),
    first_names=("Emma", "Liam", "Olivia", "Noah", "Ava", "Mason", "Sophia", "Ethan", "Mia", "James"),
    last_names=("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Lopez", "Wilson"),
    cities=(("New York", "10001", "NY"), ("Brooklyn", "11201", "NY"), ("Queens", "11375", "NY"),
            ("Bronx", "10451", "NY")),
    phone_prefix="+1 212", locale="en", id_base=5_100_000_000, b2b=True,
)

DEMO_UK = ShopProfile(
    handle="demo-uk", name="Demo Tea Rooms (UK)", currency="GBP", time_zone="Europe/London",
    taxes_included=True,
    standard_taxes=(TaxRate("GB VAT", Decimal("0.2")),),
    reduced_taxes=(TaxRate("GB VAT", Decimal("0.05")),),
    shipping_taxed=True,
    presentment_currencies=("EUR",),
    locations=_locations(63_000_000_100, ("Bath Tea Rooms", "London Warehouse")),
    country_code="GB",
    fee=FeeSchedule(Decimal("0.015"), Decimal("0.25"), "Shopify Payments, UK cards", refunds_fees=True),
    fx_rates=(("EUR", Decimal("1.17")),),
    catalog=_catalog("Demo Tea Rooms", "UK", [
        ("Bone China Teapot", None, "34.00", "standard"),
        ("Cup and Saucer", "Rose", "18.00", "standard"),
        ("Tea Towel", None, "9.50", "standard"),
        ("Tea Infuser", None, "7.95", "standard"),
        ("Cake Stand", None, "42.00", "standard"),
        ("Earl Grey Loose Leaf", "250 g", "8.50", "reduced"),
        ("English Breakfast", "80 bags", "6.75", "reduced"),
        ("Scone Mix", None, "4.20", "reduced"),
        ("Gift Card", "£20", "20.00", "none"),
        ("Gift Card", "£50", "50.00", "none"),
    ]),
    shipping_rates=(ShippingRate("Royal Mail Tracked 48", "rm_tracked_48", Decimal("3.95")),
                    ShippingRate("DPD Next Day", "dpd_next_day", Decimal("7.95"))),
    free_shipping_over=Decimal("60.00"),
    first_names=("Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Emily", "Charlie", "Poppy"),
    last_names=("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Davies", "Hughes", "Wright"),
    cities=(("Bath", "BA1 1LZ", None), ("London", "SW1A 1AA", None), ("Bristol", "BS1 4DJ", None),
            ("York", "YO1 7HH", None)),
    phone_prefix="+44 7700", locale="en-GB", id_base=5_200_000_000, b2b=True,
)

DEMO_AU = ShopProfile(
    handle="demo-au", name="Demo Surf (AU)", currency="AUD", time_zone="Australia/Sydney",
    taxes_included=True,
    standard_taxes=(TaxRate("AU GST", Decimal("0.1")),),
    reduced_taxes=(),
    shipping_taxed=True,
    presentment_currencies=("NZD",),
    locations=_locations(64_000_000_100, ("Byron Bay Shop", "Sydney Warehouse")),
    country_code="AU",
    fee=FeeSchedule(Decimal("0.0175"), Decimal("0.30"), "Shopify Payments, domestic cards", refunds_fees=False),
    fx_rates=(("NZD", Decimal("1.09")),),
    catalog=_catalog("Demo Surf", "AU", [
        ("Surf Wax", "Cool water", "4.95", "standard"),
        ("Boardshorts", "32", "69.95", "standard"),
        ("Leg Rope", "7 ft", "39.95", "standard"),
        ("Rash Guard", "M", "59.00", "standard"),
        ("Beach Towel", None, "34.95", "standard"),
        ("Sunscreen SPF 50", None, "19.95", "standard"),
        ("Fins", "M", "89.00", "standard"),
        ("Soft-top Surfboard", "7'0\"", "449.00", "standard"),
        ("Gift Card", "A$50", "50.00", "none"),
        ("Gift Card", "A$100", "100.00", "none"),
    ]),
    shipping_rates=(ShippingRate("Australia Post Parcel", "auspost_parcel", Decimal("9.95")),
                    ShippingRate("Express Post", "auspost_express", Decimal("15.95"))),
    free_shipping_over=Decimal("150.00"),
    first_names=("Charlotte", "Jack", "Olivia", "William", "Mia", "Noah", "Isla", "Lachlan", "Zoe", "Cooper"),
    last_names=("Smith", "Jones", "Williams", "Brown", "Wilson", "Taylor", "Nguyen", "Kelly", "Ryan", "Walker"),
    cities=(("Byron Bay", "2481", "NSW"), ("Sydney", "2000", "NSW"), ("Newcastle", "2300", "NSW"),
            ("Gold Coast", "4217", "QLD")),
    phone_prefix="+61 412", locale="en-AU", id_base=5_300_000_000,
)

SHOP_PROFILES: tuple[ShopProfile, ...] = (DEMO_EU, DEMO_US, DEMO_UK, DEMO_AU)
