"""What the customer links' admin actions do: map again, or create the ledger customers."""
from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from connectors.ledger.target import target_for
from connectors.shopify.models import ShopifyCustomer
from syncjobs.customers.linking import LinkCounts, link_customers, party_of
from syncjobs.customers.models import CustomerLink, Direction, MappedBy


@dataclass(frozen=True)
class Outcome:
    """What an action did with the selected links: `counts` of those it worked on, and how many were
    mapped already, so left as they are."""
    counts: LinkCounts
    already_mapped: int


def retry(links) -> Outcome:
    """Map the selected unmapped links again with the shop card's rules (a link already mapped is
    left as it is)."""
    already_mapped = links.exclude(customer_no="").count()   # before this maps any
    total = LinkCounts()
    for merchant_id in set(links.values_list("merchant_id", flat=True)):
        chosen = links.filter(merchant_id=merchant_id, customer_no="")
        rows = list(ShopifyCustomer.objects.filter(merchant_id=merchant_id,
                                                   shopify_gid__in=chosen.values("shopify_gid")))
        if not rows:
            continue
        counts = link_customers(rows[0].merchant, target=target_for(rows[0].merchant), rows=rows)
        total.read += counts.read
        total.mapped += counts.mapped
        total.created += counts.created
        total.unmapped += counts.unmapped
    return Outcome(total, already_mapped)


def create_from_shopify(links) -> Outcome:
    """A ledger customer for each selected unmapped link, from its Shopify customer, whatever the
    card's auto-create setting (someone chose to); the link then follows Shopify's changes."""
    already_mapped = links.exclude(customer_no="").count()   # before this maps any
    total = LinkCounts()
    for merchant_id in set(links.values_list("merchant_id", flat=True)):
        chosen = {link.shopify_gid: link for link in links.filter(merchant_id=merchant_id, customer_no="")}
        rows = list(ShopifyCustomer.objects.filter(merchant_id=merchant_id, shopify_gid__in=list(chosen)))
        if not rows:
            continue
        merchant = rows[0].merchant
        with transaction.atomic():
            customers = target_for(merchant).create_customers(
                merchant, [party_of(row).as_customer(tax_liable=True) for row in rows])
            now = timezone.now()
            for row, customer in zip(rows, customers):
                link = chosen[row.shopify_gid]
                link.customer_no, link.mapped_by, link.direction = customer.number, MappedBy.CREATED, \
                    Direction.FROM_SHOPIFY
                link.unmapped_reason, link.mapped_at, link.updated_at = "", now, now
            CustomerLink.objects.bulk_update(chosen.values(), ["customer_no", "mapped_by", "direction",
                                                              "unmapped_reason", "mapped_at", "updated_at"])
        total.created += len(customers)
    return Outcome(total, already_mapped)
