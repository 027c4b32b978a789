"""What the company links' admin actions do: map again, or create the ledger customers."""
from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from connectors.ledger.target import target_for
from connectors.shopify.models import ShopifyCompanyLocation
from syncjobs.companies.linking import LinkCounts, link_locations, parties_of, party_hash
from syncjobs.companies.models import CompanyLink, Direction, MappedBy


@dataclass(frozen=True)
class Outcome:
    """What an action did with the selected links: `counts` of those it worked on, how many were
    mapped already (left as they are), and how many name a location Shopify no longer has."""
    counts: LinkCounts
    already_mapped: int
    gone: int = 0


def _chosen_locations(links, merchant_id: int) -> tuple[dict[str, CompanyLink], list[ShopifyCompanyLocation]]:
    chosen = {link.company_location_gid: link for link in links.filter(merchant_id=merchant_id, customer_no="")}
    rows = list(ShopifyCompanyLocation.objects.filter(merchant_id=merchant_id, shopify_gid__in=list(chosen))
                .select_related("company", "merchant").order_by("pk"))
    return chosen, rows


def map_again(links) -> Outcome:
    """Map the selected unmapped links again with the shop card's rules (a link already mapped is
    left as it is)."""
    already_mapped = links.exclude(customer_no="").count()   # before this maps any
    total, gone = LinkCounts(), 0
    for merchant_id in sorted(set(links.values_list("merchant_id", flat=True))):
        chosen, rows = _chosen_locations(links, merchant_id)
        gone += len(chosen) - len(rows)
        if rows:
            merchant = rows[0].merchant
            total.add(link_locations(merchant, target=target_for(merchant), rows=rows))
    return Outcome(total, already_mapped, gone)


def create_from_shopify(links) -> Outcome:
    """A ledger customer for each selected unmapped link, from its company location, whatever the
    card's auto-create setting (someone chose to); the link then follows Shopify's changes."""
    already_mapped = links.exclude(customer_no="").count()   # before this maps any
    total, gone = LinkCounts(), 0
    for merchant_id in sorted(set(links.values_list("merchant_id", flat=True))):
        chosen, rows = _chosen_locations(links, merchant_id)
        gone += len(chosen) - len(rows)
        if not rows:
            continue
        merchant = rows[0].merchant
        parties = parties_of(rows)
        with transaction.atomic():
            customers = target_for(merchant).create_customers(merchant, [parties[row.shopify_gid].as_customer()
                                                                         for row in rows])
            now = timezone.now()
            made = []
            for row, customer in zip(rows, customers):
                link = chosen[row.shopify_gid]
                link.customer_no, link.mapped_by, link.direction = customer.number, MappedBy.CREATED, \
                    Direction.FROM_SHOPIFY
                link.unmapped_reason, link.mapped_at, link.updated_at = "", now, now
                link.synced_hash = party_hash(parties[row.shopify_gid])
                made.append(link)
            CompanyLink.objects.bulk_update(made, ["customer_no", "mapped_by", "direction", "unmapped_reason",
                                                   "mapped_at", "updated_at", "synced_hash"])
        total.created += len(customers)
        total.newly_mapped += [row.shopify_gid for row in rows]
    return Outcome(total, already_mapped, gone)


def mapped_by_hand(link: CompanyLink) -> None:
    """A link whose customer someone chose (or cleared) on its page: it no longer follows Shopify, and
    says so. The caller saves it."""
    link.mapped_by = MappedBy.BY_HAND if link.customer_no else ""
    link.direction = Direction.NONE
    link.unmapped_reason = "" if link.customer_no else "mapping removed by hand"
    link.mapped_at = timezone.now() if link.customer_no else None
    link.synced_hash = ""
