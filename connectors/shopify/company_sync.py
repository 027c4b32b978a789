"""Report 30114's import: B2B companies changed since the watermark, each with all its locations
and contacts, read page by page and upserted.

As the customer import (customer_sync.py): the watermark is taken before reading and moved only
once everything was read whole; a small overlap re-reads the last minutes (those companies are
counted as skipped). A page brings each company with its first few locations and contacts; a
company with more is read on by its own paged queries before the page is written, so what a
company no longer lists can be deleted. Every answer is checked whole (a connection missing, a node
without its ID, a pageInfo that cannot be followed): the client retries such an answer, never takes
it for "no more data".

A shop without B2B lists no companies (Shopify may also refuse the companies field outright, with
"Access denied", to a shop not on a B2B plan): the import then ends with zero counts and says so.
Mapping the company locations to the ledger's customers is the sync domain's business
(syncjobs.companies), not this module's.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Callable, Iterator

from django.utils import timezone

from connectors.shopify.client import ShopifyClient
from connectors.shopify.customer_sync import shop_country
from connectors.shopify.documents import document
from connectors.shopify.errors import ShopifyQueryError
from connectors.shopify.importers.companies import import_companies
from connectors.shopify.importers.counts import ImportCounts, RecordError
from connectors.shopify.models import ImportState, ShopifyCompany

logger = logging.getLogger(__name__)
WATERMARK_OVERLAP = timedelta(minutes=5)
# CompanyFields asks about 132 points a company (its first 5 locations at 6 points, its first 5
# contacts at 19 with their first 5 roles): 7 a page ask 926 of the 1,000 a query may cost.
COMPANIES_PER_PAGE = 7
LOCATIONS_PER_PAGE = 150     # CompanyLocationsPage: 6 points a location, 903 a page
CONTACTS_PER_PAGE = 50       # CompanyContactsPage: 19 points a contact, 953 a page
ROLES_PER_PAGE = 250         # CompanyContactRolesPage: 3 points a role, 753 a page
NO_B2B = "the shop has no B2B companies"

Progress = Callable[[ImportCounts], None]


@dataclass
class CompanyImportCounts(ImportCounts):
    """An import's counts, and whether the shop sells to companies at all."""

    has_b2b: bool = True
    note: str = ""           # what the run log says besides the counts, e.g. NO_B2B


def sync_companies(*, merchant, client: ShopifyClient | None = None,
                   progress: Progress | None = None) -> CompanyImportCounts:
    """Import the companies changed since the last run (all of them the first time) with their
    locations and contacts. A shop without B2B ends with zero counts, `has_b2b` False and a note."""
    client = client or ShopifyClient.for_merchant(merchant)
    state, _ = ImportState.objects.get_or_create(merchant=merchant, kind=ImportState.Kind.COMPANIES)
    counts = CompanyImportCounts()
    started_at = timezone.now()
    query = None
    if state.watermark:
        since = (state.watermark - WATERMARK_OVERLAP).strftime("%Y-%m-%dT%H:%M:%SZ")
        query = f"updated_at:>='{since}'"
    country = None
    pages = company_pages(client, "CompaniesUpdatedSince", {"first": COMPANIES_PER_PAGE, "query": query}, counts)
    try:
        for page in pages:
            if not page:
                continue
            country = country or shop_country(client)
            counts.add(import_companies(merchant=merchant, payloads=page, shop_country=country))
            if progress:
                progress(counts)
    except ShopifyQueryError as exc:
        if not is_access_denied(exc):
            raise
        logger.info("shopify companies shop=%s: %s", merchant.code, exc)
        return CompanyImportCounts(has_b2b=False, note=f"{NO_B2B} (Shopify refused to list them: "
                                                       f"{'; '.join(exc.messages)})")
    if counts.read == 0 and not ShopifyCompany.objects.filter(merchant=merchant).exists():
        counts.has_b2b, counts.note = False, NO_B2B
    ImportState.objects.filter(pk=state.pk).update(watermark=started_at, updated_at=timezone.now())
    return counts


def is_access_denied(error: ShopifyQueryError) -> bool:
    """Shopify's answer to a shop (or an app) that may not read companies: B2B is a plan's feature."""
    return any("access denied" in message.lower() for message in error.messages)


# Reading whole companies --------------------------------------------------------------------------

def company_pages(client: ShopifyClient, document_name: str, variables: dict,
                  counts: ImportCounts | None = None) -> Iterator[list[dict]]:
    """The companies a CompanyFields query lists (CompaniesUpdatedSince, CompaniesByExternalId), a
    page at a time, each with every location, contact and role read to the end. A company deleted
    while it was read on is left out of its page (and noted in `counts`)."""
    after = None
    while True:
        data = client.execute(document(document_name), {**variables, "after": after},
                              check=_companies_problem).data
        connection = data["companies"]
        page = [company for company in connection["nodes"] if read_on(client, company, counts)]
        yield page
        info = connection["pageInfo"]
        if not info["hasNextPage"]:
            return
        after = info["endCursor"]


def read_on(client: ShopifyClient, company: dict, counts: ImportCounts | None = None) -> bool:
    """Complete a company's locations, contacts and their roles in place, where its page held only
    the first few; False when Shopify no longer has it."""
    whole = (_read_on(client, "CompanyLocationsPage", "company", "locations", company["id"], company["locations"],
                      LOCATIONS_PER_PAGE, _location_problem)
             and _read_on(client, "CompanyContactsPage", "company", "contacts", company["id"], company["contacts"],
                          CONTACTS_PER_PAGE, _contact_problem))
    if whole:
        # A contact removed while its roles were read is left out: it is gone from Shopify.
        company["contacts"]["nodes"] = [
            contact for contact in company["contacts"]["nodes"]
            if _read_on(client, "CompanyContactRolesPage", "companyContact", "roleAssignments", contact["id"],
                        contact["roleAssignments"], ROLES_PER_PAGE, _role_problem)]
    if not whole and counts is not None:
        counts.skipped += 1
        counts.skipped_records.append(RecordError(
            "company", company["id"], f"company {company.get('name') or company['id']} was deleted in Shopify "
                                      "while it was read"))
    return whole


def _read_on(client: ShopifyClient, document_name: str, owner_key: str, connection_key: str, gid: str,
             connection: dict, per_page: int, node_problem: Callable[[Any], str | None]) -> bool:
    def problem(data: Any) -> str | None:
        if not isinstance(data, dict) or owner_key not in data:
            return f"{owner_key} is missing"
        owner = data[owner_key]
        if owner is None:
            return None              # deleted: the caller decides
        if not isinstance(owner, dict):
            return f"{owner_key} is not an object"
        return connection_problem(owner.get(connection_key), f"{connection_key} of {gid}", node_problem)

    while connection["pageInfo"]["hasNextPage"]:
        variables = {"id": gid, "first": per_page, "after": connection["pageInfo"]["endCursor"]}
        owner = client.execute(document(document_name), variables, check=problem).data[owner_key]
        if owner is None:
            return False
        more = owner[connection_key]
        connection["nodes"] = [*connection["nodes"], *more["nodes"]]
        connection["pageInfo"] = more["pageInfo"]
    return True


# What makes an answer incomplete ------------------------------------------------------------------

def connection_problem(connection: Any, where: str, node_problem: Callable[[Any], str | None]) -> str | None:
    """What keeps a connection from being read whole (each node checked by `node_problem`), or None."""
    if not isinstance(connection, dict):
        return f"{where} is missing"
    nodes = connection.get("nodes")
    if not isinstance(nodes, list):
        return f"{where} has no list of nodes"
    for node in nodes:
        if not isinstance(node, dict):
            return f"{where} lists a null node"
        problem = node_problem(node)
        if problem:
            return f"{where}: {problem}"
    info = connection.get("pageInfo")
    if not isinstance(info, dict) or not isinstance(info.get("hasNextPage"), bool) or (
            info["hasNextPage"] and not info.get("endCursor")):
        return f"{where} has no usable pageInfo"
    return None


def company_problem(company: dict) -> str | None:
    """What is missing from a company (CompanyFields), or None: its mainContact may be null."""
    if not _has_id(company):
        return "a company has no ID"
    main = company.get("mainContact")
    if main is not None and not (_has_id(main) and _has_id(main.get("customer"))):
        return f"the main contact of {company['id']} has no ID or no customer"
    return (connection_problem(company.get("locations"), f"locations of {company['id']}", _location_problem)
            or connection_problem(company.get("contacts"), f"contacts of {company['id']}", _contact_problem))


def _companies_problem(data: Any) -> str | None:
    companies = data.get("companies") if isinstance(data, dict) else None
    return connection_problem(companies, "companies", company_problem)


def _location_problem(location: dict) -> str | None:
    return None if _has_id(location) else "a location has no ID"


def _contact_problem(contact: dict) -> str | None:
    if not _has_id(contact) or not _has_id(contact.get("customer")):
        return "a contact has no ID or no customer"
    return connection_problem(contact.get("roleAssignments"), f"roles of {contact['id']}", _role_problem)


def _role_problem(role: dict) -> str | None:
    if not _has_id(role.get("companyLocation")) or not isinstance(role.get("role"), dict):
        return "a role names no location or no role"
    return None


def _has_id(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get("id"), str) and bool(node["id"])
