"""A customer as Shopify serves it, the same wherever it appears (the customers list, node, an
order's customer): generated from the shop's pool or created since, with what writes changed
(store.customer_book keeps those), every field the schema promises filled."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Callable

from shopify_simulator.store.lazy import LazyList
from shopify_simulator.store.places import COUNTRIES, home_address
from shopify_simulator.store.records import Customer

# Business customers buying without tax, one in TAX_EXEMPT_EVERY, with the exemption their country has.
TAX_EXEMPT_EVERY = 40
_EXEMPTIONS = {"US": ["US_NY_RESELLER_EXEMPTION"], "FR": ["EU_REVERSE_CHARGE_EXEMPTION_RULE"]}

# How a customer's company contact profiles are answered: (request context, customer number) -> the
# CompanyContact views of the companies it buys for. The B2B resource fills it (resources.companies),
# as it fills store.order_view's COMPANY_BUYERS; the store itself names no resource.
CONTACT_PROFILES: list[Callable] = []


def company_contact_profiles(number: int) -> LazyList:
    """A customer's `companyContactProfiles`, looked up when asked (a customer may become a contact
    after its view was built, e.g. an order's customer); as data, none."""
    return LazyList(lambda info: [view for find in CONTACT_PROFILES for view in find(info.context, number)])


def customer_created_at(generator, index: int) -> datetime:
    """Customers exist before the first order: one an hour, from 30 days before it."""
    return generator.created_at(0) - timedelta(days=30) + timedelta(hours=index)


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_customer_view(profile, number: int, *, created: datetime) -> dict:
    """A customer added through the API or the admin, before its fields are set: no orders, not
    invited to an account (DISABLED), no address."""
    created_at = iso(created)
    return {
        "__typename": "Customer",
        "id": f"gid://shopify/Customer/{number}",
        "legacyResourceId": str(number),
        "displayName": "", "firstName": None, "lastName": None, "email": None, "phone": None,
        "locale": profile.locale,
        "createdAt": created_at, "updatedAt": created_at,
        "state": "DISABLED", "verifiedEmail": True, "tags": [], "note": None,
        "taxExempt": False, "taxExemptions": [],
        "emailMarketingConsent": None, "smsMarketingConsent": None,
        "defaultAddress": None, "addresses": [], "addressesV2": [],
        "dataSaleOptOut": False, "canDelete": True, "lifetimeDuration": "less than a minute",
        "productSubscriberStatus": "NEVER_SUBSCRIBED", "multipassIdentifier": None, "lastOrder": None, "market": None,
        # Not tallied over the orders (for the pool too, so far): what a new customer shows.
        "amountSpent": {"amount": "0.0", "currencyCode": profile.currency}, "numberOfOrders": "0",
        "statistics": {"predictedSpendTier": None},
        "mergeable": {"isMergeable": True, "reason": None, "errorFields": [], "mergeInProgress": None},
        "image": {"url": f"https://cdn.shopify.com/s/images/avatar/{number % 20}.png", "altText": None,
                  "id": None, "width": 100, "height": 100, "metafields": []},
        "companyContactProfiles": company_contact_profiles(number),
        "events": [], "metafields": [], "orders": [], "paymentMethods": [], "storeCreditAccounts": [],
        "subscriptionContracts": [],
    }


def pool_customer_view(profile, customer: Customer, *, created: datetime) -> dict:
    """A customer of the generated pool, as the store was made (before any write)."""
    created_at = iso(created)
    is_exempt = customer.index % TAX_EXEMPT_EVERY == 7
    subscribed = customer.index % 3 == 0
    number = int(customer.gid.rsplit("/", 1)[1])
    address = home_address(profile, customer, gid=f"gid://shopify/MailingAddress/{number}?model_name=CustomerAddress",
                           phone=customer.phone)
    return {
        **new_customer_view(profile, number, created=created),
        "displayName": f"{customer.first_name} {customer.last_name}",
        "firstName": customer.first_name,
        "lastName": customer.last_name,
        "email": customer.email,
        "phone": customer.phone,
        "state": "ENABLED",
        "taxExempt": is_exempt, "taxExemptions": _EXEMPTIONS.get(profile.country_code, []) if is_exempt else [],
        "emailMarketingConsent": {"marketingState": "SUBSCRIBED" if subscribed else "NOT_SUBSCRIBED",
                                  "marketingOptInLevel": "SINGLE_OPT_IN" if subscribed else None,
                                  "consentUpdatedAt": created_at if subscribed else None},
        "defaultAddress": address, "addresses": [address], "addressesV2": [address],
        "canDelete": False, "lifetimeDuration": "about 1 year",
        "image": {"url": f"https://cdn.shopify.com/s/images/avatar/{customer.index % 20}.png", "altText": None,
                  "id": None, "width": 100, "height": 100, "metafields": []},
    }


def with_changes(view: dict, changes: dict) -> dict:
    """`view` with the fields writes changed (GraphQL names) and what follows from them."""
    changed = {**view, **changes}
    names = " ".join(n for n in (changed["firstName"], changed["lastName"]) if n)
    changed["displayName"] = names or changed["email"] or changed["phone"] or ""
    if "addresses" in changes:
        changed["addressesV2"] = changed["addresses"]
        changed["defaultAddress"] = changed["addresses"][0] if changed["addresses"] else None
    # Consent belongs to an address or number: none without one, not subscribed for a new one.
    if not changed["email"]:
        changed["emailMarketingConsent"] = None
    elif changed["emailMarketingConsent"] is None:
        changed["emailMarketingConsent"] = {"marketingState": "NOT_SUBSCRIBED", "marketingOptInLevel": None,
                                            "consentUpdatedAt": None}
    if not changed["phone"]:
        changed["smsMarketingConsent"] = None
    elif changed["smsMarketingConsent"] is None:
        changed["smsMarketingConsent"] = {"marketingState": "NOT_SUBSCRIBED", "marketingOptInLevel": "SINGLE_OPT_IN",
                                          "consentUpdatedAt": None, "consentCollectedFrom": "OTHER"}
    return changed


def address_view(profile, entry: dict, *, gid: str, first_name: str | None, last_name: str | None) -> dict:
    """A MailingAddressInput as the customer's address; names default to the customer's."""
    first, last = entry.get("firstName") or first_name, entry.get("lastName") or last_name
    country_code = entry.get("countryCode") or profile.country_code
    country = COUNTRIES.get(country_code, country_code)
    city_line = " ".join(part for part in (entry.get("zip"), entry.get("city")) if part)
    return {
        "id": gid, "firstName": first, "lastName": last, "name": " ".join(n for n in (first, last) if n) or None,
        "address1": entry.get("address1"), "address2": entry.get("address2"), "city": entry.get("city"),
        "zip": entry.get("zip"), "provinceCode": entry.get("provinceCode"), "province": entry.get("provinceCode"),
        "countryCodeV2": country_code, "country": country,
        "phone": entry.get("phone"), "company": entry.get("company"), "coordinatesValidated": False,
        "formatted": [line for line in (entry.get("company"), entry.get("address1"), entry.get("address2"),
                                        city_line, country) if line],
    }


def customer_view(profile, customer: Customer, *, created: datetime) -> dict:
    """An order's customer: the pool's, as generated. Writes since (customerUpdate) do not show
    here yet; an order view is plain data built without the shop, which holds the changes."""
    return pool_customer_view(profile, customer, created=created)
