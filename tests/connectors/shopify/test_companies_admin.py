"""The B2B companies' admin pages: a read-only list and a page with the company's locations and
contacts, each shop's users seeing only their own shop's companies."""
import pytest
from django.urls import reverse

from connectors.shopify.client import ClientSettings, ShopifyClient
from connectors.shopify.company_sync import sync_companies
from connectors.shopify.models import ShopifyCompany
from shopify_simulator.bucket import PLANS, LeakyBucket
from tests.factories.merchants import MerchantFactory
from tests.factories.users import merchant_user
from tests.fixtures.shopify_simulator import shop_named


def imported(simulator, handle: str, code: str):
    shop = shop_named(simulator, handle)
    shop.bucket = LeakyBucket(PLANS["unlimited"])
    merchant = MerchantFactory(code=code, shop_domain=shop.domain, api_base_url=simulator.base_url,
                               access_token=shop.access_token, time_zone=shop.profile.time_zone,
                               shop_currency=shop.profile.currency)
    sync_companies(merchant=merchant, client=ShopifyClient.for_merchant(merchant, client_settings=ClientSettings()))
    return merchant, shop


@pytest.fixture
def shop_user(db, client, simulator):
    """Alice works for the US shop; the UK shop's companies are someone else's."""
    own, us = imported(simulator, "demo-us", "OWN")
    other, uk = imported(simulator, "demo-uk", "OTHER")
    client.force_login(merchant_user(own, username="alice"))
    return client, own, us, other, uk


def page(client, url: str, **query) -> str:
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_shows_a_shops_companies_with_main_contact_and_locations_and_no_one_elses(shop_user):
    # given
    client, own, us, other, uk = shop_user
    book = us.companies
    company = next(c for c in book.companies() if len(c.location_ids) > 1)
    main = book.contact(company.main_contact_id)
    email = us.customers.view(main.customer_number)["email"].lower()
    # when
    listed = page(client, reverse("admin:shopify_shopifycompany_changelist"))
    # then
    assert all(c.name in listed for c in book.companies())
    assert not any(c.name in listed for c in uk.companies.companies())
    assert email in listed and company.external_id in listed
    row = listed[listed.index(company.name):]
    assert f'<td class="field-location_count">{len(company.location_ids)}</td>' in row
    found = page(client, reverse("admin:shopify_shopifycompany_changelist"), q=email)
    assert company.name in found and sum(c.name in found for c in book.companies()) == 1


def test_a_company_page_shows_its_locations_and_contacts_and_changes_nothing(shop_user):
    # given
    client, own, us, _, _ = shop_user
    book = us.companies
    company = next(c for c in book.companies() if len(c.location_ids) > 1 and len(c.contact_ids) > 1)
    held = ShopifyCompany.objects.get(merchant=own, shopify_gid=company.gid)
    # when
    shown = page(client, reverse("admin:shopify_shopifycompany_change", args=[held.pk]))
    # then
    for location in book.locations_of(company):
        assert location.name in shown and location.shipping.address1 in shown
        assert location.tax_registration_id is None or location.tax_registration_id in shown
    assert "Net 30" in shown or "Due on receipt" in shown or "pay at checkout" in shown
    for contact in book.contacts_of(company):
        assert us.customers.view(contact.customer_number)["email"].lower() in shown
    assert "Location admin at " in shown
    assert 'name="_save"' not in shown


def test_another_shops_company_is_not_found(shop_user):
    client, _, _, other, _ = shop_user
    theirs = ShopifyCompany.objects.filter(merchant=other).first()

    response = client.get(reverse("admin:shopify_shopifycompany_change", args=[theirs.pk]))

    assert response.status_code == 404
