"""What the customer sync reads for others: which of its settings and links name a ledger customer
(registered with core.in_use, so the ledger refuses to delete a customer still in use)."""
from __future__ import annotations

from collections.abc import Collection

from django.db.models import Count

from core.sentences import joined
from merchants.models import Merchant
from syncjobs.customers.models import CountryDefaultCustomer, CustomerLink

SHOP_CARD_CUSTOMERS = {"default_customer_no": "default customer", "customer_template_no": "customer template"}


def customer_uses(merchant_id: int, numbers: Collection[str]) -> list[str]:
    """One sentence per use of the ledger customers `numbers` of the shop: the shop card's default
    customer and customer template, its default customers per country, the Shopify customers linked
    to them. Three queries, however many customers and links."""
    numbers = set(numbers)
    uses = []
    card = Merchant.objects.filter(pk=merchant_id).values("code", *SHOP_CARD_CUSTOMERS).first()
    if card is not None:
        for field, role in SHOP_CARD_CUSTOMERS.items():
            if card[field] in numbers:
                uses.append(f"customer {card[field]} is the {role} on the shop card of {card['code']}")
    countries: dict[str, list[str]] = {}
    for country, number in CountryDefaultCustomer.objects.filter(
            merchant_id=merchant_id, customer_no__in=numbers).order_by("customer_no", "country").values_list(
            "country", "customer_no"):
        countries.setdefault(number, []).append(country)
    uses += [f"customer {number} is the default customer for {joined(codes)} (the shop card's default customer "
             "per country)" for number, codes in countries.items()]
    linked = CustomerLink.objects.filter(merchant_id=merchant_id, customer_no__in=numbers).values(
        "customer_no").annotate(links=Count("pk")).order_by("customer_no")
    uses += [f"{row['links']} Shopify customer{' is' if row['links'] == 1 else 's are'} linked to customer "
             f"{row['customer_no']} (customer links)" for row in linked]
    return uses
