"""Which ledger customer a Shopify company location is, after Business Central's company mapping, in
batches:

0. a company syncsite exported itself (its external ID is a ledger customer marked "B2B company"):
   that customer, whatever the card says, so a company whose create answer was lost and that the
   import then brings back is never mapped, or created, a second time;
1. with company import "none" or mapping "always the default company": the shop's default company;
2. by email/phone: the one ledger customer with exactly the main contact's email (lower-cased), else
   its phone (E.164); by tax ID: the one with the location's tax registration ID (compared
   normalised). Several: not mapped, and why;
3. not found: created from the location when auto-create unknown companies is on (and import is not
   "none"), else the default company, else not mapped, and why.

Only exact equality counts, as for customers (syncjobs.customers.mapping).
"""
from __future__ import annotations

from dataclasses import dataclass

from connectors.ledger.records import CustomerData
from core.contacts import e164_phone, normalized_email, normalized_tax_id
from merchants.models import CompanyMapping, CustomerImport
from syncjobs.companies.models import Direction, MappedBy


@dataclass(frozen=True)
class CompanyParty:
    """What mapping reads of a Shopify company location, with its company's name and main contact."""
    location_gid: str
    company_gid: str
    name: str              # the company's name, or "company — location" when the company has several
    email: str             # the main contact's, lower-cased
    phone: str             # the main contact's, E.164
    address: str = ""
    address_2: str = ""
    city: str = ""
    post_code: str = ""
    county: str = ""
    country: str = ""
    tax_id: str = ""
    tax_exempt: bool = False
    external_id: str = ""  # the company's

    def as_customer(self) -> CustomerData:
        # Not marked "B2B company": that mark asks Sync companies to create the customer in Shopify, and
        # this one stands for a company Shopify has (a link changed by hand must not export it again).
        return CustomerData(name=self.name[:100] or self.location_gid, email=self.email, phone=self.phone[:30],
                            address=self.address[:100], address_2=self.address_2[:100], city=self.city[:50],
                            post_code=self.post_code[:20], county=self.county[:50], country=self.country,
                            tax_liable=not self.tax_exempt, tax_registration_no=self.tax_id[:30])


@dataclass(frozen=True)
class Mapping:
    """The ledger customer a location maps to ("" when it does not), how, or why not."""
    customer_no: str
    mapped_by: str = ""
    direction: str = Direction.NONE
    reason: str = ""


def map_locations(merchant, parties: list[CompanyParty], *, target) -> dict[str, Mapping]:
    """The mapping of each location, by GID; creates the customers auto-create allows, in one batch."""
    result = _exported(merchant, parties, target=target)
    rest = [party for party in parties if party.location_gid not in result]
    default = merchant.default_company_no
    if merchant.company_import == CustomerImport.NONE or merchant.company_mapping == CompanyMapping.DEFAULT_COMPANY:
        why = "company import is none" if merchant.company_import == CustomerImport.NONE else \
            "the shop card maps every company to the default company"
        result.update({party.location_gid: _default(default, f"{why}, and no default company is set on the shop "
                                                             "card") for party in rest})
        return result
    found = _matched(merchant, rest, target=target)
    result.update({gid: mapping for gid, mapping in found.items() if mapping.customer_no or mapping.reason})
    unknown = [party for party in rest if party.location_gid not in result]
    if unknown and merchant.auto_create_unknown_companies:
        made = target.create_customers(merchant, [party.as_customer() for party in unknown])
        result.update({party.location_gid: Mapping(customer.number, MappedBy.CREATED, Direction.FROM_SHOPIFY)
                       for party, customer in zip(unknown, made)})
    else:
        for party in unknown:
            result[party.location_gid] = _default(default, f"{_not_found(merchant, party)}; auto-create unknown "
                                                           "companies is off and no default company is set on the "
                                                           "shop card")
    return result


def _default(default: str, why: str) -> Mapping:
    return Mapping(default, MappedBy.DEFAULT_COMPANY) if default else Mapping("", reason=why)


def _not_found(merchant, party: CompanyParty) -> str:
    if merchant.company_mapping == CompanyMapping.BY_TAX_ID:
        return "no ledger customer has the location's tax registration ID" if party.tax_id else \
            "the location has no tax registration ID"
    if party.email or party.phone:
        return "no ledger customer has the main contact's email or phone"
    return "the company has no main contact with an email or phone"


def _exported(merchant, parties: list[CompanyParty], *, target) -> dict[str, Mapping]:
    """Locations of companies whose external ID is a ledger customer marked B2B company: the companies
    Sync companies created from those customers (company_export puts the number there)."""
    numbers = {party.external_id for party in parties if party.external_id}
    if not numbers:
        return {}
    b2b = {number for number, customer in target.get_customers(merchant, numbers).items() if customer.b2b_company}
    return {party.location_gid: Mapping(party.external_id, MappedBy.EXPORTED, Direction.TO_SHOPIFY)
            for party in parties if party.external_id in b2b}


def _matched(merchant, parties: list[CompanyParty], *, target) -> dict[str, Mapping]:
    """Locations that match one ledger customer exactly (or several: a reason), by the card's mapping."""
    if not parties:
        return {}
    result = {}
    if merchant.company_mapping == CompanyMapping.BY_TAX_ID:
        wanted = {party.location_gid: normalized_tax_id(party.tax_id) for party in parties}
        if not any(wanted.values()):
            return {}
        by_tax_id: dict[str, list[str]] = {}
        for customer in target.find_customers_by_tax_id(merchant, sorted({t for t in wanted.values() if t})):
            by_tax_id.setdefault(normalized_tax_id(customer.tax_registration_no), []).append(customer.number)
        for party in parties:
            tax_id = wanted[party.location_gid]
            if tax_id and tax_id in by_tax_id:
                result[party.location_gid] = _one(by_tax_id[tax_id], MappedBy.TAX_ID, "tax registration no.")
        return result
    emails = sorted({party.email for party in parties if party.email})
    phones = sorted({party.phone for party in parties if party.phone})
    if not emails and not phones:
        return {}
    by_email: dict[str, list[str]] = {}
    by_phone: dict[str, list[str]] = {}
    for customer in target.find_customers(merchant, emails=emails, phones=phones):
        by_email.setdefault(normalized_email(customer.email), []).append(customer.number)
        by_phone.setdefault(e164_phone(customer.phone, customer.country), []).append(customer.number)
    for party in parties:
        if party.email and party.email in by_email:
            result[party.location_gid] = _one(by_email[party.email], MappedBy.EMAIL, "email as the main contact")
        elif party.phone and party.phone in by_phone:
            result[party.location_gid] = _one(by_phone[party.phone], MappedBy.PHONE, "phone as the main contact")
    return result


def _one(numbers: list[str], how: str, what: str) -> Mapping:
    numbers = sorted(set(numbers))
    if len(numbers) > 1:
        return Mapping("", reason=f"ledger customers {', '.join(numbers[:5])} have the same {what}; map it by hand")
    return Mapping(numbers[0], how)
