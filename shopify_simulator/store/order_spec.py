"""An order's specification, as the control API's POST /_simulator/orders/custom takes it: the JSON
read and checked, every amount as Shopify states it (in the order's currency, taxes and discount
allocations as given, nothing recomputed). store.custom_orders builds the order from it.

    {"name"?, "processed_at"?, "taxes_included"?, "currency"?, "email"?, "phone"?, "note"?, "tags"?,
     "customer"?: null | {"id"} | {"email"?, "first_name"?, "last_name"?, "phone"?},
     "billing_address"?, "shipping_address"?: null | {"name", "first_name", "last_name", "company",
                                                      "address1", "address2", "city", "zip", "provinceCode",
                                                      "countryCode", "phone"} (each optional),
     "lines": [{"title", "sku"?, "variant_id"?, "quantity", "price", "gift_card"?, "taxes"?: [[title, rate,
                amount]], "discounts"?: [[application index, amount]], "location"?: Location GID}],
     "shipping_lines"?: [{"title", "code"?, "price", "taxes"?, "discounts"?}]   (one at most),
     "discount_applications"?: [{"index", "type", "code_or_title", "allocation_method", "target_type",
                                 "value_type", "value", "target_selection"?}],
     "tip"?, "fulfilled"?: false, "paid"?: true}

A line's "location" is where it waits to be shipped: one of the shop's own locations or the
fulfillment service's (store.custom_orders makes one fulfillment order per location); without it,
the primary location. A gift card ships from no location.

Anything that contradicts itself or Shopify raises OrderSpecError, whose message says where.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from shopify_simulator.store.catalog import Catalog
from shopify_simulator.store.money import CENT
from shopify_simulator.store.profiles import CatalogItem, ShopProfile, TaxRate
from shopify_simulator.store.records import DiscountApplication

APPLICATION_KINDS = {"DiscountCodeApplication": "code", "ManualDiscountApplication": "manual",
                     "AutomaticDiscountApplication": "automatic"}
_SELECTIONS = {"code": "ALL", "manual": "EXPLICIT", "automatic": "ENTITLED"}   # Shopify's usual, by kind
_VALUE_TYPES = {"PERCENTAGE": "percentage", "FIXED_AMOUNT": "fixed"}
_ORDER_FIELDS = {"name", "processed_at", "taxes_included", "currency", "email", "phone", "note", "tags", "customer",
                 "billing_address", "shipping_address", "lines", "shipping_lines", "discount_applications", "tip",
                 "fulfilled", "paid"}
_LINE_FIELDS = {"title", "sku", "variant_id", "quantity", "price", "gift_card", "taxes", "discounts"}
_SHIPPING_FIELDS = {"title", "code", "price", "taxes", "discounts"}
_APPLICATION_FIELDS = {"index", "type", "code_or_title", "allocation_method", "target_type", "value_type", "value",
                       "target_selection"}
_CUSTOMER_FIELDS = {"email", "first_name", "last_name", "phone"}
ADDRESS_FIELDS = ("name", "first_name", "last_name", "company", "address1", "address2", "city", "zip",
                  "provinceCode", "countryCode", "phone")

Taxes = tuple[tuple[TaxRate, Decimal], ...]
Allocations = tuple[tuple[int, Decimal], ...]    # (discount application index, amount)


class OrderSpecError(Exception):
    """The specification contradicts itself or Shopify (the message says where)."""

    status = 400


@dataclass(frozen=True)
class LineSpec:
    item: CatalogItem           # a custom item (no variant) has a negative key
    product_id: int | None      # None: a custom line item, with no variant or product
    quantity: int
    price: Decimal
    taxes: Taxes
    discounts: Allocations
    location: int = 0           # where it ships from: an index into profile.all_locations (0: the primary one)


@dataclass(frozen=True)
class ShippingSpec:
    title: str
    code: str
    price: Decimal
    taxes: Taxes
    discounts: Allocations


@dataclass(frozen=True)
class OrderSpec:
    name: str | None                  # None: the next free number
    processed_at: datetime | None     # None: when it is created
    taxes_included: bool
    currency: str
    email: str | None
    phone: str | None
    note: str | None
    tags: tuple[str, ...]
    customer: dict | None             # None (a guest), {"id": gid}, or the details of the buyer
    billing_address: dict | None
    shipping_address: dict | None
    lines: tuple[LineSpec, ...]
    shipping: ShippingSpec | None
    applications: tuple[DiscountApplication, ...]   # in index order, 0 to n - 1
    tip: Decimal
    is_fulfilled: bool
    is_paid: bool
    given: dict = field(default_factory=dict, compare=False, repr=False)   # the JSON it was read from


def read_order_spec(given: dict, *, profile: ShopProfile, catalog: Catalog, now: datetime) -> OrderSpec:
    """The order `given` describes, checked; `now` is the simulator's (processed_at cannot be later)."""
    check_fields(given, _ORDER_FIELDS, "the order")
    currency = given.get("currency") or profile.currency
    if currency != profile.currency and currency not in profile.presentment_currencies:
        raise OrderSpecError(f"currency {currency!r} is neither the shop's ({profile.currency}) nor one it presents "
                             f"orders in ({', '.join(profile.presentment_currencies) or 'none'})")
    applications = _applications(given.get("discount_applications") or [])
    lines = given.get("lines")
    if not isinstance(lines, list) or not lines:
        raise OrderSpecError("an order needs at least one line in \"lines\"")
    line_specs = tuple(_line(line, position, profile, catalog, applications) for position, line in enumerate(lines))
    shipping_lines = given.get("shipping_lines") or []
    if not isinstance(shipping_lines, list) or len(shipping_lines) > 1:
        raise OrderSpecError("\"shipping_lines\" is a list of one shipping line at most")
    shipping = _shipping(shipping_lines[0], applications) if shipping_lines else None
    tags = given.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise OrderSpecError("\"tags\" is a list of strings")
    return OrderSpec(
        name=_name(given.get("name")), processed_at=_moment(given.get("processed_at"), now),
        taxes_included=_flag(given, "taxes_included", profile.taxes_included), currency=currency,
        email=_text(given, "email"), phone=_text(given, "phone"), note=_text(given, "note"), tags=tuple(tags),
        customer=_customer(given.get("customer")),
        billing_address=_address(given.get("billing_address"), "billing_address"),
        shipping_address=_address(given.get("shipping_address"), "shipping_address"),
        lines=line_specs, shipping=shipping, applications=applications,
        tip=read_amount(given.get("tip", "0.00"), "tip"),
        is_fulfilled=_flag(given, "fulfilled", False), is_paid=_flag(given, "paid", True),
        given=copy.deepcopy(given),
    )


def check_fields(given, fields: set[str], where: str) -> None:
    if not isinstance(given, dict):
        raise OrderSpecError(f"{where} must be a JSON object")
    unknown = sorted(set(given) - fields)
    if unknown:
        raise OrderSpecError(f"{where} has unknown fields: {', '.join(unknown)} (known: {', '.join(sorted(fields))})")


def _applications(given) -> tuple[DiscountApplication, ...]:
    if not isinstance(given, list):
        raise OrderSpecError("\"discount_applications\" is a list")
    found: dict[int, DiscountApplication] = {}
    for entry in given:
        check_fields(entry, _APPLICATION_FIELDS, "a discount application")
        index = entry.get("index")
        where = f"discount application {index!r}"
        if not isinstance(index, int) or isinstance(index, bool) or index < 0:
            raise OrderSpecError(f"{where}: \"index\" is a whole number from 0")
        if index in found:
            raise OrderSpecError(f"two discount applications have index {index}")
        kind = _choice(entry, "type", APPLICATION_KINDS, where)
        value_type = _choice(entry, "value_type", _VALUE_TYPES, where)
        value = read_amount(entry.get("value"), f"{where}'s value")
        if value_type == "percentage" and value > 100:
            raise OrderSpecError(f"{where}: a percentage is 100 at most, not {value}")
        label = entry.get("code_or_title")
        if not isinstance(label, str) or not label:
            raise OrderSpecError(f"{where}: \"code_or_title\" is a non-empty string")
        found[index] = DiscountApplication(
            index, kind, label, value_type, value,
            _choice(entry, "target_type", {"LINE_ITEM": "LINE_ITEM", "SHIPPING_LINE": "SHIPPING_LINE"}, where),
            _choice(entry, "target_selection", {"ALL": "ALL", "ENTITLED": "ENTITLED", "EXPLICIT": "EXPLICIT"}, where,
                    default=_SELECTIONS[kind]),
            _choice(entry, "allocation_method", {"ACROSS": "ACROSS", "EACH": "EACH", "ONE": "ONE"}, where))
    if sorted(found) != list(range(len(found))):
        raise OrderSpecError(f"discount application indexes are 0 to {len(found) - 1}, each once; "
                             f"given {sorted(found)}")
    return tuple(found[index] for index in range(len(found)))


def read_line(given, position: int, *, profile: ShopProfile, catalog: Catalog, what: str = "line") -> LineSpec:
    """One line as "lines" takes it, with no discount (`what` names it in messages: an exchange's new line)."""
    return _line(given, position, profile, catalog, (), what=what)


def _line(given, position: int, profile: ShopProfile, catalog: Catalog,
          applications: tuple[DiscountApplication, ...], *, what: str = "line") -> LineSpec:
    check_fields(given, _LINE_FIELDS | {"location"} if what == "line" else _LINE_FIELDS, f"{what} {position + 1}")
    title = given.get("title")
    if title is not None and not isinstance(title, str):
        raise OrderSpecError(f"{what} {position + 1}: the title is a string, not {title!r}")
    where = f"{what} {position + 1} ({title})" if title else f"{what} {position + 1}"
    quantity = given.get("quantity")
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        raise OrderSpecError(f"{where}: the quantity is a whole number from 1, not {quantity!r}")
    price = read_amount(given.get("price"), f"{where}'s price")
    is_gift_card = _flag(given, "gift_card", False)
    sku = _text(given, "sku")
    product_id = None
    variant_gid = given.get("variant_id")
    if variant_gid is None:
        if not title:
            raise OrderSpecError(f"{where}: a line without a variant needs a \"title\"")
        item = CatalogItem(key=-(position + 1), title=title, variant_title=None, sku=sku, barcode=None, vendor=None,
                           price=price, tax_class="none" if is_gift_card else "standard", is_gift_card=is_gift_card)
    else:
        prefix = "gid://shopify/ProductVariant/"
        digits = variant_gid[len(prefix):] if isinstance(variant_gid, str) and variant_gid.startswith(prefix) else ""
        variant = catalog.variant(int(digits)) if digits.isdigit() else None
        if variant is None:
            raise OrderSpecError(f"{where}: the shop has no variant {variant_gid!r}")
        product = catalog.product(variant.product_id)
        product_id = variant.product_id
        item = CatalogItem(key=variant.id - profile.variant_id_base, title=title or product.title,
                           variant_title=None if variant.title == "Default Title" else variant.title,
                           sku=sku if "sku" in given else variant.sku, barcode=variant.barcode, vendor=product.vendor,
                           price=price, tax_class="none" if is_gift_card else "standard", is_gift_card=is_gift_card)
    taxes = _taxes(given.get("taxes") or [], where)
    discounts = _allocations(given.get("discounts") or [], where, applications, "LINE_ITEM")
    if is_gift_card and (taxes or discounts):
        raise OrderSpecError(f"{where}: a gift card carries no tax or discount")
    if sum(amount for _, amount in discounts) > price * quantity:
        raise OrderSpecError(f"{where}: its discounts come to more than its {price * quantity}")
    return LineSpec(item, product_id, quantity, price, taxes, discounts, _location(given, where, profile, is_gift_card))


def _location(given: dict, where: str, profile: ShopProfile, is_gift_card: bool) -> int:
    """The index in profile.all_locations of the location a line ships from (0: the primary one)."""
    if "location" not in given:
        return 0
    gid = given["location"]
    if is_gift_card:
        raise OrderSpecError(f"{where}: a gift card ships from no location")
    gids = [location.gid for location in profile.all_locations]
    if gid not in gids:
        raise OrderSpecError(f"{where}: the shop has no location {gid!r} (it has {', '.join(gids)})")
    return gids.index(gid)


def _shipping(given, applications: tuple[DiscountApplication, ...]) -> ShippingSpec:
    check_fields(given, _SHIPPING_FIELDS, "the shipping line")
    title = given.get("title")
    if not isinstance(title, str) or not title:
        raise OrderSpecError("the shipping line needs a \"title\"")
    where = f"shipping line ({title})"
    price = read_amount(given.get("price"), f"{where}'s price")
    discounts = _allocations(given.get("discounts") or [], where, applications, "SHIPPING_LINE")
    if sum(amount for _, amount in discounts) > price:
        raise OrderSpecError(f"{where}: its discounts come to more than its {price}")
    code = _text(given, "code") or title
    return ShippingSpec(title, code, price, _taxes(given.get("taxes") or [], where), discounts)


def _taxes(given, where: str) -> Taxes:
    if not isinstance(given, list):
        raise OrderSpecError(f"{where}: \"taxes\" is a list of [title, rate, amount]")
    taxes = []
    for entry in given:
        if not isinstance(entry, list) or len(entry) != 3 or not isinstance(entry[0], str) or not entry[0]:
            raise OrderSpecError(f"{where}: a tax is [title, rate, amount], not {entry!r}")
        title, rate, amount = entry
        taxes.append((TaxRate(title, _decimal(rate, f"{where}'s {title} rate")),
                      read_amount(amount, f"{where}'s {title} amount")))
    return tuple(taxes)


def _allocations(given, where: str, applications: tuple[DiscountApplication, ...], target_type: str) -> Allocations:
    if not isinstance(given, list):
        raise OrderSpecError(f"{where}: \"discounts\" is a list of [discount application index, amount]")
    allocations, seen = [], set()
    for entry in given:
        if not isinstance(entry, list) or len(entry) != 2:
            raise OrderSpecError(f"{where}: a discount is [discount application index, amount], not {entry!r}")
        index, amount = entry
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(applications):
            raise OrderSpecError(f"{where}: no discount application has index {index!r} "
                                 f"(the order has {len(applications)})")
        if applications[index].target_type != target_type:
            raise OrderSpecError(f"{where}: discount application {index} targets {applications[index].target_type}, "
                                 f"not {target_type}")
        if index in seen:
            raise OrderSpecError(f"{where}: discount application {index} is allocated twice")
        seen.add(index)
        allocations.append((index, read_amount(amount, f"{where}'s discount {index}")))
    return tuple(allocations)


def _customer(given) -> dict | None:
    if given is None:
        return None
    if isinstance(given, dict) and set(given) == {"id"} and isinstance(given["id"], str):
        return dict(given)
    check_fields(given, _CUSTOMER_FIELDS, "the customer (or {\"id\": gid} for a customer of the shop)")
    if not any(given.get(key) for key in _CUSTOMER_FIELDS):
        raise OrderSpecError("the customer needs an email, a name or a phone (null: a guest)")
    if not all(value is None or isinstance(value, str) for value in given.values()):
        raise OrderSpecError("the customer's fields are strings")
    return dict(given)


def _address(given, where: str) -> dict | None:
    if given is None:
        return None
    check_fields(given, set(ADDRESS_FIELDS), f"\"{where}\"")
    if not all(value is None or isinstance(value, str) for value in given.values()):
        raise OrderSpecError(f"\"{where}\"'s fields are strings")
    return dict(given)


def _name(given) -> str | None:
    if given is None:
        return None
    if not isinstance(given, str) or not given.strip():
        raise OrderSpecError("the name is a non-empty string")
    return given


def _moment(given, now: datetime) -> datetime | None:
    if given is None:
        return None
    try:
        moment = datetime.fromisoformat(given) if isinstance(given, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise OrderSpecError(f"processed_at is an ISO 8601 time with its offset, e.g. 2025-03-11T10:00:00Z, "
                             f"not {given!r}")
    moment = moment.replace(microsecond=0)
    if moment > now:
        raise OrderSpecError(f"processed_at {given} is later than the simulator's now ({now.isoformat()})")
    return moment


def _choice(given: dict, key: str, choices: dict, where: str, default=None):
    value = given.get(key)
    if value is None and default is not None:
        return default
    if value not in choices:
        raise OrderSpecError(f"{where}: \"{key}\" is one of {', '.join(choices)}, not {value!r}")
    return choices[value]


def _flag(given: dict, key: str, default: bool) -> bool:
    value = given.get(key, default)
    if not isinstance(value, bool):
        raise OrderSpecError(f"\"{key}\" is true or false, not {value!r}")
    return value


def _text(given: dict, key: str) -> str | None:
    value = given.get(key)
    if value is not None and not isinstance(value, str):
        raise OrderSpecError(f"\"{key}\" is a string, not {value!r}")
    return value


def _decimal(given, where: str) -> Decimal:
    if isinstance(given, bool) or not isinstance(given, (str, int, float)):
        raise OrderSpecError(f"{where} is a number (as a string, e.g. \"0.2\"), not {given!r}")
    try:
        value = Decimal(str(given))
    except InvalidOperation:
        raise OrderSpecError(f"{where} is a number (as a string, e.g. \"0.2\"), not {given!r}") from None
    if not value.is_finite():
        raise OrderSpecError(f"{where} is a number, not {given!r}")
    if value < 0:
        raise OrderSpecError(f"{where} cannot be negative: {given!r}")
    return value


def read_amount(given, where: str) -> Decimal:
    """A money amount: not negative, in cents at most."""
    if given is None:
        raise OrderSpecError(f"{where} is missing")
    value = _decimal(given, where)
    if value != value.quantize(CENT):
        raise OrderSpecError(f"{where} has more than two decimals: {given!r}")
    return value.quantize(CENT)
