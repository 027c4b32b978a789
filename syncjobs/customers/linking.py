"""Keeping the links between imported Shopify customers and ledger customers: new and unmapped ones
are mapped (syncjobs.customers.mapping), and a ledger customer created from Shopify takes the
Shopify customer's later changes. Batches throughout: a few queries per batch, none per customer."""
from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field, replace
from typing import Iterator

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from connectors.shopify.models import ShopifyCustomer
from core.batches import in_batches
from merchants.models import CustomerImport
from syncjobs.customers.mapping import ShopifyParty, map_parties
from syncjobs.customers.models import CountryDefaultCustomer, CustomerLink, Direction, MappedBy

BATCH = 500


@dataclass
class LinkCounts:
    read: int = 0
    created: int = 0        # ledger customers created from Shopify customers
    mapped: int = 0         # linked to an existing ledger customer
    defaulted: int = 0      # of which to a default customer (the shop's or its country's)
    updated: int = 0        # ledger customers that took a Shopify change
    unmapped: list[tuple[str, str, str]] = field(default_factory=list)   # (gid, name, why)
    handled: set[str] = field(default_factory=set, repr=False)   # GIDs linked in this run: once is enough


def party_of(row: ShopifyCustomer) -> ShopifyParty:
    name = " ".join(part for part in (row.first_name, row.last_name) if part) or row.company or row.address_name
    return ShopifyParty(gid=row.shopify_gid, name=name, email=row.email_normalized, phone=row.phone_e164,
                        address=row.address1, address_2=row.address2, city=row.city, post_code=row.zip,
                        county=row.province_code, country=row.country_code, tax_exempt=row.tax_exempt)


def pending(merchant):
    """Imported customers whose link needs work: none yet, unmapped, or created from Shopify and
    changed there since."""
    links = CustomerLink.objects.filter(merchant=merchant, shopify_gid=OuterRef("shopify_gid"))
    return ShopifyCustomer.objects.filter(merchant=merchant).filter(
        ~Exists(links) | Exists(links.filter(customer_no="")) |
        Exists(links.filter(direction=Direction.FROM_SHOPIFY, updated_at__lt=OuterRef("updated_at"))))


_counting: ContextVar[LinkCounts | None] = ContextVar("customer_link_counts", default=None)


@contextmanager
def counting_links() -> Iterator[LinkCounts]:
    """Every link made in the block, also by the importers' listener, counted in one place (a run's)."""
    counts = LinkCounts()
    token = _counting.set(counts)
    try:
        yield counts
    finally:
        _counting.reset(token)


def link_customers(merchant, *, target, rows=None) -> LinkCounts:
    """Map what is pending (or just `rows`), BATCH customers at a time."""
    counts = _counting.get() or LinkCounts()
    for batch in in_batches(rows, pending(merchant) if rows is None else None, BATCH):
        batch = [row for row in batch if row.shopify_gid not in counts.handled]
        if batch:
            _link_batch(merchant, batch, target=target, counts=counts)
    return counts


def _link_batch(merchant, batch: list[ShopifyCustomer], *, target, counts: LinkCounts) -> None:
    counts.read += len(batch)
    counts.handled.update(row.shopify_gid for row in batch)
    links = {link.shopify_gid: link for link in CustomerLink.objects.filter(
        merchant=merchant, shopify_gid__in=[row.shopify_gid for row in batch])}
    parties = {row.shopify_gid: party_of(row) for row in batch}
    names = {row.shopify_gid: str(row) for row in batch}
    to_map = [parties[gid] for gid in parties if gid not in links or not links[gid].customer_no]
    following = [gid for gid in parties if gid in links and links[gid].customer_no
                 and links[gid].direction == Direction.FROM_SHOPIFY]
    now = timezone.now()
    with transaction.atomic():
        mappings = map_parties(merchant, to_map, target=target) if to_map else {}
        new, changed = [], []
        for gid, mapping in mappings.items():
            link = links.get(gid) or CustomerLink(merchant=merchant, shopify_gid=gid)
            link.customer_no, link.mapped_by, link.direction = mapping.customer_no, mapping.mapped_by, mapping.direction
            link.unmapped_reason, link.mapped_at = mapping.reason, now if mapping.customer_no else None
            link.synced_hash = _hash(parties[gid]) if mapping.direction == Direction.FROM_SHOPIFY else ""
            link.updated_at = now
            (changed if link.pk else new).append(link)
            if not mapping.customer_no:
                counts.unmapped.append((gid, names[gid], mapping.reason))
            elif mapping.direction == Direction.FROM_SHOPIFY:
                counts.created += 1
            else:
                counts.mapped += 1
                if mapping.mapped_by in (MappedBy.COUNTRY_DEFAULT, MappedBy.DEFAULT_CUSTOMER):
                    counts.defaulted += 1
        counts.updated += _follow_shopify(merchant, [links[gid] for gid in following], parties, target=target,
                                          now=now, changed=changed)
        CustomerLink.objects.bulk_create(new)
        CustomerLink.objects.bulk_update(changed, ["customer_no", "mapped_by", "direction", "unmapped_reason",
                                                   "mapped_at", "synced_hash", "updated_at"])


def _follow_shopify(merchant, links: list[CustomerLink], parties: dict[str, ShopifyParty], *, target, now,
                    changed: list[CustomerLink]) -> int:
    """Ledger customers created from Shopify take what changed there (never the other way round)."""
    moved = [link for link in links if link.synced_hash != _hash(parties[link.shopify_gid])]
    for link in links:
        link.updated_at = now
        changed.append(link)
    if not moved:
        return 0
    current = target.get_customers(merchant, [link.customer_no for link in moved])
    records = []
    for link in moved:
        known = current.get(link.customer_no)
        if known is None:
            continue
        fresh = parties[link.shopify_gid].as_customer(tax_liable=known.tax_liable)
        records.append(replace(fresh, number=known.number, blocked=known.blocked))
        link.synced_hash = _hash(parties[link.shopify_gid])
    return len(target.update_customers(merchant, records)) if records else 0


def _hash(party: ShopifyParty) -> str:
    return hashlib.sha256(json.dumps(asdict(party), sort_keys=True).encode()).hexdigest()


def unmapped_links(merchants):
    """The role center's "Unmapped customers": links without a customer, of shops whose orders become
    documents (in a daily-summary shop the customer does not matter)."""
    return CustomerLink.objects.filter(customer_no="", merchant__in=merchants, merchant__posting_mode="documents")


def customer_of_order(order) -> tuple[str, str]:
    """(ledger customer no., why not) of an imported order's buyer: what a sales document of the
    order will be made out to, or why it cannot be yet."""
    return customers_of_orders(order.merchant, [order])[order.pk]


# Who decides the customer of some orders before the Shopify customer's link does: functions
# (merchant, orders) -> {order key: (ledger customer no., why not)} for the orders they decide (a
# B2B order is sold to its company location's customer). Filled at start-up (register_order_buyers).
ORDER_BUYERS: list = []


def register_order_buyers(decide) -> None:
    if decide not in ORDER_BUYERS:
        ORDER_BUYERS.append(decide)


def customers_of_orders(merchant, orders) -> dict[int, tuple[str, str]]:
    """(ledger customer no., why not) of each order's buyer, by the order's key, in two queries
    whatever their number. Business Central's order: the Shopify customer's link (which already
    applied the country's default customer and the card's mapping); for an order without a Shopify
    customer, or a shop that imports none, the default customer of the order's country, then the
    shop's default customer. A B2B order goes by its company location first (ORDER_BUYERS)."""
    decided: dict[int, tuple[str, str]] = {}
    for decide in ORDER_BUYERS:
        decided.update(decide(merchant, [order for order in orders if order.pk not in decided]))
    orders = [order for order in orders if order.pk not in decided]
    gids = {order.customer_gid for order in orders if order.customer_gid}
    links = {gid: (no, why) for gid, no, why in CustomerLink.objects.filter(
        merchant=merchant, shopify_gid__in=gids).values_list("shopify_gid", "customer_no", "unmapped_reason")}
    countries = dict(CountryDefaultCustomer.objects.filter(merchant=merchant).values_list("country", "customer_no"))
    found = {}
    for order in orders:
        by_default = not order.customer_gid or merchant.customer_import == CustomerImport.NONE
        if not by_default:
            no, why = links.get(order.customer_gid, ("", "the order's customer is not imported (customer import "
                                                         "is none, or the sync has not run)"))
            found[order.pk] = (no, "" if no else why)
            continue
        country = order.bill_to_country_code or order.ship_to_country_code
        if country in countries:
            found[order.pk] = (countries[country], "")
        elif merchant.default_customer_no:
            found[order.pk] = (merchant.default_customer_no, "")
        else:
            who = "the order has no customer in Shopify" if not order.customer_gid else \
                "the shop card imports no customers"
            found[order.pk] = ("", f"{who} and no default customer is set on the shop card")
    return {**found, **decided}
