"""B2B companies: companies, their locations and contacts, listed with Shopify's search syntax and
sort keys, found by id, created (companyCreate, companyLocationCreate, companyContactCreate,
companyAssignCustomerAsContact, companyAssignMainContact) with Shopify's userErrors and the
companies/create, company_locations/create and company_contacts/create webhooks.

A shop without the B2B option has no companies, and refuses to create one.
"""
from __future__ import annotations

from shopify_simulator.api.connections import connection, encode_cursor
from shopify_simulator.api.nodes import parse_gid
from shopify_simulator.api.record_pages import RecordListing
from shopify_simulator.api.registry import mutation, node_type, query_field
from shopify_simulator.api.request import RequestContext, iso, search_or_error
from shopify_simulator.api.search import matches
from shopify_simulator.payloads import payload_for
from shopify_simulator.resources.customers import customer_number
from shopify_simulator.store.companies import PAYMENT_TERMS_TEMPLATES
from shopify_simulator.store.companies_view import COMPANY_SORTS, LOCATION_SORTS, B2BViews, template_view
from shopify_simulator.store.companies_writes import (
    assign_customer,
    assign_main_contact,
    create_company,
    create_contact,
    create_location,
)
from shopify_simulator.store.customers import CONTACT_PROFILES
from shopify_simulator.store.product_writes import Refusal, Refused

NOT_B2B = "B2B is not available on this shop."


# The API layer's paging and search, as the B2B views take them
def page(info, records, *, keep, view, args: dict) -> dict:
    """A page of records in ID order, views built for the page only; all of them in a bulk operation."""
    return listed(info, RecordListing(records, sort_name="ID", key=lambda r: (r.id,), keep=keep, view=view,
                                      presorted=True), args)


def listed(info, listing: RecordListing, args: dict) -> dict:
    if not info.context.bulk:
        return listing.page(args)
    items = list(listing.exported(descending=bool(args.get("reverse"))))
    return connection([view for _, view in items], [encode_cursor({"s": listing.sort_name, "k": key})
                                                    for key, _ in items], has_next=False, has_previous=False)


def search(text: str | None):
    node = search_or_error(text)
    return lambda get: matches(node, get)


def b2b_views(context: RequestContext) -> B2BViews:
    return B2BViews(context.shop, context.now, page=page, search=search)


def number_of(gid: str | None, *type_names: str) -> int | None:
    parsed = parse_gid(gid or "")
    return parsed[1] if parsed and parsed[0] in type_names else None


# Reads
@query_field("companies")
def companies(context: RequestContext, info, sortKey="ID", query=None, **args) -> dict:
    views = b2b_views(context)
    wanted = search(query)
    sort = COMPANY_SORTS.get(sortKey, COMPANY_SORTS["ID"])
    listing = RecordListing(context.shop.companies.companies(), sort_name=sortKey, key=lambda c: sort(views, c),
                            keep=lambda c: wanted(lambda field: views.company_value(c, field)), view=views.company,
                            presorted=sortKey not in COMPANY_SORTS or sortKey == "ID")
    return listed(info, listing, args)


@query_field("companiesCount")
def companies_count(context: RequestContext, info, **args) -> dict:
    return {"count": sum(1 for _ in context.shop.companies.companies()), "precision": "EXACT"}


@query_field("companyLocations")
def company_locations(context: RequestContext, info, sortKey="ID", query=None, **args) -> dict:
    views = b2b_views(context)
    wanted = search(query)
    sort = LOCATION_SORTS.get(sortKey, LOCATION_SORTS["ID"])
    listing = RecordListing(context.shop.companies.locations(), sort_name=sortKey, key=lambda loc: sort(views, loc),
                            keep=lambda loc: wanted(lambda field: views.location_value(loc, field)),
                            view=views.location, presorted=sortKey not in LOCATION_SORTS or sortKey == "ID")
    return listed(info, listing, args)


@query_field("company")
def company(context: RequestContext, info, id) -> dict | None:
    return company_node(context, id, number_of(id, "Company") or -1)


@query_field("companyLocation")
def company_location(context: RequestContext, info, id) -> dict | None:
    return location_node(context, id, number_of(id, "CompanyLocation") or -1)


@query_field("companyContact")
def company_contact(context: RequestContext, info, id) -> dict | None:
    return contact_node(context, id, number_of(id, "CompanyContact") or -1)


@query_field("companyContactRole")
def company_contact_role(context: RequestContext, info, id) -> dict | None:
    return role_node(context, id, number_of(id, "CompanyContactRole") or -1)


@query_field("paymentTermsTemplates")
def payment_terms_templates(context: RequestContext, info, paymentTermsType=None) -> list[dict]:
    return [template_view(t) for t in PAYMENT_TERMS_TEMPLATES
            if paymentTermsType is None or t.terms_type == paymentTermsType]


@node_type("Company")
def company_node(context: RequestContext, gid: str, number: int) -> dict | None:
    found = context.shop.companies.company(number)
    return b2b_views(context).company(found) if found else None


@node_type("CompanyLocation")
def location_node(context: RequestContext, gid: str, number: int) -> dict | None:
    found = context.shop.companies.location(number)
    return b2b_views(context).location(found) if found else None


@node_type("CompanyContact")
def contact_node(context: RequestContext, gid: str, number: int) -> dict | None:
    found = context.shop.companies.contact(number)
    return b2b_views(context).contact(found) if found else None


@node_type("CompanyContactRole")
def role_node(context: RequestContext, gid: str, number: int) -> dict | None:
    found = context.shop.companies.role(number)
    return b2b_views(context).role(found) if found else None


@node_type("CompanyContactRoleAssignment")
def assignment_node(context: RequestContext, gid: str, number: int) -> dict | None:
    found = context.shop.companies.assignment(number)
    return b2b_views(context).assignment(found) if found else None


@node_type("CompanyAddress")
def address_node(context: RequestContext, gid: str, number: int) -> dict | None:
    found = context.shop.companies.address(number)
    if found is None:
        return None
    location, address = found
    return b2b_views(context).address(context.shop.companies.company(location.company_id), address)


@node_type("PaymentTermsTemplate")
def template_node(context: RequestContext, gid: str, number: int) -> dict | None:
    return next((template_view(t) for t in PAYMENT_TERMS_TEMPLATES if t.id == number), None)


def purchasing_entity(context: RequestContext, customer_number: int) -> dict | None:
    """An order's `purchasingEntity` when its customer buys for a company (a PurchasingCompany with
    the company, the location and the contact), else None: the order answers its Customer then."""
    found = context.shop.companies.location_of_customer(customer_number)
    if found is None:
        return None
    contact, location = found
    views = b2b_views(context)
    return {"__typename": "PurchasingCompany", "company": views.company(context.shop.companies.company(
        location.company_id)), "location": views.location(location), "contact": views.contact(contact)}


def contact_profiles(context: RequestContext, customer_number: int) -> list[dict]:
    """A customer's `companyContactProfiles`: the contacts it is, one per company it buys for."""
    contacts = context.shop.companies.contacts_of_customer(customer_number)
    if not contacts:
        return []
    views = b2b_views(context)
    return [views.contact(contact) for contact in contacts]


# A customer who buys for companies shows its contact profiles wherever it appears.
CONTACT_PROFILES.append(contact_profiles)


# Writes
def _errors(refusals: list[Refusal]) -> list[dict]:
    return [{"field": r.field, "message": r.message, "code": r.code} for r in refusals]


def _refused(payload_field: str, refusals: list[Refusal]) -> dict:
    return {payload_field: None, "userErrors": _errors(refusals)}


def _emit(context: RequestContext, topic: str, subject) -> None:
    if context.shop.on_event:
        context.shop.on_event(context.shop, topic, subject)


def _not_b2b(context: RequestContext, payload_field: str) -> dict | None:
    if context.shop.profile.b2b:
        return None
    return _refused(payload_field, [Refusal(None, NOT_B2B, "INVALID")])


def _company_or_refusal(context: RequestContext, gid: str, payload_field: str):
    found = context.shop.companies.company(number_of(gid, "Company") or -1)
    if found is None:
        return None, _refused(payload_field, [Refusal(["companyId"], "Company does not exist.",
                                                      "RESOURCE_NOT_FOUND")])
    return found, None


@mutation("companyCreate")
def company_create(context: RequestContext, info, input) -> dict:
    shop = context.shop
    refusal = _not_b2b(context, "company")
    if refusal:
        return refusal
    try:
        with shop.lock:
            created = create_company(shop.companies, shop.customers, input, now=context.now)
    except Refused as refused:
        return _refused("company", refused.refusals)
    _emit(context, "COMPANIES_CREATE", created.id)
    for location_id in created.location_ids:
        _emit(context, "COMPANY_LOCATIONS_CREATE", location_id)
    for contact_id in created.contact_ids:
        _emit(context, "CUSTOMERS_CREATE", shop.companies.contact(contact_id).customer_number)
        _emit(context, "COMPANY_CONTACTS_CREATE", contact_id)
    return {"company": b2b_views(context).company(created), "userErrors": []}


@mutation("companyLocationCreate")
def company_location_create(context: RequestContext, info, companyId, input) -> dict:
    shop = context.shop
    found, refusal = _company_or_refusal(context, companyId, "companyLocation")
    if refusal:
        return refusal
    try:
        with shop.lock:
            created = create_location(shop.companies, shop.profile, found, input, now=context.now)
    except Refused as refused:
        return _refused("companyLocation", refused.refusals)
    _emit(context, "COMPANY_LOCATIONS_CREATE", created.id)
    return {"companyLocation": b2b_views(context).location(created), "userErrors": []}


@mutation("companyContactCreate")
def company_contact_create(context: RequestContext, info, companyId, input) -> dict:
    shop = context.shop
    found, refusal = _company_or_refusal(context, companyId, "companyContact")
    if refusal:
        return refusal
    try:
        with shop.lock:
            created = create_contact(shop.companies, shop.customers, found, input, now=context.now)
    except Refused as refused:
        return _refused("companyContact", refused.refusals)
    _emit(context, "CUSTOMERS_CREATE", created.customer_number)
    _emit(context, "COMPANY_CONTACTS_CREATE", created.id)
    return {"companyContact": b2b_views(context).contact(created), "userErrors": []}


@mutation("companyAssignCustomerAsContact")
def company_assign_customer_as_contact(context: RequestContext, info, companyId, customerId) -> dict:
    shop = context.shop
    found, refusal = _company_or_refusal(context, companyId, "companyContact")
    if refusal:
        return refusal
    number = customer_number(shop, customerId)
    if number is None:
        return _refused("companyContact", [Refusal(["customerId"], "Customer does not exist.",
                                                   "RESOURCE_NOT_FOUND")])
    try:
        with shop.lock:
            created = assign_customer(shop.companies, shop.customers, found, number, now=context.now)
    except Refused as refused:
        return _refused("companyContact", refused.refusals)
    _emit(context, "COMPANY_CONTACTS_CREATE", created.id)
    return {"companyContact": b2b_views(context).contact(created), "userErrors": []}


@mutation("companyAssignMainContact")
def company_assign_main_contact(context: RequestContext, info, companyId, companyContactId) -> dict:
    shop = context.shop
    found, refusal = _company_or_refusal(context, companyId, "company")
    if refusal:
        return refusal
    contact = shop.companies.contact(number_of(companyContactId, "CompanyContact") or -1)
    if contact is None:
        return _refused("company", [Refusal(["companyContactId"], "Company contact does not exist.",
                                            "RESOURCE_NOT_FOUND")])
    before = found.updated
    try:
        with shop.lock:
            assign_main_contact(shop.companies, found, contact, now=context.now)
    except Refused as refused:
        return _refused("company", refused.refusals)
    if found.updated != before:
        _emit(context, "COMPANIES_UPDATE", found.id)
    return {"company": b2b_views(context).company(found), "userErrors": []}


# Webhook payloads (REST-shaped, as Shopify sends them)
@payload_for("COMPANIES_CREATE", "COMPANIES_UPDATE")
def company_payload(shop, company_id: int) -> dict:
    company = shop.companies.company(company_id)
    main = shop.companies.contact(company.main_contact_id) if company.main_contact_id else None
    return {"name": company.name, "note": company.note, "external_id": company.external_id,
            "main_contact_admin_graphql_api_id": main.gid if main else None, "created_at": iso(company.created),
            "updated_at": iso(company.updated), "customer_since": iso(company.customer_since),
            "admin_graphql_api_id": company.gid}


@payload_for("COMPANY_LOCATIONS_CREATE")
def location_payload(shop, location_id: int) -> dict:
    location = shop.companies.location(location_id)

    def address(record) -> dict | None:
        if record is None:
            return None
        return {"address1": record.address1, "address2": record.address2, "city": record.city, "zip": record.zip,
                "recipient": record.recipient, "first_name": record.first_name, "last_name": record.last_name,
                "phone": record.phone, "zone_code": record.zone_code, "country_code": record.country_code,
                "created_at": iso(record.created), "updated_at": iso(record.updated),
                "admin_graphql_api_id": record.gid}

    return {"name": location.name, "external_id": location.external_id, "phone": location.phone,
            "locale": location.locale, "note": location.note, "created_at": iso(location.created),
            "updated_at": iso(location.updated), "admin_graphql_api_id": location.gid,
            "tax_exemptions": list(location.tax_exemptions),
            "tax_registration": ({"tax_id": location.tax_registration_id} if location.tax_registration_id else None),
            "company": company_payload(shop, location.company_id),
            "billing_address": address(location.billing), "shipping_address": address(location.shipping)}


@payload_for("COMPANY_CONTACTS_CREATE")
def contact_payload(shop, contact_id: int) -> dict:
    contact = shop.companies.contact(contact_id)
    return {"customer_admin_graphql_api_id": f"gid://shopify/Customer/{contact.customer_number}",
            "title": contact.title, "locale": contact.locale, "created_at": iso(contact.created),
            "updated_at": iso(contact.updated), "admin_graphql_api_id": contact.gid,
            "company": company_payload(shop, contact.company_id)}
