"""Linking scales: the same queries for 4 company locations as for 40, whether they are matched,
created in the ledger or followed after a change in Shopify (40: SQLite's limit on a statement's
parameters splits no insert yet)."""
from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from connectors.ledger.records import CustomerData
from connectors.ledger.target import target_for
from connectors.shopify.models import ShopifyCompany, ShopifyCompanyLocation
from syncjobs.companies.linking import link_locations
from syncjobs.companies.models import CompanyLink, MappedBy
from tests.factories.merchants import MerchantFactory

pytestmark = pytest.mark.django_db
_ids = itertools.count(8_000_000)


def companies(merchant, count: int) -> None:
    """`count` companies of two locations each, the first one's main contact a known customer's."""
    now = timezone.now()
    for n in range(count):
        company = ShopifyCompany.objects.create(
            merchant=merchant, shopify_gid=f"gid://shopify/Company/{next(_ids)}", name=f"Company {n}",
            main_contact_email=f"buyer{n}@example.com", imported_at=now, updated_at=now)
        for name in ("Head office", "Depot"):
            ShopifyCompanyLocation.objects.create(
                merchant=merchant, company=company, shopify_gid=f"gid://shopify/CompanyLocation/{next(_ids)}",
                name=name, tax_registration_id=f"TX-{n}", updated_at=now)


def queries_to_link(merchant) -> int:
    with CaptureQueriesContext(connection) as captured:
        link_locations(merchant, target=target_for(merchant))
    return len(captured)


@pytest.mark.parametrize("mapping", ["by_email_phone", "by_tax_id"])
def test_linking_takes_the_same_queries_for_few_locations_and_many(mapping):
    few, many = (MerchantFactory(company_import="all_customers", company_mapping=mapping,
                                 auto_create_unknown_companies=True) for _ in range(2))
    for merchant, count in ((few, 2), (many, 20)):
        companies(merchant, count)
        target_for(merchant).create_customers(merchant, [CustomerData(name="Company 0", email="buyer0@example.com",
                                                                      tax_registration_no="tx 0")])

    assert queries_to_link(few) == queries_to_link(many)
    assert CompanyLink.objects.filter(merchant=many, mapped_by=MappedBy.CREATED).count() == 38
    # A change in Shopify: every created customer follows it, in the same few queries.
    ShopifyCompany.objects.filter(merchant__in=[few, many]).update(main_contact_phone="+12125550100",
                                                                  updated_at=timezone.now())
    assert queries_to_link(few) == queries_to_link(many)
