"""The shop's B2B customers as Shopify holds them: companies, their locations (branches with
addresses, tax settings and payment terms), their contacts (customers of the shop buying for the
company) and the roles those contacts hold at each location.

Generated from the seed for a shop with the B2B option (store.companies_generation), changed by the
API's writes (store.companies_writes); every change moves the record's `updated`. Records are plain
mutable objects in dicts in ID order (new IDs are always higher), so lists page by walking a dict.
A shop without B2B holds an empty book.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterator


@dataclass(frozen=True)
class PaymentTermsTemplate:
    """One of Shopify's fixed payment terms templates (the same IDs in every shop)."""
    id: int
    name: str
    terms_type: str              # PaymentTermsType: RECEIPT, NET, FIXED, FULFILLMENT
    due_in_days: int | None
    description: str

    @property
    def gid(self) -> str:
        return f"gid://shopify/PaymentTermsTemplate/{self.id}"


PAYMENT_TERMS_TEMPLATES: tuple[PaymentTermsTemplate, ...] = (
    PaymentTermsTemplate(1, "Due on receipt", "RECEIPT", None, "Due on receipt"),
    PaymentTermsTemplate(2, "Net 7", "NET", 7, "Within 7 days"),
    PaymentTermsTemplate(3, "Net 15", "NET", 15, "Within 15 days"),
    PaymentTermsTemplate(4, "Net 30", "NET", 30, "Within 30 days"),
    PaymentTermsTemplate(5, "Net 45", "NET", 45, "Within 45 days"),
    PaymentTermsTemplate(6, "Net 60", "NET", 60, "Within 60 days"),
    PaymentTermsTemplate(7, "Fixed", "FIXED", None, "Fixed date"),
    PaymentTermsTemplate(8, "Net 90", "NET", 90, "Within 90 days"),
    PaymentTermsTemplate(9, "Due on fulfillment", "FULFILLMENT", None, "Due on fulfillment"),
)
TEMPLATES_BY_ID = {template.id: template for template in PAYMENT_TERMS_TEMPLATES}
ROLE_NAMES = ("Location admin", "Ordering only")      # the two roles Shopify gives every company
LOCATION_ADMIN, ORDERING_ONLY = ROLE_NAMES


@dataclass(slots=True)
class CompanyAddress:
    id: int
    address1: str
    address2: str | None
    city: str | None
    zip: str | None
    zone_code: str | None
    country_code: str
    recipient: str | None
    first_name: str | None
    last_name: str | None
    phone: str | None
    created: datetime
    updated: datetime

    @property
    def gid(self) -> str:
        return f"gid://shopify/CompanyAddress/{self.id}"


@dataclass(slots=True)
class CompanyLocation:
    id: int
    company_id: int
    name: str
    external_id: str | None
    note: str | None
    phone: str | None
    locale: str
    currency: str                       # from the shipping address's market
    country_code: str                   # of the shipping address (the shop's when it has none)
    tax_registration_id: str | None
    tax_exempt: bool
    tax_exemptions: tuple[str, ...]
    payment_terms_id: int | None        # a PaymentTermsTemplate; None: pay at checkout
    checkout_to_draft: bool
    editable_shipping_address: bool
    billing: CompanyAddress | None
    shipping: CompanyAddress | None
    created: datetime
    updated: datetime

    @property
    def gid(self) -> str:
        return f"gid://shopify/CompanyLocation/{self.id}"


@dataclass(slots=True)
class CompanyContact:
    id: int
    company_id: int
    customer_number: int                # the shop's customer (store.customer_book) this contact is
    title: str | None
    locale: str
    created: datetime
    updated: datetime

    @property
    def gid(self) -> str:
        return f"gid://shopify/CompanyContact/{self.id}"


@dataclass(slots=True)
class CompanyContactRole:
    id: int
    company_id: int
    name: str

    @property
    def gid(self) -> str:
        return f"gid://shopify/CompanyContactRole/{self.id}"


@dataclass(slots=True)
class RoleAssignment:
    id: int
    contact_id: int
    location_id: int
    role_id: int
    created: datetime
    updated: datetime

    @property
    def gid(self) -> str:
        return f"gid://shopify/CompanyContactRoleAssignment/{self.id}"


@dataclass(slots=True)
class Company:
    id: int
    name: str
    external_id: str | None
    note: str | None
    customer_since: datetime
    created: datetime
    updated: datetime
    main_contact_id: int | None = None
    location_ids: list[int] = field(default_factory=list)
    contact_ids: list[int] = field(default_factory=list)
    role_ids: list[int] = field(default_factory=list)      # Location admin, Ordering only

    @property
    def gid(self) -> str:
        return f"gid://shopify/Company/{self.id}"


def b2b_id_base(profile) -> int:
    """Where a shop's B2B record IDs start (distinct per shop, like its other IDs)."""
    return 2_000_000 + (profile.id_base - 5_000_000_000) // 1000


class CompanyBook:
    """Every company of one shop with its locations, contacts, roles and role assignments, by ID."""

    def __init__(self, *, first_id: int) -> None:
        self._companies: dict[int, Company] = {}
        self._locations: dict[int, CompanyLocation] = {}
        self._contacts: dict[int, CompanyContact] = {}
        self._roles: dict[int, CompanyContactRole] = {}
        self._assignments: dict[int, RoleAssignment] = {}
        self._contacts_by_customer: dict[int, list[int]] = {}   # customer number -> its contacts' IDs
        self._next_id = first_id

    # Reads
    def companies(self) -> Iterator[Company]:
        return iter(list(self._companies.values()))

    def locations(self) -> Iterator[CompanyLocation]:
        return iter(list(self._locations.values()))

    def contacts(self) -> Iterator[CompanyContact]:
        return iter(list(self._contacts.values()))

    def company(self, company_id: int) -> Company | None:
        return self._companies.get(company_id)

    def location(self, location_id: int) -> CompanyLocation | None:
        return self._locations.get(location_id)

    def contact(self, contact_id: int) -> CompanyContact | None:
        return self._contacts.get(contact_id)

    def role(self, role_id: int) -> CompanyContactRole | None:
        return self._roles.get(role_id)

    def assignment(self, assignment_id: int) -> RoleAssignment | None:
        return self._assignments.get(assignment_id)

    def address(self, address_id: int) -> tuple[CompanyLocation, CompanyAddress] | None:
        for location in self._locations.values():
            for address in (location.billing, location.shipping):
                if address is not None and address.id == address_id:
                    return location, address
        return None

    def locations_of(self, company: Company) -> list[CompanyLocation]:
        return [self._locations[i] for i in company.location_ids]

    def contacts_of(self, company: Company) -> list[CompanyContact]:
        return [self._contacts[i] for i in company.contact_ids]

    def roles_of(self, company: Company) -> list[CompanyContactRole]:
        return [self._roles[i] for i in company.role_ids]

    def role_named(self, company: Company, name: str) -> CompanyContactRole:
        return next(role for role in self.roles_of(company) if role.name == name)

    def assignments_at(self, location: CompanyLocation) -> list[RoleAssignment]:
        return [a for a in self._assignments.values() if a.location_id == location.id]

    def assignments_of(self, contact: CompanyContact) -> list[RoleAssignment]:
        return [a for a in self._assignments.values() if a.contact_id == contact.id]

    def contacts_of_customer(self, customer_number: int) -> list[CompanyContact]:
        """The contacts a customer is, one per company it buys for, oldest first."""
        return [self._contacts[i] for i in self._contacts_by_customer.get(customer_number, ())]

    def location_of_customer(self, customer_number: int) -> tuple[CompanyContact, CompanyLocation] | None:
        """Where a customer's B2B orders come from: its first contact and the first location that
        contact holds a role at (its company's first location without one); None for a consumer.
        An order view fills `purchasingEntity` (a PurchasingCompany) from this."""
        for contact in self.contacts_of_customer(customer_number):
            assignments = self.assignments_of(contact)
            if assignments:
                return contact, self._locations[assignments[0].location_id]
            company = self._companies[contact.company_id]
            if company.location_ids:
                return contact, self._locations[company.location_ids[0]]
        return None

    def is_external_id_taken(self, external_id: str, *, of_locations: bool = False) -> bool:
        records = self._locations.values() if of_locations else self._companies.values()
        return any(record.external_id == external_id for record in records)

    # Writes (the caller holds the shop's lock)
    def new_id(self) -> int:
        value = self._next_id
        self._next_id += 1
        return value

    def add_company(self, company: Company) -> None:
        self._companies[company.id] = company
        if not company.role_ids:
            for name in ROLE_NAMES:
                role = CompanyContactRole(id=self.new_id(), company_id=company.id, name=name)
                self._roles[role.id] = role
                company.role_ids.append(role.id)

    def add_location(self, company: Company, location: CompanyLocation) -> None:
        self._locations[location.id] = location
        company.location_ids.append(location.id)

    def add_contact(self, company: Company, contact: CompanyContact) -> None:
        self._contacts[contact.id] = contact
        self._contacts_by_customer.setdefault(contact.customer_number, []).append(contact.id)
        company.contact_ids.append(contact.id)

    def assign_role(self, contact: CompanyContact, location: CompanyLocation, role: CompanyContactRole, *,
                    now: datetime) -> RoleAssignment:
        assignment = RoleAssignment(id=self.new_id(), contact_id=contact.id, location_id=location.id,
                                    role_id=role.id, created=now, updated=now)
        self._assignments[assignment.id] = assignment
        return assignment
