"""Report 30114's export against the simulator: ledger B2B customers created in Shopify as companies
with their location and main contact, found by their external ID rather than made twice (an earlier
run, a lost answer), Shopify's refusals in words, and what was created imported at once."""
import time

import pytest
import requests

from connectors.shopify import company_export
from connectors.shopify.client import ClientSettings, ShopifyClient
from connectors.shopify.company_export import CompanyCreated, CompanyDraft, create_companies
from connectors.shopify.models import ShopifyCompany, ShopifyCompanyContact, ShopifyCompanyLocation
from shopify_simulator.bucket import PLANS, LeakyBucket
from shopify_simulator.store.gids import gid_number
from tests.factories.merchants import MerchantFactory
from tests.fixtures.shopify_simulator import RecordingSession, shop_named

FAST = ClientSettings(connect_timeout=5, read_timeout=15, max_attempts=5, backoff_base=0.01, backoff_cap=0.05)


def merchant_of(simulator, handle: str):
    shop = shop_named(simulator, handle)
    shop.bucket = LeakyBucket(PLANS["unlimited"])
    return MerchantFactory(shop_domain=shop.domain, api_base_url=simulator.base_url, access_token=shop.access_token,
                           time_zone=shop.profile.time_zone, shop_currency=shop.profile.currency), shop


@pytest.fixture
def us(db, simulator):
    return merchant_of(simulator, "demo-us")


def client_for(merchant, client_settings=FAST, **kwargs) -> ShopifyClient:
    return ShopifyClient.for_merchant(merchant, client_settings=client_settings, **{"sleep": lambda s: None, **kwargs})


def draft(number: str, **fields) -> CompanyDraft:
    return CompanyDraft(**{
        "external_id": number, "name": f"Catskill Provisions {number}", "email": f"Orders.{number}@Example.com",
        "phone": "(518) 555-0142", "first_name": "Dana", "last_name": "Reyes", "address1": "12 Main Street",
        "address2": "Suite 4", "city": "Hudson", "zip": "12534", "province_code": "NY", "country_code": "US",
        "tax_registration_id": "12-3456789", **fields})


def with_external_id(shop, external_id: str) -> list:
    return [company for company in shop.companies.companies() if company.external_id == external_id]


def test_a_draft_becomes_a_company_with_its_location_and_main_contact(us):
    # given
    merchant, shop = us
    # when
    (created,) = create_companies(merchant=merchant, client=client_for(merchant), drafts=[draft("C10000")])
    # then
    (company,) = with_external_id(shop, "C10000")
    book = shop.companies
    (location,) = book.locations_of(company)
    assert created == CompanyCreated("C10000", company.gid, location.gid, "")
    assert (company.name, location.name, location.tax_registration_id) == (
        "Catskill Provisions C10000", "Catskill Provisions C10000", "12-3456789")
    for address in (location.billing, location.shipping):
        assert (address.address1, address.address2, address.city, address.zip, address.zone_code,
                address.country_code, address.first_name, address.last_name) == (
            "12 Main Street", "Suite 4", "Hudson", "12534", "NY", "US", "Dana", "Reyes")
    main = book.contact(company.main_contact_id)
    customer = shop.customers.view(main.customer_number)
    assert (customer["email"], customer["phone"], customer["firstName"]) == (
        "orders.c10000@example.com", "+15185550142", "Dana")
    # imported at once, as the import would have it
    row = ShopifyCompany.objects.get(merchant=merchant, shopify_gid=company.gid)
    assert (row.external_id, row.main_contact_email, row.main_contact_phone) == (
        "C10000", "orders.c10000@example.com", "+15185550142")
    assert ShopifyCompanyLocation.objects.get(merchant=merchant, shopify_gid=location.gid).company == row
    assert ShopifyCompanyContact.objects.filter(merchant=merchant, company=row, is_main_contact=True).count() == 1


def test_a_customer_without_an_email_becomes_a_company_without_a_contact(us):
    merchant, shop = us

    (created,) = create_companies(merchant=merchant, client=client_for(merchant),
                                  drafts=[draft("C10001", email="", address1="", address2="", city="", zip="",
                                                province_code="")])

    (company,) = with_external_id(shop, "C10001")
    assert created.error == "" and company.main_contact_id is None and not company.contact_ids
    (location,) = shop.companies.locations_of(company)
    assert location.billing is None and location.shipping is None


def test_a_company_already_holding_the_external_id_is_reused_not_made_again(us):
    """An earlier run made it (or a person did): it is looked up first, nothing is created."""
    # given
    merchant, shop = us
    first = create_companies(merchant=merchant, client=client_for(merchant), drafts=[draft("C10002")])
    generated = next(c for c in shop.companies.companies() if c.external_id == "B2B-0002")
    session = RecordingSession()
    # when
    again = create_companies(merchant=merchant, client=client_for(merchant, session=session),
                             drafts=[draft("C10002"), draft("B2B-0002")])
    # then
    assert again[0] == first[0]
    assert again[1] == CompanyCreated("B2B-0002", generated.gid, shop.companies.locations_of(generated)[0].gid, "")
    assert "CompanyCreate" not in session.sent
    assert len(with_external_id(shop, "C10002")) == 1
    assert ShopifyCompany.objects.filter(merchant=merchant, shopify_gid=generated.gid).exists()


class ArmedSession(requests.Session):
    """A transport that sets one simulator fault just before the first request of an operation."""

    def __init__(self, shop, operation: str, kind: str, **rule) -> None:
        super().__init__()
        self.shop, self.operation, self.kind, self.rule = shop, operation, kind, rule
        self.sent: list[str] = []

    def post(self, url, json=None, **kwargs):
        name = (json or {}).get("operationName", "")
        self.sent.append(name)
        if self.operation and name == self.operation:
            self.operation = ""
            self.shop.faults.set(self.kind, next_requests=1, **self.rule)
        return super().post(url, json=json, **kwargs)


def test_a_create_whose_answer_was_lost_after_the_write_makes_one_company(us, monkeypatch):
    """Shopify made the company, the answer never came (the client timed out): it is found by its
    external ID, not created a second time."""
    # given
    merchant, shop = us
    monkeypatch.setattr(company_export, "LOST_SETTLE_SECONDS", 0.5)
    session = ArmedSession(shop, "CompanyCreate", "slow", seconds=0.8)
    client = client_for(merchant, ClientSettings(read_timeout=0.4, max_attempts=3, backoff_base=0.01),
                        session=session, sleep=time.sleep)
    # when
    (created,) = create_companies(merchant=merchant, client=client, drafts=[draft("C10003")])
    # then
    assert shop.faults.suffered == {"slow": 1}
    (company,) = with_external_id(shop, "C10003")
    assert (created.company_gid, created.error) == (company.gid, "")
    assert session.sent.count("CompanyCreate") == 1
    assert ShopifyCompany.objects.filter(merchant=merchant, external_id="C10003").count() == 1


def test_a_create_still_running_when_looked_for_is_not_made_twice(us):
    """The lost create was still under way when it was looked for, so it is sent again: the shop
    refuses a second company with the same external ID (or the first one is refused, later), and
    the one company there is the outcome."""
    # given
    merchant, shop = us
    session = ArmedSession(shop, "CompanyCreate", "slow", seconds=0.6)
    client = client_for(merchant, ClientSettings(read_timeout=0.3, max_attempts=3, backoff_base=0.01),
                        session=session)
    # when
    (created,) = create_companies(merchant=merchant, client=client, drafts=[draft("C10011")])
    time.sleep(0.5)       # the slow create has been answered, to nobody
    # then
    (company,) = with_external_id(shop, "C10011")
    assert (created.company_gid, created.error) == (company.gid, "")
    assert session.sent.count("CompanyCreate") == 2
    assert ShopifyCompany.objects.get(merchant=merchant, external_id="C10011").shopify_gid == company.gid


def test_a_create_lost_before_the_write_is_sent_again_once(us):
    # given
    merchant, shop = us
    session = ArmedSession(shop, "CompanyCreate", "drop")
    # when
    (created,) = create_companies(merchant=merchant, client=client_for(merchant, session=session),
                                  drafts=[draft("C10004")])
    # then
    assert shop.faults.suffered == {"drop": 1}
    (company,) = with_external_id(shop, "C10004")
    assert (created.company_gid, created.error) == (company.gid, "")
    assert session.sent.count("CompanyCreate") == 2
    assert session.sent.count("CompaniesByExternalId") == 1 + company_export.LOST_LOOKUPS


def test_a_create_lost_twice_fails_and_says_the_next_run_looks_for_it(us):
    merchant, shop = us

    class OnlyCreatesDropped(requests.Session):
        def post(self, url, json=None, **kwargs):
            if (json or {}).get("operationName") == "CompanyCreate":
                shop.faults.set("drop", next_requests=1)
            return super().post(url, json=json, **kwargs)

    (created,) = create_companies(merchant=merchant, client=client_for(merchant, session=OnlyCreatesDropped()),
                                  drafts=[draft("C10005")])

    assert created.company_gid == "" and "lost twice" in created.error and "C10005" in created.error
    assert shop.faults.suffered == {"drop": 2}
    assert with_external_id(shop, "C10005") == []


def test_a_draft_shopify_refuses_fails_alone_with_shopifys_words(us):
    # given
    merchant, shop = us
    drafts = [draft("C10006", name=" "), draft("C10007"), draft("C10008", email="not an email")]
    # when
    refused, made, bad_email = create_companies(merchant=merchant, client=client_for(merchant), drafts=drafts)
    # then
    assert refused.error.startswith("Shopify refused the company: Name can't be blank (company.name)")
    assert made.error == "" and made.company_gid == with_external_id(shop, "C10007")[0].gid
    # an email that is no address is not sent: the company is made without a contact
    assert bad_email.error == "" and with_external_id(shop, "C10008")[0].main_contact_id is None
    assert with_external_id(shop, "C10006") == []


def test_an_email_a_customer_of_the_shop_has_makes_that_customer_the_companys_main_contact(us):
    """companyCreate refuses a new contact whose email a customer has: the buyer already shops as a
    consumer, so the company is made and that customer attached as its main contact."""
    merchant, shop = us
    number = shop.profile.customer_id_base + 2
    taken = shop.customers.view(number)["email"]

    (created,) = create_companies(merchant=merchant, client=client_for(merchant),
                                  drafts=[draft("C10009", email=taken.upper())])

    (company,) = with_external_id(shop, "C10009")
    assert (created.company_gid, created.error) == (company.gid, "")
    assert shop.companies.contact(company.main_contact_id).customer_number == number
    row = ShopifyCompany.objects.get(merchant=merchant, shopify_gid=company.gid)
    assert row.main_contact_email == taken.lower()


def test_a_phone_another_customer_has_is_left_out_and_the_company_made(us):
    # given
    merchant, shop = us
    create_companies(merchant=merchant, client=client_for(merchant), drafts=[draft("C10012")])
    # when
    (created,) = create_companies(merchant=merchant, client=client_for(merchant), drafts=[draft("C10013")])
    # then
    (company,) = with_external_id(shop, "C10013")
    assert (created.company_gid, created.error) == (company.gid, "")
    customer = shop.customers.view(shop.companies.contact(company.main_contact_id).customer_number)
    assert (customer["email"], customer["phone"]) == ("orders.c10013@example.com", None)


def test_a_shop_without_b2b_refuses_every_draft(db, simulator):
    merchant, _ = merchant_of(simulator, "demo-eu")

    (created,) = create_companies(merchant=merchant, client=client_for(merchant), drafts=[draft("C10010")])

    assert created == CompanyCreated("C10010", "", "", "Shopify refused the company: "
                                                       "B2B is not available on this shop.")


@pytest.mark.parametrize("kind, rule", [
    ("throttle", {"probability": 0.3}),
    ("server_error", {"probability": 0.2}),
    ("drop", {"probability": 0.15}),
    ("empty", {"probability": 0.2}),
    ("slow", {"probability": 0.15, "seconds": 0.5}),
])
def test_faults_still_end_in_exactly_one_company_per_draft(us, kind, rule):
    # given
    merchant, shop = us
    settings = ClientSettings(read_timeout=0.25 if kind == "slow" else 15, max_attempts=10, backoff_base=0.01,
                              backoff_cap=0.05)
    drafts = [draft(f"C2{n:04d}", phone=f"518 555 01{n:02d}") for n in range(8)]
    shop.faults.set(kind, **rule)
    # when
    first = create_companies(merchant=merchant, client=client_for(merchant, settings), drafts=drafts)
    shop.faults.clear()
    again = create_companies(merchant=merchant, client=client_for(merchant), drafts=drafts)
    # then
    assert shop.faults.suffered.get(kind)
    assert all(outcome.error == "" or "lost twice" in outcome.error for outcome in first), first
    for outcome, made in zip(again, drafts):
        (company,) = with_external_id(shop, made.external_id)
        assert (outcome.company_gid, outcome.error) == (company.gid, "")
    assert ShopifyCompany.objects.filter(merchant=merchant, external_id__startswith="C2").count() == len(drafts)
    assert {gid_number(outcome.company_gid, "Company") for outcome in again} == {
        company.id for company in shop.companies.companies() if (company.external_id or "").startswith("C2")}
