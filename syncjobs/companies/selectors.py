"""What the company sync reads for others: the customers of company locations (the catalogs price
from them), and which of its settings and links name a ledger customer (registered with
core.in_use, so the ledger refuses to delete a customer still in use)."""
from __future__ import annotations

from collections.abc import Collection

from django.db.models import Count, Q

from merchants.models import Merchant
from syncjobs.companies.models import CompanyLink


def customers_of_locations(merchant, location_gids: Collection[str]) -> dict[str, str]:
    """Company location GID -> the ledger customer it is mapped to (unmapped ones are absent); one
    query."""
    return dict(CompanyLink.objects.filter(merchant=merchant, company_location_gid__in=set(location_gids))
                .exclude(customer_no="").values_list("company_location_gid", "customer_no"))


def company_link_counts(merchant) -> tuple[int, int]:
    """(mapped, unmapped) company links of the shop, in one query."""
    counts = CompanyLink.objects.filter(merchant=merchant).aggregate(
        mapped=Count("pk", filter=~Q(customer_no="")), unmapped=Count("pk", filter=Q(customer_no="")))
    return counts["mapped"], counts["unmapped"]


def customer_uses(merchant_id: int, numbers: Collection[str]) -> list[str]:
    """One sentence per use of the ledger customers `numbers` of the shop: the shop card's default
    company, the company locations linked to them. Two queries, however many customers and links."""
    numbers = set(numbers)
    uses = []
    card = Merchant.objects.filter(pk=merchant_id).values("code", "default_company_no").first()
    if card is not None and card["default_company_no"] in numbers:
        uses.append(f"customer {card['default_company_no']} is the default company on the shop card of "
                    f"{card['code']}")
    linked = CompanyLink.objects.filter(merchant_id=merchant_id, customer_no__in=numbers).values(
        "customer_no").annotate(links=Count("pk")).order_by("customer_no")
    uses += [f"{row['links']} Shopify company location{' is' if row['links'] == 1 else 's are'} linked to customer "
             f"{row['customer_no']} (company links)" for row in linked]
    return uses
