"""Shopify B2B company JSON (the CompanyFields fragment, its nested lists read to the end) ->
imported company, company location and company contact rows, upserted in batches keyed by GID.

One call takes a batch and makes a fixed number of queries whatever its size: three to read what
is held of the batch's companies, then one upsert per table, one read of the companies' ids and one
delete per child table. A company is written again when anything of it changed (its own fields, a
location's or a contact's, one gone or added), so nothing depends on which changes Shopify counts in
a company's updatedAt; its locations and contacts no longer listed are deleted. A payload that
cannot be read fails alone, with its reason; the rest of the batch goes in.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from connectors.shopify.importers.counts import ImportCounts
from connectors.shopify.importers.upserts import PayloadError, payload_time, upsert_batch
from connectors.shopify.models import ShopifyCompany, ShopifyCompanyContact, ShopifyCompanyLocation
from connectors.shopify.signals import companies_imported
from core.contacts import e164_phone, normalized_email

# Written again when a company changed; imported_at (when first read) is kept.
COMPANY_FIELDS = [
    "name", "external_id", "note", "main_contact_gid", "main_contact_customer_gid", "main_contact_name",
    "main_contact_email", "main_contact_phone", "created_at", "shopify_updated_at",
]
ADDRESS_FIELDS = ["address1", "address2", "city", "zip", "province_code", "country_code", "recipient"]
LOCATION_FIELDS = [
    "shopify_gid", "name", "external_id", "phone", "locale", "currency", "tax_registration_id", "tax_exempt",
    "payment_terms", "payment_terms_days", *(f"bill_to_{part}" for part in ADDRESS_FIELDS),
    *(f"ship_to_{part}" for part in ADDRESS_FIELDS), "created_at", "shopify_updated_at",
]
CONTACT_FIELDS = ["shopify_gid", "customer_gid", "name", "email", "phone", "title", "is_main_contact", "roles"]


class CompanyPayloadError(PayloadError):
    pass


@dataclass
class ParsedCompany:
    """One company's rows as column dicts (the children without their company, known once written)."""

    row: dict
    locations: list[dict] = field(default_factory=list)
    contacts: list[dict] = field(default_factory=list)

    def shape(self) -> tuple:
        """What decides whether the company changed: its row and its children's, in GID order."""
        return (self.row, sorted(self.locations, key=_by_gid), sorted(self.contacts, key=_by_gid))


def _by_gid(row: dict) -> str:
    return row["shopify_gid"]


# Reading ----------------------------------------------------------------------------------------

def _text(value, limit: int) -> str:
    return str(value or "").strip()[:limit]


def _gid(value, kind: str) -> str:
    if not isinstance(value, str) or not value.startswith(f"gid://shopify/{kind}/"):
        raise CompanyPayloadError(f"{value!r} is not a {kind} ID")
    return value


def _nodes(connection, what: str) -> list[dict]:
    """The nodes of a nested list the caller read to the end (a company's locations, contacts)."""
    if not isinstance(connection, dict) or not isinstance(connection.get("nodes"), list):
        raise CompanyPayloadError(f"its {what} are missing")
    if (connection.get("pageInfo") or {}).get("hasNextPage"):
        # Never write part of them: the rest would be taken as gone and deleted.
        raise CompanyPayloadError(f"its {what} were not read to the end")
    return connection["nodes"]


def parse_company(payload: dict, *, shop_country: str) -> ParsedCompany:
    """A company's rows: itself (its main contact's name, email and phone copied on it), its
    locations and its contacts, emails lower-cased and phones in E.164 (a number without + read in
    `shop_country`, as customers' are)."""
    gid = _gid(payload["id"], "Company")
    main = payload.get("mainContact") or {}
    main_customer = main.get("customer") or {}
    parsed = ParsedCompany({
        "shopify_gid": gid, "name": _text(payload.get("name"), 255),
        "external_id": _text(payload.get("externalId"), 64), "note": str(payload.get("note") or ""),
        "main_contact_gid": _text(main.get("id"), 64), "main_contact_customer_gid": _text(main_customer.get("id"), 64),
        "main_contact_name": _text(main_customer.get("displayName"), 255),
        "main_contact_email": normalized_email(main_customer.get("email"))[:254],
        "main_contact_phone": e164_phone(main_customer.get("phone"), shop_country),
        "created_at": payload_time(payload.get("createdAt")),
        "shopify_updated_at": payload_time(payload.get("updatedAt")),
    })
    parsed.locations = [_location(node) for node in _nodes(payload.get("locations"), "locations")]
    parsed.contacts = [_contact(node, main.get("id"), shop_country)
                       for node in _nodes(payload.get("contacts"), "contacts")]
    return parsed


def _location(node: dict) -> dict:
    taxes = node.get("taxSettings") or {}
    terms = (node.get("buyerExperienceConfiguration") or {}).get("paymentTermsTemplate") or {}
    days = terms.get("dueInDays")
    return {
        "shopify_gid": _gid(node.get("id"), "CompanyLocation"), "name": _text(node.get("name"), 255),
        "external_id": _text(node.get("externalId"), 64), "phone": _text(node.get("phone"), 64),
        "locale": _text(node.get("locale"), 16), "currency": _text(node.get("currency"), 3),
        "tax_registration_id": _text(taxes.get("taxRegistrationId"), 64), "tax_exempt": bool(taxes.get("taxExempt")),
        "payment_terms": _text(terms.get("name"), 64),
        "payment_terms_days": int(days) if isinstance(days, int) and days >= 0 else None,
        **_address(node.get("billingAddress"), "bill_to"), **_address(node.get("shippingAddress"), "ship_to"),
        "created_at": payload_time(node.get("createdAt")), "shopify_updated_at": payload_time(node.get("updatedAt")),
    }


def _address(address: dict | None, prefix: str) -> dict:
    """The `prefix`_ columns of a location's address: blank where it has none."""
    address = address or {}
    named = " ".join(part for part in (_text(address.get("firstName"), 255), _text(address.get("lastName"), 255))
                     if part)
    return {
        f"{prefix}_address1": _text(address.get("address1"), 255),
        f"{prefix}_address2": _text(address.get("address2"), 255),
        f"{prefix}_city": _text(address.get("city"), 255), f"{prefix}_zip": _text(address.get("zip"), 32),
        f"{prefix}_province_code": _text(address.get("zoneCode"), 16),
        f"{prefix}_country_code": _text(address.get("countryCode"), 2),
        f"{prefix}_recipient": (_text(address.get("recipient"), 255) or named)[:255],
    }


def _contact(node: dict, main_contact_gid: str | None, shop_country: str) -> dict:
    gid = _gid(node.get("id"), "CompanyContact")
    customer = node.get("customer") or {}
    roles = {}
    for assignment in _nodes(node.get("roleAssignments"), "contact's roles"):
        location = _gid((assignment.get("companyLocation") or {}).get("id"), "CompanyLocation")
        roles[location] = _text((assignment.get("role") or {}).get("name"), 255)
    return {
        "shopify_gid": gid, "customer_gid": _text(customer.get("id"), 64),
        "name": _text(customer.get("displayName"), 255), "email": normalized_email(customer.get("email"))[:254],
        "phone": e164_phone(customer.get("phone"), shop_country), "title": _text(node.get("title"), 255),
        "is_main_contact": bool(node.get("isMainContact")) or gid == main_contact_gid, "roles": roles,
    }


# Writing ----------------------------------------------------------------------------------------

def import_companies(*, merchant, payloads: list[dict], shop_country: str) -> ImportCounts:
    """Upsert a batch of companies (each the CompanyFields fragment with its locations, contacts and
    their roles read to the end). New companies are inserted, changed ones written again with their
    locations and contacts (those no longer listed deleted), the rest counted as skipped."""
    return upsert_batch(merchant, payloads, what="company", write=_write, payload_error=CompanyPayloadError,
                        parse=lambda payload: parse_company(payload, shop_country=shop_country))


@transaction.atomic
def _write(merchant_id: int, latest: dict[str, ParsedCompany]) -> tuple[int, int]:
    held = {row.pop("shopify_gid"): row for row in ShopifyCompany.objects.filter(
        merchant_id=merchant_id, shopify_gid__in=list(latest)).values("shopify_gid", "id", *COMPANY_FIELDS)}
    held_children: dict[int, ParsedCompany] = {row["id"]: ParsedCompany({}) for row in held.values()}
    for row in ShopifyCompanyLocation.objects.filter(merchant_id=merchant_id, company_id__in=list(held_children)
                                                     ).values("company_id", *LOCATION_FIELDS):
        held_children[row.pop("company_id")].locations.append(row)
    for row in ShopifyCompanyContact.objects.filter(merchant_id=merchant_id, company_id__in=list(held_children)
                                                    ).values("company_id", *CONTACT_FIELDS):
        held_children[row.pop("company_id")].contacts.append(row)

    new, changed = [], []
    for gid, parsed in latest.items():
        if gid not in held:
            new.append(parsed)
            continue
        row = held[gid]
        was = ParsedCompany({"shopify_gid": gid, **{name: row[name] for name in COMPANY_FIELDS}},
                            held_children[row["id"]].locations, held_children[row["id"]].contacts)
        if was.shape() != parsed.shape():
            changed.append(parsed)
    written = [*new, *changed]
    if written:
        _upsert(merchant_id, written)
        companies_imported.send(sender=ShopifyCompany, merchant_id=merchant_id,
                                gids=[parsed.row["shopify_gid"] for parsed in written])
    return len(new), len(changed)


def _upsert(merchant_id: int, companies: list[ParsedCompany]) -> None:
    now = timezone.now()
    ShopifyCompany.objects.bulk_create(
        [ShopifyCompany(merchant_id=merchant_id, imported_at=now, updated_at=now, **parsed.row)
         for parsed in companies],
        batch_size=500, update_conflicts=True, unique_fields=["merchant", "shopify_gid"],
        update_fields=[*COMPANY_FIELDS, "updated_at"])
    ids = dict(ShopifyCompany.objects.filter(merchant_id=merchant_id, shopify_gid__in=[
        parsed.row["shopify_gid"] for parsed in companies]).values_list("shopify_gid", "id"))
    locations, contacts = [], []
    for parsed in companies:
        company_id = ids[parsed.row["shopify_gid"]]
        locations += [ShopifyCompanyLocation(merchant_id=merchant_id, company_id=company_id, updated_at=now, **row)
                      for row in parsed.locations]
        contacts += [ShopifyCompanyContact(merchant_id=merchant_id, company_id=company_id, updated_at=now, **row)
                     for row in parsed.contacts]
    # A location or contact is its company's for good in Shopify; "company" is written all the same.
    ShopifyCompanyLocation.objects.bulk_create(
        locations, batch_size=500, update_conflicts=True, unique_fields=["merchant", "shopify_gid"],
        update_fields=["company", *(name for name in LOCATION_FIELDS if name != "shopify_gid"), "updated_at"])
    ShopifyCompanyContact.objects.bulk_create(
        contacts, batch_size=500, update_conflicts=True, unique_fields=["merchant", "shopify_gid"],
        update_fields=["company", *(name for name in CONTACT_FIELDS if name != "shopify_gid"), "updated_at"])
    # What a written company no longer lists is gone from Shopify.
    written_ids = list(ids.values())
    ShopifyCompanyLocation.objects.filter(merchant_id=merchant_id, company_id__in=written_ids).exclude(
        shopify_gid__in=[row.shopify_gid for row in locations]).delete()
    ShopifyCompanyContact.objects.filter(merchant_id=merchant_id, company_id__in=written_ids).exclude(
        shopify_gid__in=[row.shopify_gid for row in contacts]).delete()
