"""Keeping the links between imported Shopify company locations and ledger customers: new and
unmapped ones are mapped (syncjobs.companies.mapping), and a ledger customer created from a location
takes the location's (and its company's) later changes. Batches throughout: a few queries per batch,
none per location. Also who a B2B order is sold to (registered with the customer sync's order
buyers at start-up)."""
from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field, replace
from typing import Iterator

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from connectors.shopify.models import ShopifyCompanyLocation, ShopifyOrder
from core.batches import in_batches
from core.contacts import normalized_email
from merchants.models import CustomerImport
from syncjobs.companies.mapping import CompanyParty, map_locations
from syncjobs.companies.models import CompanyLink, Direction, MappedBy

BATCH = 500
LINK_FIELDS = ["company_gid", "customer_no", "mapped_by", "direction", "unmapped_reason", "mapped_at", "synced_hash",
               "updated_at"]


@dataclass
class LinkCounts:
    read: int = 0
    created: int = 0        # ledger customers created from company locations
    mapped: int = 0         # linked to an existing ledger customer
    defaulted: int = 0      # of which to the shop's default company
    exported: int = 0       # of which to the ledger customer the company was exported from
    updated: int = 0        # ledger customers that took a Shopify change
    unmapped: list[tuple[str, str, str]] = field(default_factory=list)   # (location gid, name, why)
    newly_mapped: list[str] = field(default_factory=list)   # location GIDs that got a customer in this run
    handled: set[str] = field(default_factory=set, repr=False)   # GIDs linked in this run: once is enough

    def add(self, other: LinkCounts) -> None:
        for name in ("read", "created", "mapped", "defaulted", "exported", "updated"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.unmapped += other.unmapped
        self.newly_mapped += other.newly_mapped


def party_of(location: ShopifyCompanyLocation, *, siblings: int = 1) -> CompanyParty:
    """The location as mapping reads it; `siblings`: how many locations its company has."""
    company = location.company
    name = company.name if siblings <= 1 or not location.name else f"{company.name} — {location.name}"
    return CompanyParty(
        location_gid=location.shopify_gid, company_gid=company.shopify_gid, name=name,
        email=normalized_email(company.main_contact_email), phone=company.main_contact_phone,
        address=location.bill_to_address1, address_2=location.bill_to_address2, city=location.bill_to_city,
        post_code=location.bill_to_zip, county=location.bill_to_province_code, country=location.bill_to_country_code,
        tax_id=location.tax_registration_id, tax_exempt=location.tax_exempt, external_id=company.external_id)


def parties_of(locations: list[ShopifyCompanyLocation]) -> dict[str, CompanyParty]:
    """Each location's party by GID (locations read with their company), in one query."""
    siblings = dict(ShopifyCompanyLocation.objects.filter(company_id__in={row.company_id for row in locations})
                    .values("company_id").annotate(n=Count("pk")).order_by().values_list("company_id", "n"))
    return {row.shopify_gid: party_of(row, siblings=siblings.get(row.company_id, 1)) for row in locations}


def pending(merchant):
    """Imported locations whose link needs work: none yet or unmapped (with company import "with
    order import", only those an imported order was placed for), or created from Shopify and changed
    there since. None with company import "none"."""
    locations = ShopifyCompanyLocation.objects.filter(merchant=merchant).select_related("company")
    if merchant.company_import == CustomerImport.NONE:
        return locations.none()
    links = CompanyLink.objects.filter(merchant=merchant, company_location_gid=OuterRef("shopify_gid"))
    waiting = ~Exists(links) | Exists(links.filter(customer_no=""))
    if merchant.company_import == CustomerImport.WITH_ORDER_IMPORT:
        waiting &= Exists(ShopifyOrder.objects.filter(merchant=merchant, company_location_gid=OuterRef("shopify_gid")))
    moved = Exists(links.filter(direction=Direction.FROM_SHOPIFY).exclude(customer_no="").filter(
        Q(updated_at__lt=OuterRef("updated_at")) | Q(updated_at__lt=OuterRef("company__updated_at"))))
    return locations.filter(waiting | moved)


_counting: ContextVar[LinkCounts | None] = ContextVar("company_link_counts", default=None)


@contextmanager
def counting_links() -> Iterator[LinkCounts]:
    """Every link made in the block, also by the importer's listener, counted in one place (a run's)."""
    counts = LinkCounts()
    token = _counting.set(counts)
    try:
        yield counts
    finally:
        _counting.reset(token)


def link_locations(merchant, *, target, rows=None) -> LinkCounts:
    """Map what is pending (or just `rows`, locations read with their company), BATCH at a time."""
    counts = _counting.get() or LinkCounts()
    for batch in in_batches(rows, pending(merchant) if rows is None else None, BATCH):
        batch = [row for row in batch if row.shopify_gid not in counts.handled]
        if batch:
            _link_batch(merchant, batch, target=target, counts=counts)
    return counts


def _link_batch(merchant, batch: list[ShopifyCompanyLocation], *, target, counts: LinkCounts) -> None:
    counts.read += len(batch)
    counts.handled.update(row.shopify_gid for row in batch)
    links = {link.company_location_gid: link for link in CompanyLink.objects.filter(
        merchant=merchant, company_location_gid__in=[row.shopify_gid for row in batch])}
    parties = parties_of(batch)
    to_map = [parties[gid] for gid in parties if gid not in links or not links[gid].customer_no]
    following = [links[gid] for gid in parties if gid in links and links[gid].customer_no
                 and links[gid].direction == Direction.FROM_SHOPIFY]
    now = timezone.now()
    with transaction.atomic():
        mappings = map_locations(merchant, to_map, target=target) if to_map else {}
        new, changed = [], []
        for gid, mapping in mappings.items():
            link = links.get(gid) or CompanyLink(merchant=merchant, company_location_gid=gid)
            link.company_gid = parties[gid].company_gid
            link.customer_no, link.mapped_by, link.direction = mapping.customer_no, mapping.mapped_by, mapping.direction
            link.unmapped_reason, link.mapped_at = mapping.reason, now if mapping.customer_no else None
            link.synced_hash = party_hash(parties[gid]) if mapping.direction == Direction.FROM_SHOPIFY else ""
            link.updated_at = now
            (changed if link.pk else new).append(link)
            _count(counts, gid, parties[gid].name, mapping)
        counts.updated += _follow_shopify(merchant, following, parties, target=target, now=now, changed=changed)
        CompanyLink.objects.bulk_create(new, batch_size=BATCH)
        CompanyLink.objects.bulk_update(changed, LINK_FIELDS, batch_size=BATCH)


def _count(counts: LinkCounts, gid: str, name: str, mapping) -> None:
    if not mapping.customer_no:
        counts.unmapped.append((gid, name, mapping.reason))
        return
    counts.newly_mapped.append(gid)
    if mapping.mapped_by == MappedBy.CREATED:
        counts.created += 1
        return
    counts.mapped += 1
    if mapping.mapped_by == MappedBy.DEFAULT_COMPANY:
        counts.defaulted += 1
    elif mapping.mapped_by == MappedBy.EXPORTED:
        counts.exported += 1


def _follow_shopify(merchant, links: list[CompanyLink], parties: dict[str, CompanyParty], *, target, now,
                    changed: list[CompanyLink]) -> int:
    """Ledger customers created from a location take what changed there (never the other way round);
    what the ledger alone holds (its price list, blocked) stays."""
    moved = [link for link in links if link.synced_hash != party_hash(parties[link.company_location_gid])]
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
        fresh = parties[link.company_location_gid].as_customer()
        records.append(replace(fresh, number=known.number, blocked=known.blocked,
                               price_list_code=known.price_list_code))
        link.synced_hash = party_hash(parties[link.company_location_gid])
    return len(target.update_customers(merchant, records)) if records else 0


def party_hash(party: CompanyParty) -> str:
    return hashlib.sha256(json.dumps(asdict(party), sort_keys=True).encode()).hexdigest()


def unmapped_links(merchants):
    """The role center's "Unmapped companies": links without a customer, of every shop (a company's
    customer prices its catalog even where orders are posted as a daily summary)."""
    return CompanyLink.objects.filter(customer_no="", merchant__in=merchants)


def customers_of_b2b_orders(merchant, orders) -> dict[int, tuple[str, str]]:
    """(ledger customer no., why not) of each B2B order (one placed for a company location), by its
    key, in two queries whatever their number: its location's customer. With company import "none"
    a location syncsite has not linked goes to the shop's default company; where the card names none
    either, the shop leaves companies alone and the order goes by its buyer, as before B2B (absent
    from the answer, like the orders of consumers, for the customer sync to decide)."""
    b2b = [order for order in orders if order.company_location_gid]
    if not b2b:
        return {}
    gids = {order.company_location_gid for order in b2b}
    links = {gid: (no, why) for gid, no, why in CompanyLink.objects.filter(
        merchant=merchant, company_location_gid__in=gids).values_list("company_location_gid", "customer_no",
                                                                       "unmapped_reason")}
    imported = set(ShopifyCompanyLocation.objects.filter(merchant=merchant, shopify_gid__in=gids - set(links))
                   .values_list("shopify_gid", flat=True)) if gids - set(links) else set()
    decided = {}
    for order in b2b:
        gid = order.company_location_gid
        number, why = links.get(gid, ("", ""))
        if number:
            decided[order.pk] = (number, "")
        elif merchant.company_import == CustomerImport.NONE:
            if merchant.default_company_no:
                decided[order.pk] = (merchant.default_company_no, "")
        elif gid in links:
            decided[order.pk] = ("", f"the order's company location is not mapped: {why}" if why else
                                 "the order's company location is not mapped to a ledger customer")
        elif gid in imported:
            decided[order.pk] = ("", "the order's company location is not linked to a ledger customer yet: Sync "
                                     "companies links it")
        else:
            decided[order.pk] = ("", "the order's company is not imported yet: Sync companies imports it")
    return decided
