"""A customer as Shopify serves it, the same wherever it appears (the customers list, node, an
order's customer): generated from the shop's pool, every field the schema promises filled."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from shopify_simulator.store.places import mailing_address
from shopify_simulator.store.records import Customer

# Business customers buying without tax, one in TAX_EXEMPT_EVERY, with the exemption their country has.
TAX_EXEMPT_EVERY = 40
_EXEMPTIONS = {"US": ["US_NY_RESELLER_EXEMPTION"], "FR": ["EU_REVERSE_CHARGE_EXEMPTION_RULE"]}


def customer_created_at(generator, index: int) -> datetime:
    """Customers exist before the first order: one an hour, from 30 days before it."""
    return generator.created_at(0) - timedelta(days=30) + timedelta(hours=index)


def customer_view(profile, customer: Customer, *, created: datetime) -> dict:
    created_at = created.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    is_exempt = customer.index % TAX_EXEMPT_EVERY == 7
    subscribed = customer.index % 3 == 0
    number = customer.gid.rsplit("/", 1)[1]
    address = mailing_address(profile, customer, gid=f"gid://shopify/MailingAddress/{number}?model_name=CustomerAddress",
                              house_number=customer.index % 89 + 1, phone=customer.phone)
    return {
        "__typename": "Customer",
        "id": customer.gid,
        "legacyResourceId": customer.gid.rsplit("/", 1)[1],
        "displayName": f"{customer.first_name} {customer.last_name}",
        "firstName": customer.first_name,
        "lastName": customer.last_name,
        "email": customer.email,
        "phone": customer.phone,
        "locale": profile.locale,
        "createdAt": created_at, "updatedAt": created_at,
        "state": "ENABLED", "verifiedEmail": True, "tags": [], "note": None,
        "taxExempt": is_exempt, "taxExemptions": _EXEMPTIONS.get(profile.country_code, []) if is_exempt else [],
        "emailMarketingConsent": {"marketingState": "SUBSCRIBED" if subscribed else "NOT_SUBSCRIBED",
                                  "marketingOptInLevel": "SINGLE_OPT_IN" if subscribed else None,
                                  "consentUpdatedAt": created_at if subscribed else None},
        "defaultAddress": address, "addresses": [address], "addressesV2": [address],
        "dataSaleOptOut": False, "canDelete": False, "lifetimeDuration": "about 1 year",
        "productSubscriberStatus": "NEVER_SUBSCRIBED",
        # Not tallied over the orders yet: what a new customer shows.
        "amountSpent": {"amount": "0.0", "currencyCode": profile.currency}, "numberOfOrders": "0",
        "statistics": {"predictedSpendTier": None},
        "mergeable": {"isMergeable": True, "reason": None, "errorFields": [], "mergeInProgress": None},
        "image": {"url": f"https://cdn.shopify.com/s/images/avatar/{customer.index % 20}.png", "altText": None,
                  "id": None, "width": 100, "height": 100, "metafields": []},
        "companyContactProfiles": [], "events": [], "metafields": [], "orders": [], "paymentMethods": [],
        "storeCreditAccounts": [], "subscriptionContracts": [],
    }
