"""Company writes as Shopify applies them (companyCreate, companyLocationCreate, companyContactCreate,
companyAssignCustomerAsContact, companyAssignMainContact): every input checked first, so a refused
write changes nothing; what a write changes moves `updated` (the company's too), at least a second
on, so an incremental sync reading `updated_at:>` its last mark sees every write.

A new contact is a new customer of the shop (its email and phone checked as customerCreate checks
them); an existing customer becomes a contact through companyAssignCustomerAsContact.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from shopify_simulator.store.companies import (
    LOCATION_ADMIN,
    TEMPLATES_BY_ID,
    Company,
    CompanyAddress,
    CompanyBook,
    CompanyContact,
    CompanyLocation,
)
from shopify_simulator.store.companies_generation import ABROAD
from shopify_simulator.store.customer_book import CustomerBook
from shopify_simulator.store.customer_writes import customer_fields
from shopify_simulator.store.product_writes import Refusal, Refused

NAME_MAX, NOTE_MAX = 255, 5000


@dataclass
class _Plan:
    """What a create will write, once everything is checked."""
    company: dict | None = None
    location: dict | None = None
    contact: tuple[dict, str | None] | None = None     # the new customer's fields, the contact's title


def create_company(book: CompanyBook, customers: CustomerBook, given: dict, *, now: datetime) -> Company:
    """A company with its location (one named after it when none is given) and, when given, its
    main contact, who is Location admin there."""
    refusals: list[Refusal] = []
    plan = _Plan(company=_company_fields(book, given.get("company") or {}, ["input", "company"], refusals))
    location_input = given.get("companyLocation")
    plan.location = _location_fields(book, customers.profile, location_input or {}, ["input", "companyLocation"],
                                     refusals, default_name=plan.company.get("name"),
                                     required=location_input is not None)
    if given.get("companyContact") is not None:
        plan.contact = _contact_fields(customers, given["companyContact"], ["input", "companyContact"], refusals,
                                       now=now)
    if refusals:
        raise Refused(refusals)
    fields = plan.company
    company = Company(id=book.new_id(), name=fields["name"], external_id=fields.get("external_id"),
                      note=fields.get("note"), customer_since=fields.get("customer_since") or now, created=now,
                      updated=now)
    book.add_company(company)
    location = _new_location(book, company, plan.location, now=now)
    if plan.contact is not None:
        contact = _new_contact(book, customers, company, plan.contact, now=now)
        company.main_contact_id = contact.id
        book.assign_role(contact, location, book.role_named(company, LOCATION_ADMIN), now=now)
    return company


def create_location(book: CompanyBook, profile, company: Company, given: dict, *, now: datetime) -> CompanyLocation:
    refusals: list[Refusal] = []
    fields = _location_fields(book, profile, given, ["input"], refusals, default_name=None, required=True)
    if refusals:
        raise Refused(refusals)
    location = _new_location(book, company, fields, now=now)
    _touch(company, now)
    return location


def create_contact(book: CompanyBook, customers: CustomerBook, company: Company, given: dict, *,
                   now: datetime) -> CompanyContact:
    refusals: list[Refusal] = []
    planned = _contact_fields(customers, given, ["input"], refusals, now=now)
    if refusals:
        raise Refused(refusals)
    contact = _new_contact(book, customers, company, planned, now=now)
    _touch(company, now)
    return contact


def assign_customer(book: CompanyBook, customers: CustomerBook, company: Company, customer_number: int, *,
                    now: datetime) -> CompanyContact:
    if any(c.company_id == company.id for c in book.contacts_of_customer(customer_number)):
        raise Refused([Refusal(["customerId"], "The customer is already a contact of this company.", "TAKEN")])
    locale = (customers.view(customer_number) or {}).get("locale") or customers.profile.locale
    contact = CompanyContact(id=book.new_id(), company_id=company.id, customer_number=customer_number, title=None,
                             locale=locale, created=now, updated=now)
    book.add_contact(company, contact)
    _touch(company, now)
    return contact


def assign_main_contact(book: CompanyBook, company: Company, contact: CompanyContact, *, now: datetime) -> None:
    if contact.company_id != company.id:
        raise Refused([Refusal(["companyContactId"], "The contact is not a contact of this company.",
                               "INVALID_INPUT")])
    if company.main_contact_id != contact.id:
        company.main_contact_id = contact.id
        _touch(company, now)


def _touch(record, now: datetime) -> None:
    record.updated = max(now, record.updated + timedelta(seconds=1))


def _company_fields(book: CompanyBook, given: dict, at: list[str], refusals: list[Refusal]) -> dict:
    fields: dict = {}
    name = (given.get("name") or "").strip()
    if not name:
        refusals.append(Refusal([*at, "name"], "Name can't be blank", "BLANK"))
    elif len(name) > NAME_MAX:
        refusals.append(Refusal([*at, "name"], f"Name is too long (maximum is {NAME_MAX} characters)", "TOO_LONG"))
    fields["name"] = name
    external_id = (given.get("externalId") or "").strip() or None
    if external_id and book.is_external_id_taken(external_id):
        refusals.append(Refusal([*at, "externalId"], "External ID has already been taken", "TAKEN"))
    fields["external_id"] = external_id
    note = given.get("note")
    if note and len(note) > NOTE_MAX:
        refusals.append(Refusal([*at, "note"], f"Note is too long (maximum is {NOTE_MAX} characters)", "TOO_LONG"))
    fields["note"] = note or None
    if given.get("customerSince"):
        since = _moment(given["customerSince"])
        if since is None:
            refusals.append(Refusal([*at, "customerSince"], "Customer since is invalid", "INVALID"))
        fields["customer_since"] = since
    return fields


def _location_fields(book: CompanyBook, profile, given: dict, at: list[str], refusals: list[Refusal], *,
                     default_name: str | None, required: bool) -> dict:
    name = (given.get("name") or "").strip() or default_name or ""
    if required and not name:
        refusals.append(Refusal([*at, "name"], "Name can't be blank", "BLANK"))
    elif len(name) > NAME_MAX:
        refusals.append(Refusal([*at, "name"], f"Name is too long (maximum is {NAME_MAX} characters)", "TOO_LONG"))
    external_id = (given.get("externalId") or "").strip() or None
    if external_id and book.is_external_id_taken(external_id, of_locations=True):
        refusals.append(Refusal([*at, "externalId"], "External ID has already been taken", "TAKEN"))
    experience = given.get("buyerExperienceConfiguration") or {}
    terms_id = None
    if experience.get("paymentTermsTemplateId"):
        terms_id = _template_number(experience["paymentTermsTemplateId"])
        if terms_id not in TEMPLATES_BY_ID:
            refusals.append(Refusal([*at, "buyerExperienceConfiguration", "paymentTermsTemplateId"],
                                    "Payment terms template does not exist", "RESOURCE_NOT_FOUND"))
    same = bool(given.get("billingSameAsShipping"))
    if same and given.get("billingAddress") is not None:
        refusals.append(Refusal([*at, "billingAddress"],
                                "A billing address can't be given when billingSameAsShipping is true",
                                "INVALID_INPUT"))
    shipping = given.get("shippingAddress")
    billing = shipping if same else given.get("billingAddress")
    country = (shipping or billing or {}).get("countryCode") or profile.country_code
    currency = profile.currency if country == profile.country_code else next(
        (code for code, abroad in ABROAD.items() if abroad.country_code == country), profile.currency)
    return {
        "name": name, "external_id": external_id, "note": given.get("note") or None, "phone": given.get("phone"),
        "locale": given.get("locale") or profile.locale, "country_code": country, "currency": currency,
        "tax_registration_id": (given.get("taxRegistrationId") or "").strip() or None,
        "tax_exempt": bool(given.get("taxExempt")), "tax_exemptions": tuple(given.get("taxExemptions") or ()),
        "payment_terms_id": terms_id, "checkout_to_draft": bool(experience.get("checkoutToDraft")),
        "editable_shipping_address": bool(experience.get("editableShippingAddress")),
        "shipping": shipping, "billing": billing, "default_country": profile.country_code,
    }


def _contact_fields(customers: CustomerBook, given: dict, at: list[str], refusals: list[Refusal], *,
                    now: datetime) -> tuple[dict, str | None]:
    customer_input = {name: given[name] for name in ("firstName", "lastName", "email", "phone", "locale")
                      if given.get(name) is not None}
    fields, problems = customer_fields(customers, customer_input, number=None, now=now)
    for problem in problems:
        code = "TAKEN" if "taken" in problem.message else "INVALID"
        refusals.append(Refusal([*at, *problem.field] if problem.field else at, problem.message,
                                code if problem.field else "NO_INPUT"))
    return fields, (given.get("title") or "").strip() or None


def _new_location(book: CompanyBook, company: Company, fields: dict, *, now: datetime) -> CompanyLocation:
    shipping = _address(book, fields["shipping"], fields["default_country"], now) if fields["shipping"] else None
    billing = _address(book, fields["billing"], fields["default_country"], now) if fields["billing"] else None
    location = CompanyLocation(
        id=book.new_id(), company_id=company.id, name=fields["name"], external_id=fields["external_id"],
        note=fields["note"], phone=fields["phone"], locale=fields["locale"], currency=fields["currency"],
        country_code=fields["country_code"], tax_registration_id=fields["tax_registration_id"],
        tax_exempt=fields["tax_exempt"], tax_exemptions=fields["tax_exemptions"],
        payment_terms_id=fields["payment_terms_id"], checkout_to_draft=fields["checkout_to_draft"],
        editable_shipping_address=fields["editable_shipping_address"], billing=billing, shipping=shipping,
        created=now, updated=now)
    book.add_location(company, location)
    return location


def _new_contact(book: CompanyBook, customers: CustomerBook, company: Company, planned: tuple[dict, str | None], *,
                 now: datetime) -> CompanyContact:
    fields, title = planned
    number = customers.next_number()
    customers.create(number, fields, now=now)
    contact = CompanyContact(id=book.new_id(), company_id=company.id, customer_number=number, title=title,
                             locale=fields.get("locale") or customers.profile.locale, created=now, updated=now)
    book.add_contact(company, contact)
    return contact


def _address(book: CompanyBook, given: dict, default_country: str, now: datetime) -> CompanyAddress:
    return CompanyAddress(id=book.new_id(), address1=given.get("address1") or "", address2=given.get("address2"),
                          city=given.get("city"), zip=given.get("zip"), zone_code=given.get("zoneCode"),
                          country_code=given.get("countryCode") or default_country, recipient=given.get("recipient"),
                          first_name=given.get("firstName"), last_name=given.get("lastName"),
                          phone=given.get("phone"), created=now, updated=now)


def _template_number(gid: str) -> int | None:
    prefix = "gid://shopify/PaymentTermsTemplate/"
    tail = gid[len(prefix):] if gid.startswith(prefix) else ""
    return int(tail) if tail.isdigit() else None


def _moment(value) -> datetime | None:
    if isinstance(value, datetime):
        return value
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None
