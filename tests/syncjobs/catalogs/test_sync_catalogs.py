"""Report 30115 Sync Catalogs over HTTP against the simulator: demo-us's company and market catalogs
imported and linked (none priced until someone marks it), a catalog renamed in Shopify followed, a
shop without B2B told so, and, with auto-create catalog, a company new to Shopify given a catalog of
its own, marked for price sync from its customer's prices, once."""
import pytest

from connectors.shopify.client import ShopifyClient
from connectors.shopify.models import ShopifyCatalog
from syncjobs.catalogs.creation import create_company_catalogs
from syncjobs.catalogs.models import CatalogLink
from syncjobs.companies.models import CompanyLink
from syncjobs.companies.sync import sync_companies
from syncjobs.queue.models import RunStatus
from tests.factories.ledger import CustomerFactory, PriceListFactory, PriceListLineFactory
from tests.factories.merchants import MerchantFactory
from tests.fixtures.shopify_simulator import ShopifyHttp, shop_named
from tests.syncjobs.catalogs.helpers import (
    fixed_prices,
    item_no_of,
    link_every_variant,
    offered_variants,
    run_lines,
    run_report,
    shopify_catalog,
)

pytestmark = pytest.mark.django_db

DEMO_US_CATALOGS = {"Wholesale", "Trade Partners", "Adirondack Trading LLC contract", "Keystone Trading LLC contract",
                    "Riverside Supply Co. contract", "Export (CAD)", "Canada"}

COMPANY_CREATE = """
mutation ($input: CompanyCreateInput!) {
  companyCreate(input: $input) { company { id locations(first: 2) { nodes { id } } } userErrors { field message } }
}
"""


def test_the_shops_catalogs_are_imported_and_linked_none_priced_until_marked(merchant, us_shop):
    # when
    first = run_report(merchant, 30115)
    wholesale = CatalogLink.objects.get(merchant=merchant, title="Wholesale")
    CatalogLink.objects.filter(pk=wholesale.pk).update(sync_prices=True)
    shopify_catalog(us_shop, wholesale.catalog_gid).title = "Wholesale 2026"     # renamed in Shopify's admin
    second = run_report(merchant, 30115)

    # then
    assert (first.status, first.read, first.created) == (RunStatus.SUCCESS, 7, 7)
    assert run_lines(first) == ["7 catalogs: 6 company, 1 market; 0 marked for price sync",
                                "7 catalogs new to syncsite: their prices are not synced until marked for price sync "
                                "(Catalogs)"]
    assert (second.status, second.created, second.updated) == (RunStatus.SUCCESS, 0, 1)
    assert run_lines(second) == ["7 catalogs: 6 company, 1 market; 1 marked for price sync"]
    links = dict(CatalogLink.objects.filter(merchant=merchant).values_list("title", "sync_prices"))
    assert links == {**{title: False for title in DEMO_US_CATALOGS - {"Wholesale"}}, "Wholesale 2026": True}
    canada = ShopifyCatalog.objects.get(merchant=merchant, title="Canada")
    assert (canada.kind, canada.currency, canada.market_names) == ("MARKET", "CAD", ["Canada"])


def test_a_shop_without_b2b_succeeds_and_says_it_has_no_catalogs(db, b2b_simulator):
    # given: demo-eu sells to consumers only
    shop = shop_named(b2b_simulator, "demo-eu")
    merchant = MerchantFactory(shop_domain=shop.domain, api_base_url=b2b_simulator.base_url,
                               access_token=shop.access_token, time_zone="Europe/Paris", shop_currency="EUR")

    # when
    run = run_report(merchant, 30115)

    # then
    assert (run.status, run.message) == (RunStatus.SUCCESS, "the shop has no B2B catalogs")
    assert not CatalogLink.objects.filter(merchant=merchant).exists()


def test_auto_create_gives_a_new_company_its_own_catalog_priced_from_its_customer_once(merchant, us_shop,
                                                                                       b2b_simulator):
    # given: a company added in Shopify; every company location mapped (to the shop's default company,
    # which has a price list of its own); auto-create catalog on
    created = ShopifyHttp(b2b_simulator, us_shop.access_token).run_text(COMPANY_CREATE, input={
        "company": {"name": "Harbor Goods Inc."},
        "companyLocation": {"name": "Head office", "billingAddress": {
            "address1": "1 Pier Road", "city": "Albany", "zip": "12207", "zoneCode": "NY", "countryCode": "US"}}})
    (location,) = created["companyCreate"]["company"]["locations"]["nodes"]
    linked = link_every_variant(merchant, us_shop)
    contract = PriceListFactory(merchant=merchant, code="CONTRACT", currency="USD")
    CustomerFactory(merchant=merchant, number="C1", name="Companies", price_list_code="CONTRACT")
    merchant.company_import, merchant.company_mapping, merchant.default_company_no = "all_customers", \
        "default_company", "C1"
    merchant.auto_create_catalog = True
    merchant.save()
    sync_companies(merchant)
    assert CompanyLink.objects.get(merchant=merchant, company_location_gid=location["id"]).customer_no == "C1"

    # when
    first = run_report(merchant, 30115)
    second = run_report(merchant, 30115)

    # then: one catalog, for the new company only (every other location has one already)
    made = CatalogLink.objects.get(merchant=merchant, title="Harbor Goods Inc.")
    assert (made.sync_prices, made.customer_no) == (True, "C1")
    catalog = ShopifyCatalog.objects.get(merchant=merchant, shopify_gid=made.catalog_gid)
    assert (catalog.company_location_gids, catalog.currency) == ([location["id"]], "USD")
    assert "auto-create catalog: 1 catalog created for company locations that had none: Harbor Goods Inc." \
        in run_lines(first)
    assert "auto-create catalog: 0 catalogs created for company locations that had none" in run_lines(second)
    assert CatalogLink.objects.filter(merchant=merchant).count() == 8
    assert (first.created, second.created) == (8, 0)     # the 7 imported and the one made; then none

    # and its prices come from its customer's price list
    variant = sorted(offered_variants(us_shop, made.catalog_gid, linked))[0]
    PriceListLineFactory(price_list=contract, item_no=item_no_of(variant), unit_price="3.33")
    priced = run_report(merchant, 30116)
    assert priced.status == RunStatus.SUCCESS
    assert str(fixed_prices(us_shop, made.catalog_gid)[variant]) == "3.33"


CATALOG_CREATE = """
mutation ($input: CatalogCreateInput!) { catalogCreate(input: $input) { catalog { id } userErrors { message } } }
"""


def _new_mapped_company(merchant, shop, simulator) -> str:
    """A company added in Shopify, its location mapped (every location goes to C1); auto-create catalog on."""
    created = ShopifyHttp(simulator, shop.access_token).run_text(COMPANY_CREATE, input={
        "company": {"name": "Harbor Goods Inc."}, "companyLocation": {"name": "Head office"}})
    CustomerFactory(merchant=merchant, number="C1", name="Companies")
    merchant.company_import, merchant.company_mapping, merchant.default_company_no = "all_customers", \
        "default_company", "C1"
    merchant.auto_create_catalog = True
    merchant.save()
    sync_companies(merchant)
    return created["companyCreate"]["company"]["locations"]["nodes"][0]["id"]


def test_a_company_catalog_left_half_made_is_finished_by_the_next_run_not_made_twice(merchant, us_shop,
                                                                                      b2b_simulator):
    # given: a run stopped after catalogCreate (no price list, no publication yet, no link)
    location = _new_mapped_company(merchant, us_shop, b2b_simulator)
    ShopifyHttp(b2b_simulator, us_shop.access_token).run_text(CATALOG_CREATE, input={
        "title": "Harbor Goods Inc.", "status": "ACTIVE", "context": {"companyLocationIds": [location]}})

    # when
    run = run_report(merchant, 30115)

    # then: the same catalog, now whole, marked for price sync with its customer
    (made,) = [c for c in us_shop.price_lists.catalogs() if c.title == "Harbor Goods Inc."]
    assert made.price_list_id is not None and made.publication_id is not None
    link = CatalogLink.objects.get(merchant=merchant, catalog_gid=made.gid)
    assert (link.sync_prices, link.customer_no, run.status) == (True, "C1", RunStatus.SUCCESS)


def test_a_catalog_made_whole_whose_link_was_never_written_is_marked_by_the_next_run(merchant, us_shop,
                                                                                    b2b_simulator):
    # given: a run killed between Shopify's last answer and the link's write
    location = _new_mapped_company(merchant, us_shop, b2b_simulator)
    create_company_catalogs(merchant, client=ShopifyClient.for_merchant(merchant), location_gids=[location])
    CatalogLink.objects.filter(merchant=merchant, title="Harbor Goods Inc.").delete()

    # when
    run_report(merchant, 30115)

    # then
    (made,) = [c for c in us_shop.price_lists.catalogs() if c.title == "Harbor Goods Inc."]
    link = CatalogLink.objects.get(merchant=merchant, catalog_gid=made.gid)
    assert (link.sync_prices, link.customer_no) == (True, "C1")


def test_locations_mapped_before_any_catalog_import_get_no_second_catalog(merchant, us_shop):
    # given: every company imported and mapped (report 30114's first run), no catalog imported yet
    CustomerFactory(merchant=merchant, number="C1", name="Companies")
    merchant.company_import, merchant.company_mapping, merchant.default_company_no = "all_customers", \
        "default_company", "C1"
    merchant.save()
    sync_companies(merchant)
    mapped = list(CompanyLink.objects.filter(merchant=merchant).exclude(customer_no="").values_list(
        "company_location_gid", flat=True))
    assert len(mapped) == 13

    # when: auto-create is asked for the locations just mapped, as report 30114 does
    counts = create_company_catalogs(merchant, client=ShopifyClient.for_merchant(merchant), location_gids=mapped)

    # then: each has a catalog in Shopify already, now imported and linked
    assert (counts.created, counts.failed) == (0, [])
    assert len(list(us_shop.price_lists.catalogs())) == 7
    assert CatalogLink.objects.filter(merchant=merchant, sync_prices=False).count() == 7
