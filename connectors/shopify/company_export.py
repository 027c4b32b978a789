"""Ledger B2B customers created in Shopify as companies (report 30114's export): one company with
one location (named, billed and shipped as the customer is, with its tax registration ID) and, when
the customer has an email, its main contact.

companyCreate is not idempotent, so every company carries its ledger customer number as external
ID and is looked for by it first: a company already there (made by an earlier run whose answer was
lost) is reused, and a create whose answer was lost is looked for again after a pause (Shopify's
search may lag a write) before it is sent a second time. Shopify refuses a second company with an
external ID already taken, so even a create sent again while the lost one was still under way
makes one company: "taken" sends the export to look it up once more. Whatever was created or found
is imported into the company tables at once, by the import's own code.

A draft Shopify refuses fails alone, with Shopify's words; a failure to talk to Shopify at all (a
lookup the client gave up on, an access error) stops the export and is raised: every step here can
be run again.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from connectors.shopify.client import ShopifyClient
from connectors.shopify.company_sync import COMPANIES_PER_PAGE, company_pages, company_problem, read_on
from connectors.shopify.customer_sync import shop_country
from connectors.shopify.documents import document
from connectors.shopify.errors import ShopifyGaveUp
from connectors.shopify.importers.companies import import_companies
from connectors.shopify.order_sync import search_value
from core.contacts import e164_phone, normalized_email

logger = logging.getLogger(__name__)
LOST_LOOKUPS = 3                    # looks for a lost create before sending it again
LOST_SETTLE_SECONDS = 2.0           # first pause before looking; doubled each time


@dataclass(frozen=True)
class CompanyDraft:
    external_id: str                # the ledger customer no.
    name: str
    email: str = ""
    phone: str = ""
    first_name: str = ""
    last_name: str = ""
    address1: str = ""
    address2: str = ""
    city: str = ""
    zip: str = ""
    province_code: str = ""
    country_code: str = ""
    tax_registration_id: str = ""


@dataclass(frozen=True)
class CompanyCreated:
    external_id: str
    company_gid: str = ""
    location_gid: str = ""
    error: str = ""                 # "" when the company is in Shopify (created now or before)


def create_companies(*, merchant, client: ShopifyClient, drafts: list[CompanyDraft]) -> list[CompanyCreated]:
    """Each draft as a Shopify company with its location, in the drafts' order (a draft repeating
    an external ID gets the first one's outcome). A company Shopify already holds under the
    draft's external ID is reused, not made again."""
    outcomes: dict[str, CompanyCreated] = {}
    unique: dict[str, CompanyDraft] = {}
    for draft in drafts:
        if not draft.external_id.strip():
            outcomes.setdefault(draft.external_id, CompanyCreated(
                draft.external_id, error="the customer has no number to give Shopify as the company's external ID"))
        else:
            unique.setdefault(draft.external_id, draft)
    country = shop_country(client) if unique else ""
    payloads: dict[str, dict] = {}       # by external ID: what to import

    found = companies_by_external_id(client, list(unique))
    lost: list[CompanyDraft] = []
    for external_id, draft in unique.items():
        if external_id in found:
            payloads[external_id] = found[external_id]
        elif not _create(client, draft, country, payloads, outcomes):
            lost.append(draft)
    for attempt in range(LOST_LOOKUPS):
        if not lost:
            break
        client.pause(LOST_SETTLE_SECONDS * 2 ** attempt)
        found = companies_by_external_id(client, [draft.external_id for draft in lost])
        payloads.update({draft.external_id: found[draft.external_id] for draft in lost if draft.external_id in found})
        lost = [draft for draft in lost if draft.external_id not in found]
    for draft in lost:       # not there after every look: it was never made
        logger.warning("shopify company %s shop=%s: create answer lost and not found; sending it again",
                       draft.external_id, client.shop_label)
        if not _create(client, draft, country, payloads, outcomes):
            outcomes[draft.external_id] = CompanyCreated(draft.external_id, error=(
                "Shopify's answer to creating the company was lost twice; the next sync looks for it by its "
                f"external ID {draft.external_id} before creating it again"))

    for external_id, payload in payloads.items():
        locations = payload["locations"]["nodes"]
        outcomes[external_id] = CompanyCreated(external_id, payload["id"], locations[0]["id"] if locations else "",
                                               "" if locations else "the company has no location in Shopify")
    batch = list(payloads.values())
    for start in range(0, len(batch), 100):
        counts = import_companies(merchant=merchant, payloads=batch[start:start + 100], shop_country=country)
        for error in counts.errors:
            logger.warning("shopify company %s shop=%s: %s", error.shopify_id, client.shop_label, error.reason)
    return [outcomes[draft.external_id] for draft in drafts]


def companies_by_external_id(client: ShopifyClient, external_ids: list[str]) -> dict[str, dict]:
    """The Shopify company (whole, as CompanyFields with everything read on) carrying each
    external ID, where one does."""
    found: dict[str, dict] = {}
    for start in range(0, len(external_ids), COMPANIES_PER_PAGE):
        chunk = external_ids[start:start + COMPANIES_PER_PAGE]
        query = " OR ".join(f"external_id:{search_value(external_id)}" for external_id in chunk)
        wanted = set(chunk)
        for page in company_pages(client, "CompaniesByExternalId", {"first": COMPANIES_PER_PAGE, "query": query}):
            for company in page:
                # Shopify's search compares loosely: only the very external ID counts.
                if company.get("externalId") in wanted:
                    found.setdefault(company["externalId"], company)
    return found


def _create(client: ShopifyClient, draft: CompanyDraft, country: str, payloads: dict[str, dict],
            outcomes: dict[str, CompanyCreated]) -> bool:
    """companyCreate: the company into `payloads`, or Shopify's refusal into `outcomes`; False when
    the answer was lost (whether it was made is unknown).

    Shopify refuses a second company with the same external ID: "already taken" means an earlier
    create (whose answer was lost, or that was still running when looked for) made it, and it is
    taken from there. A contact's phone another customer of the shop already has is dropped rather
    than losing the company (the contact keeps its email)."""
    given = company_input(draft, country)
    existing_contact = ""
    while True:
        try:
            data = client.execute(document("CompanyCreate"), {"input": given}, check=_created_problem,
                                  idempotent=False).data
        except ShopifyGaveUp:
            return False
        payload = data["companyCreate"]
        errors = payload["userErrors"]
        if not errors:
            break
        if any(_names(error, "company", "externalId") for error in errors):
            found = companies_by_external_id(client, [draft.external_id])
            if draft.external_id in found:
                payloads[draft.external_id] = found[draft.external_id]
                return True
        if "phone" in given.get("companyContact", {}) and all(_names(error, "companyContact", "phone")
                                                              for error in errors):
            logger.info("shopify company %s shop=%s: contact phone refused (%s); sent without it",
                        draft.external_id, client.shop_label, _refused(errors))
            given["companyContact"].pop("phone")
            continue
        if "companyContact" in given and all(_names(error, "companyContact", "email") or
                                             _names(error, "companyContact", "phone") for error in errors) and \
                any(_names(error, "companyContact", "email") for error in errors):
            # The buyer already shops as a customer: the company is made without a new contact, and
            # that customer is attached to it as its main contact (attach_existing_contact).
            logger.info("shopify company %s shop=%s: contact's email is a customer's already (%s); attaching "
                        "that customer", draft.external_id, client.shop_label, _refused(errors))
            existing_contact = given.pop("companyContact")["email"]
            continue
        outcomes[draft.external_id] = CompanyCreated(draft.external_id, error=_refused(errors))
        return True
    company = payload["company"]
    if existing_contact and attach_existing_contact(client, company["id"], existing_contact):
        found = companies_by_external_id(client, [draft.external_id])
        company = found.get(draft.external_id, company)
    if not read_on(client, company):
        outcomes[draft.external_id] = CompanyCreated(
            draft.external_id, company["id"], error="the company was deleted in Shopify as soon as it was created")
        return True
    payloads[draft.external_id] = company
    return True


def attach_existing_contact(client: ShopifyClient, company_gid: str, email: str) -> bool:
    """The shop's customer with exactly `email` made the company's main contact; whether it was. A
    refusal (the customer gone, already a contact elsewhere) leaves the company without a contact,
    logged: the company itself stands, and a person can attach one in Shopify."""
    nodes = client.execute(document("CustomersByEmail"), {"query": f"email:{search_value(email)}"},
                           check=_customers_problem).data["customers"]["nodes"]
    customer = next((node["id"] for node in nodes if normalized_email(node.get("email") or "") == email), None)
    if customer is None:
        logger.warning("shopify company %s: no customer has the email %s to be its contact", company_gid, email)
        return False
    # Safe to send again: a customer already the company's contact is refused, not added twice.
    made = client.execute(document("CompanyAssignCustomerAsContact"), {"companyId": company_gid,
                                                                        "customerId": customer}).data
    answer = made.get("companyAssignCustomerAsContact") or {}
    contact = (answer.get("companyContact") or {}).get("id")
    if not contact:
        logger.warning("shopify company %s: customer %s not attached as its contact: %s", company_gid, customer,
                       _refused(answer.get("userErrors") or []) or "no contact in the answer")
        return False
    main = client.execute(document("CompanyAssignMainContact"), {"companyId": company_gid,
                                                                  "companyContactId": contact}).data
    errors = (main.get("companyAssignMainContact") or {}).get("userErrors") or []
    if errors:
        logger.warning("shopify company %s: contact %s not made its main contact: %s", company_gid, contact,
                       _refused(errors))
    return True


def _customers_problem(data) -> str | None:
    customers = (data or {}).get("customers") if isinstance(data, dict) else None
    nodes = customers.get("nodes") if isinstance(customers, dict) else None
    if not isinstance(nodes, list) or any(not isinstance(node, dict) or not node.get("id") for node in nodes):
        return "customers.nodes is missing or holds a node without its id"
    return None


def _names(error: dict, *field: str) -> bool:
    """Whether a userError is about `field` of the input (["input", "company", "externalId"])."""
    path = [str(part) for part in error.get("field") or []]
    return path[-len(field):] == list(field)


def company_input(draft: CompanyDraft, shop_country_code: str) -> dict:
    """companyCreate's input: the company, its one location (billed and shipped to the same
    address) and, with an email, its main contact. A phone is sent as E.164, or not at all when it
    cannot be read (Shopify would refuse the whole company for it)."""
    country = (draft.country_code or shop_country_code).upper()
    address = {key: value for key, value in {
        "address1": draft.address1, "address2": draft.address2, "city": draft.city, "zip": draft.zip,
        "zoneCode": draft.province_code, "firstName": draft.first_name, "lastName": draft.last_name,
    }.items() if value}
    location: dict = {"name": draft.name}
    if draft.address1 or draft.city or draft.zip:     # names alone make no address
        address["countryCode"] = country
        location["billingAddress"] = location["shippingAddress"] = address
    if draft.tax_registration_id:
        location["taxRegistrationId"] = draft.tax_registration_id
    given = {"company": {"name": draft.name, "externalId": draft.external_id}, "companyLocation": location}
    email = normalized_email(draft.email)
    if email:
        contact = {"email": email, "firstName": draft.first_name, "lastName": draft.last_name,
                   "phone": e164_phone(draft.phone, country)}
        given["companyContact"] = {key: value for key, value in contact.items() if value}
    return given


def _created_problem(data) -> str | None:
    payload = (data or {}).get("companyCreate")
    if not isinstance(payload, dict) or not isinstance(payload.get("userErrors"), list):
        return "companyCreate gave no payload"
    if payload["userErrors"]:
        return None
    company = payload.get("company")
    if not isinstance(company, dict):
        return "companyCreate named no company"
    return company_problem(company)


def _refused(errors: list[dict]) -> str:
    """Shopify's userErrors in a sentence: 'Shopify refused the company: Name can't be blank (company.name)'."""
    reasons = []
    for error in errors:
        path = [str(part) for part in error.get("field") or []]
        where = ".".join(path[1:] if path[:1] == ["input"] else path)
        reasons.append(f"{error.get('message') or 'refused'}" + (f" ({where})" if where else ""))
    return f"Shopify refused the company: {'; '.join(reasons)}"
