"""The ledger's B2B customers sent to Shopify as companies (report 30114's export).

A ledger customer marked "B2B company" that no company location stands for yet becomes a company
in Shopify: its name, its address as the location's billing and shipping address, its tax
registration no., and a main contact when it has an email. The company carries the customer no. as
its external ID: connectors.shopify.company_export looks that up before creating, so a create whose
answer was lost never makes two companies, and mapping (syncjobs.companies.mapping) knows the
company again when the import brings it back. Created once: later changes of the ledger customer
are not sent (the link's hash records what was sent).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

from django.utils import timezone

from connectors.ledger.records import CustomerData
from connectors.shopify.client import ShopifyClient
from connectors.shopify.company_export import CompanyDraft, create_companies
from core.contacts import e164_phone, normalized_email
from syncjobs.companies.linking import LINK_FIELDS
from syncjobs.companies.models import CompanyLink, Direction, MappedBy

BATCH = 50


@dataclass
class ExportCounts:
    considered: int = 0      # B2B customers no company location stood for
    created: int = 0
    locations: list[str] = field(default_factory=list)              # the created companies' location GIDs
    failed: list[tuple[str, str]] = field(default_factory=list)    # (customer no., why)


def company_draft(customer: CustomerData) -> CompanyDraft:
    return CompanyDraft(
        external_id=customer.number, name=customer.name, email=normalized_email(customer.email),
        phone=e164_phone(customer.phone, customer.country), first_name="", last_name="",
        address1=customer.address, address2=customer.address_2, city=customer.city, zip=customer.post_code,
        province_code=customer.county, country_code=customer.country,
        tax_registration_id=customer.tax_registration_no)


def customers_to_export(merchant, *, target) -> list[str]:
    """The ledger's B2B customers (not blocked) no company location is linked to, but the default
    company (it stands for many companies)."""
    linked = set(CompanyLink.objects.filter(merchant=merchant).exclude(customer_no="")
                 .values_list("customer_no", flat=True))
    return [number for number in target.b2b_customer_numbers(merchant)
            if number not in linked and number != merchant.default_company_no]


def export_companies(merchant, *, target, client: ShopifyClient, numbers: list[str] | None = None) -> ExportCounts:
    counts = ExportCounts()
    numbers = customers_to_export(merchant, target=target) if numbers is None else numbers
    counts.considered = len(numbers)
    for start in range(0, len(numbers), BATCH):
        customers = target.get_customers(merchant, numbers[start:start + BATCH])
        drafts = [company_draft(customer) for customer in customers.values()]
        if drafts:
            _export_batch(merchant, client, drafts, counts)
    return counts


def _export_batch(merchant, client: ShopifyClient, drafts: list[CompanyDraft], counts: ExportCounts) -> None:
    hashes = {draft.external_id: hashlib.sha256(json.dumps(asdict(draft), sort_keys=True).encode()).hexdigest()
              for draft in drafts}
    now = timezone.now()
    links = []
    for made in create_companies(merchant=merchant, client=client, drafts=drafts):
        if made.error or not made.location_gid:
            # The connector's error is a sentence of its own ("Shopify refused the company: …").
            counts.failed.append((made.external_id, made.error if made.error else
                                  "Shopify made the company without a location"))
            continue
        counts.created += 1
        counts.locations.append(made.location_gid)
        links.append(CompanyLink(
            merchant=merchant, company_location_gid=made.location_gid, company_gid=made.company_gid,
            customer_no=made.external_id, mapped_by=MappedBy.EXPORTED, direction=Direction.TO_SHOPIFY,
            unmapped_reason="", synced_hash=hashes.get(made.external_id, ""), mapped_at=now, updated_at=now))
    # The import's listener may have linked a created location already (by its external ID): same link.
    CompanyLink.objects.bulk_create(links, update_conflicts=True, unique_fields=["merchant", "company_location_gid"],
                                    update_fields=LINK_FIELDS)
