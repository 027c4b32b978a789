"""The B2B settings on the shop card name what the books hold (a number or code that is not there is a
form error, never a sync that fails later), and its companies panel says how the shop's company
locations map."""
import pytest
from django.urls import reverse
from django.utils import timezone

from connectors.ledger.models import PriceList
from connectors.shopify.models import ShopifyCompany, ShopifyCompanyLocation
from syncjobs.companies.models import CompanyLink, MappedBy
from tests.factories.ledger import CustomerFactory
from tests.factories.merchants import MerchantFactory
from tests.fixtures.shop_card import shop_card_post_data

pytestmark = pytest.mark.django_db


def post(client, merchant, **changes):
    return client.post(reverse("admin:merchants_merchant_change", args=[merchant.pk]),
                       shop_card_post_data(merchant, **changes))


def test_a_default_company_or_catalog_price_list_the_ledger_lacks_is_refused(superuser, login):
    # given
    merchant = MerchantFactory()
    known = CustomerFactory(merchant=merchant)
    PriceList.objects.create(merchant=merchant, code="WHOLESALE", currency=merchant.shop_currency)
    client = login(superuser)

    # when
    refused = post(client, merchant, default_company_no="C09999", catalog_price_list_code="RETAIL")
    kept = post(client, merchant, default_company_no=known.number, catalog_price_list_code="WHOLESALE")

    # then
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "The ledger has no customer C09999 to be the default company." in page
    assert "The ledger has no price list RETAIL." in page
    assert kept.status_code == 302
    merchant.refresh_from_db()
    assert (merchant.default_company_no, merchant.catalog_price_list_code) == (known.number, "WHOLESALE")


def test_always_the_default_company_needs_a_default_company(superuser, login):
    merchant = MerchantFactory()
    known = CustomerFactory(merchant=merchant)
    client = login(superuser)

    refused = post(client, merchant, company_import="all_customers", company_mapping="default_company")
    kept = post(client, merchant, company_import="all_customers", company_mapping="default_company",
                default_company_no=known.number)

    assert refused.status_code == 200
    assert "needs a default company: name the ledger customer every company location goes to" in \
        refused.content.decode()
    assert kept.status_code == 302


def test_the_companies_panel_counts_mapped_unmapped_and_not_yet_linked_locations(superuser, login):
    # given
    merchant = MerchantFactory(company_import="with_order_import")
    now = timezone.now()
    company = ShopifyCompany.objects.create(merchant=merchant, shopify_gid="gid://shopify/Company/1",
                                            name="Hudson Outfitters", imported_at=now, updated_at=now)
    for n, customer_no in enumerate(["C00001", "C00001", "", None]):
        location = ShopifyCompanyLocation.objects.create(
            merchant=merchant, company=company, shopify_gid=f"gid://shopify/CompanyLocation/{n}", name=f"L{n}",
            updated_at=now)
        if customer_no is not None:
            CompanyLink.objects.create(merchant=merchant, company_location_gid=location.shopify_gid,
                                       company_gid=company.shopify_gid, customer_no=customer_no,
                                       mapped_by=MappedBy.EMAIL if customer_no else "")
    empty = MerchantFactory(company_import="none")
    client = login(superuser)

    # when
    page = client.get(reverse("admin:merchants_merchant_change", args=[merchant.pk])).content.decode()
    none = client.get(reverse("admin:merchants_merchant_change", args=[empty.pk])).content.decode()

    # then
    assert "4 company locations: 2 mapped, 1 unmapped, 1 not linked (no order yet)" in page
    assert f"{reverse('admin:company_sync_companylink_changelist')}?merchant={merchant.pk}" in page
    assert "no company location imported: company import is none" in none
