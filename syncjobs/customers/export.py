"""The ledger's own customers sent to Shopify, when the shop card asks (report 30100's export).

Never both ways: a ledger customer that stands for Shopify customers (mapped by email, phone or
bill-to, a default customer, one created from Shopify) is never exported, and a customer exported
from the ledger takes no change from Shopify. Nothing is sent for a customer whose values are those
last sent (a hash on its link), so a second run with nothing changed sends no mutation.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.utils import timezone

from connectors.ledger.records import CustomerData
from connectors.shopify.client import ShopifyClient
from connectors.shopify.customer_export import create_customer, marked_customers, update_customer
from core.contacts import e164_phone, normalized_email
from syncjobs.customers.models import CountryDefaultCustomer, CustomerLink, Direction, MappedBy

BATCH = 50


@dataclass
class ExportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)    # (customer no., why)


def shopify_fields(customer: CustomerData) -> dict:
    """The CustomerInput of a ledger customer: its name split into first and last name at the first
    space, its email and phone as Shopify takes them, its address, tax exemption."""
    first, _, last = customer.name.strip().partition(" ")
    fields = {"firstName": first if last else "", "lastName": last or first,
              "email": normalized_email(customer.email) or None,
              "phone": e164_phone(customer.phone, customer.country) or None,
              "taxExempt": not customer.tax_liable}
    if customer.address or customer.city or customer.country:
        fields["addresses"] = [{"address1": customer.address, "address2": customer.address_2 or None,
                                "city": customer.city, "zip": customer.post_code,
                                "provinceCode": customer.county or None, "countryCode": customer.country or None}]
    return fields


def export_customers(merchant, *, target, client: ShopifyClient) -> ExportCounts:
    counts = ExportCounts()
    if not merchant.export_customers_to_shopify:
        return counts
    links = {link.customer_no: link for link in CustomerLink.objects.filter(merchant=merchant).exclude(customer_no="")
             .order_by("pk")}
    standing_for_shopify = {n for n, link in links.items() if link.direction != Direction.TO_SHOPIFY}
    defaults = {merchant.default_customer_no, merchant.customer_template_no,
                *CountryDefaultCustomer.objects.filter(merchant=merchant).values_list("customer_no", flat=True)}
    numbers = [n for n in target.customer_numbers(merchant) if n not in standing_for_shopify and n not in defaults]
    for start in range(0, len(numbers), BATCH):
        chunk = numbers[start:start + BATCH]
        customers = target.get_customers(merchant, chunk)
        new = [n for n in chunk if n not in links]
        for number, gid in marked_customers(client, new).items():   # created before, the answer lost
            links[number] = _link(merchant, number, gid, synced_hash="")
        for number in chunk:
            _export_one(merchant, client, customers[number], links, counts)
    return counts


def _export_one(merchant, client: ShopifyClient, customer: CustomerData, links: dict, counts: ExportCounts) -> None:
    fields = shopify_fields(customer)
    wanted = hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()
    link = links.get(customer.number)
    if link is not None and link.synced_hash == wanted:
        counts.unchanged += 1
        return
    written = update_customer(client, link.shopify_gid, fields) if link else \
        create_customer(client, customer.number, fields)
    if written.lost:
        counts.failed.append((customer.number, "Shopify's answer to the create was lost; the next run finds "
                                               "whether it was made before trying again"))
    elif written.errors:
        counts.failed.append((customer.number, "Shopify refused it: " + "; ".join(written.errors)))
    elif link is None:
        links[customer.number] = _link(merchant, customer.number, written.gid, synced_hash=wanted)
        counts.created += 1
    else:
        CustomerLink.objects.filter(pk=link.pk).update(synced_hash=wanted, updated_at=timezone.now())
        link.synced_hash = wanted
        counts.updated += 1


def _link(merchant, number: str, gid: str, *, synced_hash: str) -> CustomerLink:
    link, _ = CustomerLink.objects.update_or_create(
        merchant=merchant, shopify_gid=gid,
        defaults={"customer_no": number, "mapped_by": MappedBy.EXPORTED, "direction": Direction.TO_SHOPIFY,
                  "unmapped_reason": "", "synced_hash": synced_hash, "mapped_at": timezone.now()})
    return link
