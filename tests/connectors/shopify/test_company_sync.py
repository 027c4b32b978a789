"""Report 30114's import of B2B companies against the simulator (demo-us and demo-uk sell to
companies, demo-eu does not): whole companies with every location, contact and role, incremental,
through faults and incomplete answers without duplicates and without moving the watermark; and the
company location a B2B order was placed for."""
import json

import pytest
import requests
from django.db import connection
from django.test.utils import CaptureQueriesContext
from factory.django import mute_signals

from connectors.shopify import company_sync
from connectors.shopify.client import ClientSettings, ShopifyClient
from connectors.shopify.company_sync import NO_B2B, company_pages, sync_companies
from connectors.shopify.errors import ShopifyGaveUp
from connectors.shopify.importers.companies import import_companies
from connectors.shopify.models import (
    ImportState,
    ShopifyCompany,
    ShopifyCompanyContact,
    ShopifyCompanyLocation,
    ShopifyOrder,
)
from connectors.shopify.order_sync import sync_orders
from connectors.shopify.signals import companies_imported
from shopify_simulator.bucket import PLANS, LeakyBucket
from shopify_simulator.store.companies import LOCATION_ADMIN
from tests.factories.merchants import MerchantFactory
from tests.fixtures.shopify_simulator import RANDOM_FAULTS, RecordingSession, ShopifyHttp, shop_named

FAST = ClientSettings(connect_timeout=5, read_timeout=15, max_attempts=8, backoff_base=0.01, backoff_cap=0.05)
NO_WAIT = {"sleep": lambda seconds: None}      # throttled and backed-off calls go again at once

LOCATION_CREATE = """mutation ($companyId: ID!, $input: CompanyLocationInput!) {
  companyLocationCreate(companyId: $companyId, input: $input) { companyLocation { id } userErrors { message } } }"""
CONTACT_CREATE = """mutation ($companyId: ID!, $input: CompanyContactInput!) {
  companyContactCreate(companyId: $companyId, input: $input) { companyContact { id } userErrors { message } } }"""
COMPANY_CREATE = """mutation ($input: CompanyCreateInput!) {
  companyCreate(input: $input) { company { id } userErrors { message } } }"""


def merchant_of(simulator, handle: str):
    shop = shop_named(simulator, handle)
    shop.bucket = LeakyBucket(PLANS["unlimited"])
    return MerchantFactory(shop_domain=shop.domain, api_base_url=simulator.base_url, access_token=shop.access_token,
                           time_zone=shop.profile.time_zone, shop_currency=shop.profile.currency), shop


@pytest.fixture
def us(db, simulator):
    """demo-us's merchant, its shop and a plain GraphQL client of it."""
    merchant, shop = merchant_of(simulator, "demo-us")
    return merchant, shop, ShopifyHttp(simulator, shop.access_token)


def run(merchant, client_settings=FAST, **kwargs):
    return sync_companies(merchant=merchant, client=ShopifyClient.for_merchant(
        merchant, client_settings=client_settings, **{**NO_WAIT, **kwargs}))


def in_shopify(shop) -> dict:
    """Each company of the simulated shop: its name, external ID, locations and contacts (GIDs)."""
    book = shop.companies
    return {company.gid: (company.name, company.external_id or "", {loc.gid for loc in book.locations_of(company)},
                          {contact.gid for contact in book.contacts_of(company)})
            for company in book.companies()}


def imported(merchant) -> dict:
    locations, contacts = {}, {}
    for company_gid, gid in ShopifyCompanyLocation.objects.filter(merchant=merchant).values_list(
            "company__shopify_gid", "shopify_gid"):
        locations.setdefault(company_gid, set()).add(gid)
    for company_gid, gid in ShopifyCompanyContact.objects.filter(merchant=merchant).values_list(
            "company__shopify_gid", "shopify_gid"):
        contacts.setdefault(company_gid, set()).add(gid)
    return {c.shopify_gid: (c.name, c.external_id, locations.get(c.shopify_gid, set()),
                            contacts.get(c.shopify_gid, set()))
            for c in ShopifyCompany.objects.filter(merchant=merchant)}


def snapshot(merchant) -> dict:
    """Every imported row's fields but the import's own times, by GID."""
    rows = {}
    for model in (ShopifyCompany, ShopifyCompanyLocation, ShopifyCompanyContact):
        names = [f.attname for f in model._meta.concrete_fields
                 if f.name not in {"id", "merchant", "company", "imported_at", "updated_at"}]
        rows.update({row["shopify_gid"]: row for row in model.objects.filter(merchant=merchant).values(*names)})
    return rows


def watermark(merchant):
    state = ImportState.objects.filter(merchant=merchant, kind=ImportState.Kind.COMPANIES).first()
    return state.watermark if state else None


# Whole and incremental -----------------------------------------------------------------------------

def test_the_first_import_brings_every_company_with_its_locations_and_contacts(us):
    # given
    merchant, shop, _ = us
    expected = in_shopify(shop)
    # when
    counts = run(merchant)
    # then
    assert (counts.read, counts.created, counts.updated, counts.failed) == (len(expected), len(expected), 0, 0)
    assert counts.has_b2b and counts.note == ""
    assert imported(merchant) == expected
    assert watermark(merchant) is not None


def test_a_company_arrives_with_its_main_contact_addresses_tax_id_and_terms(us):
    """The main contact's email lower-cased and phone in E.164, copied on the company; a location's
    bill-to and ship-to, tax registration ID, currency and payment terms; each contact's roles."""
    # given
    merchant, shop, http = us
    book = shop.companies
    company = next(c for c in book.companies() if len(c.location_ids) > 1)
    main = book.contact(company.main_contact_id)
    customer = shop.customers.view(main.customer_number)
    location = book.locations_of(company)[1]
    # when
    run(merchant)
    # then
    row = ShopifyCompany.objects.get(merchant=merchant, shopify_gid=company.gid)
    assert (row.name, row.main_contact_gid, row.main_contact_name) == (company.name, main.gid, customer["displayName"])
    assert row.main_contact_email == customer["email"].lower()
    assert row.main_contact_phone == "+" + "".join(c for c in customer["phone"] if c.isdigit())
    held = ShopifyCompanyLocation.objects.get(merchant=merchant, shopify_gid=location.gid)
    assert held.company_id == row.pk
    assert (held.name, held.currency, held.tax_registration_id, held.tax_exempt) == (
        location.name, location.currency, location.tax_registration_id or "", location.tax_exempt)
    assert (held.bill_to_address1, held.bill_to_city, held.bill_to_zip, held.bill_to_country_code) == (
        location.billing.address1, location.billing.city, location.billing.zip, location.billing.country_code)
    assert (held.ship_to_address1, held.ship_to_province_code, held.ship_to_recipient) == (
        location.shipping.address1, location.shipping.zone_code or "", location.shipping.recipient or "")
    view = http.run_text("query ($id: ID!) { companyLocation(id: $id) { buyerExperienceConfiguration {"
                         " paymentTermsTemplate { name dueInDays } } } }", id=location.gid)
    terms = view["companyLocation"]["buyerExperienceConfiguration"]["paymentTermsTemplate"] or {}
    assert (held.payment_terms, held.payment_terms_days) == (terms.get("name", ""), terms.get("dueInDays"))
    contact = ShopifyCompanyContact.objects.get(merchant=merchant, shopify_gid=main.gid)
    assert contact.is_main_contact and contact.company_id == row.pk
    assert contact.roles == {book.location(a.location_id).gid: book.role(a.role_id).name
                             for a in book.assignments_of(main)}


def test_a_second_run_reads_only_the_companies_changed_since_the_watermark(us):
    # given
    merchant, shop, http = us
    run(merchant)
    company = next(shop.companies.companies())
    added = http.run_text(LOCATION_CREATE, companyId=company.gid, input={
        "name": "Albany Depot", "billingSameAsShipping": True,
        "shippingAddress": {"address1": "1 State St", "city": "Albany", "zoneCode": "NY", "zip": "12207",
                            "countryCode": "US"}})
    created = http.run_text(COMPANY_CREATE, input={"company": {"name": "Hudson Valley Co-op", "externalId": "C-9"},
                                                   "companyLocation": {"name": "Kingston"}})
    session = RecordingSession()
    # when
    second = run(merchant, session=session)
    third = run(merchant)         # at once: both are still inside the overlap
    # then
    assert (second.read, second.created, second.updated, second.skipped) == (2, 1, 1, 0)
    assert (third.read, third.created, third.updated, third.skipped) == (2, 0, 0, 2)
    assert session.sent == ["CompaniesUpdatedSince", "ShopCountry"]
    location = ShopifyCompanyLocation.objects.get(merchant=merchant,
                                                  shopify_gid=added["companyLocationCreate"]["companyLocation"]["id"])
    assert (location.company.shopify_gid, location.name, location.ship_to_city) == (company.gid, "Albany Depot",
                                                                                     "Albany")
    assert imported(merchant) == in_shopify(shop)
    assert ShopifyCompany.objects.get(shopify_gid=created["companyCreate"]["company"]["id"]).external_id == "C-9"


def test_a_company_with_more_locations_contacts_and_roles_than_a_page_nests_is_read_whole(us):
    """Past the first 5 locations, 5 contacts and a contact's 5 roles, each list is read on by its
    own paged query before the company is written."""
    # given
    merchant, shop, http = us
    company = next(shop.companies.companies())
    for n in range(6):
        http.run_text(LOCATION_CREATE, companyId=company.gid, input={"name": f"Branch {n}"})
        http.run_text(CONTACT_CREATE, companyId=company.gid, input={"email": f"buyer{n}@example.com"})
    book = shop.companies
    main = book.contact(company.main_contact_id)
    with shop.lock:
        for location in book.locations_of(company):
            if not any(a.location_id == location.id for a in book.assignments_of(main)):
                book.assign_role(main, location, book.role_named(company, LOCATION_ADMIN), now=company.updated)
    session = RecordingSession()
    # when
    counts = run(merchant, session=session)
    # then
    assert counts.failed == 0
    assert sorted(session.sent) == sorted(["CompaniesUpdatedSince", "ShopCountry", "CompaniesUpdatedSince",
                                           "CompanyLocationsPage", "CompanyContactsPage", "CompanyContactRolesPage"])
    assert imported(merchant) == in_shopify(shop)
    held = ShopifyCompanyContact.objects.get(merchant=merchant, shopify_gid=main.gid)
    assert len(held.roles) == len(company.location_ids) > 5
    assert set(held.roles.values()) == {LOCATION_ADMIN}


def test_a_location_or_contact_a_company_no_longer_lists_is_deleted(us):
    # given
    merchant, shop, _ = us
    run(merchant)
    client = ShopifyClient.for_merchant(merchant, client_settings=FAST)
    page = [company for listed in company_pages(client, "CompaniesUpdatedSince", {"first": 7, "query": None})
            for company in listed]
    company = next(c for c in page if len(c["locations"]["nodes"]) > 1 and len(c["contacts"]["nodes"]) > 1)
    gone_location = company["locations"]["nodes"].pop()
    gone_contact = company["contacts"]["nodes"].pop()
    # when
    counts = import_companies(merchant=merchant, payloads=page, shop_country="US")
    # then
    assert (counts.updated, counts.skipped) == (1, len(page) - 1)
    assert not ShopifyCompanyLocation.objects.filter(shopify_gid=gone_location["id"]).exists()
    assert not ShopifyCompanyContact.objects.filter(shopify_gid=gone_contact["id"]).exists()
    assert ShopifyCompanyLocation.objects.filter(company__shopify_gid=company["id"]).count() == len(
        company["locations"]["nodes"])


def test_only_new_and_changed_companies_are_announced(us):
    # given
    merchant, shop, http = us
    heard = []

    def listen(sender, merchant_id, gids, **kwargs):
        heard.append((merchant_id, sorted(gids)))

    companies_imported.connect(listen)
    try:
        run(merchant)
        company = next(shop.companies.companies())
        http.run_text(CONTACT_CREATE, companyId=company.gid, input={"email": "new.buyer@example.com"})
        run(merchant)
        run(merchant)
    finally:
        companies_imported.disconnect(listen)
    # then
    announced = [gid for _, gids in heard for gid in gids]
    assert sorted(announced) == sorted([*in_shopify(shop), company.gid])
    assert {merchant_id for merchant_id, _ in heard} == {merchant.pk}


def test_an_unreadable_company_fails_alone_with_its_reason(us):
    merchant, _, _ = us
    client = ShopifyClient.for_merchant(merchant, client_settings=FAST)
    page = next(company_pages(client, "CompaniesUpdatedSince", {"first": 3, "query": None}))
    page[1]["updatedAt"] = "yesterday"

    counts = import_companies(merchant=merchant, payloads=page, shop_country="US")

    assert (counts.created, counts.failed) == (2, 1)
    assert counts.errors[0].shopify_id == page[1]["id"] and "not a date and time" in counts.errors[0].reason


def test_queries_per_batch_do_not_grow_with_the_batch(us):
    """The same fixed queries for 2 companies and for a page of them, new or changed (on SQLite,
    whose statements hold at most 999 values, an upsert of many more rows goes in several)."""
    merchant, _, _ = us
    client = ShopifyClient.for_merchant(merchant, client_settings=FAST)
    company = next(company_pages(client, "CompaniesUpdatedSince", {"first": 1, "query": None}))[0]

    def copies(count: int, start: int, updated: str) -> list[dict]:
        made = []
        for n in range(start, start + count):
            copy = json.loads(json.dumps(company).replace(company["id"], f"gid://shopify/Company/{n}"))
            for kind in ("locations", "contacts"):
                for i, node in enumerate(copy[kind]["nodes"]):
                    node["id"] = node["id"].rsplit("/", 1)[0] + f"/{n}{i:03d}"
            copy["updatedAt"] = updated
            made.append(copy)
        return made

    counted = []
    page = company_sync.COMPANIES_PER_PAGE
    for batch in (copies(2, 1, "2030-01-01T00:00:00Z"), copies(page, 100, "2030-01-01T00:00:00Z"),
                  copies(2, 1, "2031-01-01T00:00:00Z"), copies(page, 100, "2031-01-01T00:00:00Z")):
        with mute_signals(companies_imported), CaptureQueriesContext(connection) as queries:
            counts = import_companies(merchant=merchant, payloads=batch, shop_country="US")
        assert counts.created + counts.updated == len(batch)
        counted.append(len(queries))

    assert counted[0] == counted[1] and counted[2] == counted[3], counted
    assert max(counted) <= 11, counted   # savepoints, three reads, three upserts, the ids, two deletes


# Faults and incomplete answers ---------------------------------------------------------------------

@pytest.mark.parametrize("kind, rule", RANDOM_FAULTS, ids=[kind for kind, _ in RANDOM_FAULTS])
def test_faults_still_end_in_the_same_companies_without_duplicates(us, kind, rule, monkeypatch):
    # given
    merchant, shop, _ = us
    monkeypatch.setattr(company_sync, "COMPANIES_PER_PAGE", 2)       # many pages, many chances to fail
    shop.faults.set(kind, **rule)
    settings = ClientSettings(read_timeout=0.25 if kind == "slow" else 15, max_attempts=12, max_throttled=60,
                              backoff_base=0.01, backoff_cap=0.05)
    # when
    counts = run(merchant, client_settings=settings)
    faulted = snapshot(merchant)
    shop.faults.clear()
    again = run(merchant)
    # then
    assert shop.faults.suffered.get(kind)
    assert (counts.created, counts.failed) == (len(in_shopify(shop)), 0)
    assert imported(merchant) == in_shopify(shop)
    assert (again.created, again.updated) == (0, 0) and faulted == snapshot(merchant)


class Tampering(requests.Session):
    """A transport that spoils the data of the next `times` answers to one operation, as a partial
    Shopify answer would be (a null where a connection or an ID belongs, a cursor missing)."""

    def __init__(self, operation: str, spoil, times: int = 1) -> None:
        super().__init__()
        self.operation, self.spoil, self.times = operation, spoil, times
        self.spoiled = 0

    def post(self, url, json=None, **kwargs):
        response = super().post(url, json=json, **kwargs)
        if (json or {}).get("operationName") == self.operation and self.spoiled < self.times:
            body = response.json()
            self.spoil(body["data"])
            response._content = _json_bytes(body)
            self.spoiled += 1
        return response


def _json_bytes(body) -> bytes:
    return json.dumps(body).encode()


def _set(path: str, value):
    def spoil(data):
        target = data
        *parents, last = path.split(".")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
    return spoil


SPOILS = {
    "null locations": _set("companies.nodes.0.locations", None),
    "company without ID": _set("companies.nodes.1.id", None),
    "null contact": _set("companies.nodes.0.contacts.nodes.0", None),
    "contact without customer": _set("companies.nodes.0.contacts.nodes.0.customer", None),
    "null roles": _set("companies.nodes.0.contacts.nodes.0.roleAssignments", None),
    "next page without cursor": _set("companies.pageInfo", {"hasNextPage": True, "endCursor": None}),
    "null companies": _set("companies", None),
}


@pytest.mark.parametrize("spoil", SPOILS.values(), ids=SPOILS.keys())
def test_an_incomplete_answer_is_asked_again_never_taken_as_the_end(us, spoil):
    merchant, shop, _ = us
    session = Tampering("CompaniesUpdatedSince", spoil)

    counts = run(merchant, session=session)

    assert session.spoiled == 1 and counts.failed == 0
    assert imported(merchant) == in_shopify(shop)


def test_an_answer_incomplete_every_time_fails_the_run_and_keeps_the_watermark(us):
    # given
    merchant, shop, http = us
    run(merchant)
    before, held = watermark(merchant), snapshot(merchant)
    company = next(shop.companies.companies())
    http.run_text(LOCATION_CREATE, companyId=company.gid, input={"name": "Troy"})
    session = Tampering("CompaniesUpdatedSince", SPOILS["null locations"], times=99)
    # when
    with pytest.raises(ShopifyGaveUp, match="incomplete"):
        run(merchant, client_settings=ClientSettings(max_attempts=3, backoff_base=0.01), session=session)
    # then
    assert watermark(merchant) == before
    assert snapshot(merchant) == held       # nothing deleted for a list that did not come


def test_a_company_deleted_while_its_locations_are_read_on_is_left_out_and_said(us):
    # given
    merchant, shop, http = us
    company = next(shop.companies.companies())
    for n in range(5):
        http.run_text(LOCATION_CREATE, companyId=company.gid, input={"name": f"Branch {n}"})
    session = Tampering("CompanyLocationsPage", _set("company", None), times=99)
    # when
    counts = run(merchant, session=session)
    # then
    expected = in_shopify(shop)
    del expected[company.gid]
    assert imported(merchant) == expected and counts.failed == 0
    (said,) = counts.skipped_records
    assert (said.shopify_id, said.reason) == (company.gid, f"company {company.name} was deleted in Shopify "
                                                           "while it was read")


class FailingFrom(requests.Session):
    """Shopify fails every request from the `nth` request of one operation on (server errors)."""

    def __init__(self, shop, operation: str, nth: int) -> None:
        super().__init__()
        self.shop, self.operation, self.left = shop, operation, nth

    def post(self, url, json=None, **kwargs):
        if (json or {}).get("operationName") == self.operation:
            self.left -= 1
            if self.left == 0:
                self.shop.faults.set("server_error", probability=1.0)
        return super().post(url, json=json, **kwargs)


def test_a_run_stopped_half_way_keeps_its_pages_and_the_next_run_finishes_without_duplicates(us, monkeypatch):
    # given
    merchant, shop, _ = us
    monkeypatch.setattr(company_sync, "COMPANIES_PER_PAGE", 2)
    # when
    with pytest.raises(ShopifyGaveUp):
        run(merchant, client_settings=ClientSettings(max_attempts=2, backoff_base=0.01),
            session=FailingFrom(shop, "CompaniesUpdatedSince", 3))
    stopped = (ShopifyCompany.objects.filter(merchant=merchant).count(), watermark(merchant))
    shop.faults.clear()
    counts = run(merchant)
    # then
    assert stopped == (4, None)
    assert (counts.read, counts.created, counts.skipped) == (len(in_shopify(shop)), len(in_shopify(shop)) - 4, 4)
    assert imported(merchant) == in_shopify(shop)


# Shops without B2B ---------------------------------------------------------------------------------

def test_a_shop_without_b2b_imports_nothing_and_says_so(db, simulator):
    merchant, _ = merchant_of(simulator, "demo-eu")

    counts = run(merchant)

    assert (counts.read, counts.created, counts.has_b2b, counts.note) == (0, 0, False, NO_B2B)
    assert not ShopifyCompany.objects.filter(merchant=merchant).exists()


class AccessDenied(requests.Session):
    """Shopify's answer to a shop that may not read companies (not on a B2B plan)."""

    def post(self, url, json=None, **kwargs):
        if (json or {}).get("operationName") != "CompaniesUpdatedSince":
            return super().post(url, json=json, **kwargs)
        response = requests.Response()
        response.status_code = 200
        response._content = _json_bytes({"data": None, "errors": [{
            "message": "Access denied for companies field.", "path": ["companies"],
            "extensions": {"code": "ACCESS_DENIED", "documentation": "https://shopify.dev/api/usage/access-scopes"}}]})
        return response


def test_a_shop_refused_the_companies_field_imports_nothing_and_says_why(db, simulator):
    merchant, _ = merchant_of(simulator, "demo-eu")

    counts = run(merchant, session=AccessDenied())

    assert (counts.read, counts.has_b2b) == (0, False)
    assert counts.note == f"{NO_B2B} (Shopify refused to list them: Access denied for companies field.)"
    assert watermark(merchant) is None


# Orders placed for companies -----------------------------------------------------------------------

@pytest.mark.parametrize("bulk_threshold", [10_000, 0], ids=["pages", "bulk"])
def test_a_b2b_order_carries_its_company_and_location_and_a_consumers_order_none(us, bulk_threshold):
    # given
    merchant, shop, http = us
    orders = http.run_text("""{ orders(first: 200) { nodes { id purchasingEntity { __typename
        ... on PurchasingCompany { company { id } location { id } } } } } }""")["orders"]["nodes"]
    expected = {o["id"]: ((o["purchasingEntity"]["company"]["id"], o["purchasingEntity"]["location"]["id"])
                          if (o["purchasingEntity"] or {}).get("__typename") == "PurchasingCompany" else ("", ""))
                for o in orders}
    # when
    sync_orders(merchant=merchant, client=ShopifyClient.for_merchant(merchant, client_settings=FAST),
                bulk_threshold=bulk_threshold)
    # then
    held = {gid: (company, location) for gid, company, location in ShopifyOrder.objects.filter(
        merchant=merchant).values_list("shopify_gid", "company_gid", "company_location_gid")}
    assert held == expected
    b2b = [buyer for buyer in held.values() if buyer[0]]
    assert b2b and len(b2b) < len(held)
    locations = {loc.gid: shop.companies.company(loc.company_id).gid for loc in shop.companies.locations()}
    assert all(locations[location] == company for company, location in b2b)


def test_an_order_read_before_b2b_gets_its_company_when_read_again_unchanged(us):
    """Orders imported before the import read purchasingEntity keep everything but get their buyer."""
    # given
    merchant, _, _ = us
    client = ShopifyClient.for_merchant(merchant, client_settings=FAST)
    sync_orders(merchant=merchant, client=client, bulk_threshold=0)      # a bulk export: fewer requests
    b2b = dict(ShopifyOrder.objects.filter(merchant=merchant).exclude(company_location_gid="").values_list(
        "shopify_gid", "company_location_gid"))
    ShopifyOrder.objects.filter(merchant=merchant).update(company_gid="", company_location_gid="", processed=True)
    ImportState.objects.filter(merchant=merchant, kind=ImportState.Kind.ORDERS).delete()
    # when
    counts = sync_orders(merchant=merchant, client=client, bulk_threshold=0)
    # then
    assert counts.updated == 0 and counts.skipped == counts.read
    assert dict(ShopifyOrder.objects.filter(merchant=merchant).exclude(company_location_gid="").values_list(
        "shopify_gid", "company_location_gid")) == b2b
    assert not ShopifyOrder.objects.filter(merchant=merchant, processed=False).exists()
