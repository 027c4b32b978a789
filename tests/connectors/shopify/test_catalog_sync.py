"""Report 30115's catalog import against the simulator (demo-us): every company-location and market
catalog with its price list, its publication's products and the company locations or markets it is
for; read whole through paging and faults, never duplicated; a catalog gone from Shopify marked
removed, and back when it reappears."""
from decimal import Decimal

import pytest
from graphql import parse

from connectors.shopify import catalog_sync
from connectors.shopify.catalog_prices import read_fixed_prices
from connectors.shopify.catalog_sync import sync_catalogs
from connectors.shopify.client import ClientSettings
from connectors.shopify.documents import document
from connectors.shopify.models import CatalogKind, ShopifyCatalog, ShopifyCatalogPrice
from connectors.shopify.signals import catalogs_imported
from shopify_simulator.api.cost import SINGLE_QUERY_MAX_COST, QueryCost
from shopify_simulator.schema import admin_schema
from tests.connectors.shopify.catalog_shop import (
    ArmedSession,
    client_for,
    merchant_of,
    running_b2b_simulator,
)
from tests.fixtures.shopify_simulator import RANDOM_FAULTS, ShopifyHttp, shop_named


@pytest.fixture
def b2b_simulator():
    yield from running_b2b_simulator()


@pytest.fixture
def us_shop(b2b_simulator):
    return shop_named(b2b_simulator, "demo-us")


@pytest.fixture
def us_merchant(db, b2b_simulator, us_shop):
    return merchant_of(b2b_simulator, us_shop)


def held_in_shopify(shop) -> dict[str, tuple]:
    """Every catalog of the simulated shop, as the import should hold it, by GID."""
    book, companies = shop.price_lists, shop.companies
    held = {}
    for catalog in book.catalogs():
        price_list, publication = book.price_list(catalog.price_list_id), book.publication(catalog.publication_id)
        products = sorted(p.gid for p in shop.catalog.products() if p.status == "ACTIVE" and publication.offers(p.id))
        held[catalog.gid] = (
            catalog.title, catalog.kind, sorted(companies.location(i).gid for i in catalog.location_ids),
            price_list.gid, price_list.currency, price_list.adjustment_type, price_list.adjustment_value,
            len(price_list.fixed), publication.gid, products)
    return held


def imported(merchant) -> dict[str, tuple]:
    return {c.shopify_gid: (c.title, c.kind, c.company_location_gids, c.price_list_gid, c.currency, c.adjustment_type,
                            c.adjustment_value, c.fixed_prices_count, c.publication_gid, c.product_gids)
            for c in ShopifyCatalog.objects.filter(merchant=merchant, removed_at=None)}


@pytest.fixture
def announced():
    """The GIDs each catalogs_imported signal named."""
    heard: list[list[str]] = []

    def receiver(sender, merchant_id, gids, **kwargs):
        heard.append(sorted(gids))

    catalogs_imported.connect(receiver)
    yield heard
    catalogs_imported.disconnect(receiver)


def test_every_company_and_market_catalog_arrives_with_its_price_list_products_and_buyers(us_merchant, us_shop,
                                                                                          announced):
    # when
    counts = sync_catalogs(merchant=us_merchant, client=client_for(us_merchant))
    # then
    expected = held_in_shopify(us_shop)
    assert (counts.read, counts.created, counts.updated, counts.failed) == (7, 7, 0, 0)
    assert imported(us_merchant) == expected
    wholesale = ShopifyCatalog.objects.get(merchant=us_merchant, title="Wholesale")
    assert (wholesale.kind, wholesale.status, wholesale.price_list_name, wholesale.adjustment_type,
            wholesale.adjustment_value) == (CatalogKind.COMPANY_LOCATION, "ACTIVE", "Wholesale", "PERCENTAGE_DECREASE",
                                            Decimal("15"))
    assert len(wholesale.company_location_gids) == 3 and len(wholesale.product_gids) == 9
    canada = ShopifyCatalog.objects.get(merchant=us_merchant, kind=CatalogKind.MARKET)
    assert (canada.title, canada.market_names, canada.currency, canada.company_location_gids) == (
        "Canada", ["Canada"], "CAD", [])
    export = ShopifyCatalog.objects.get(merchant=us_merchant, title="Export (CAD)")
    assert export.currency == "CAD" and len(export.product_gids) == 54      # every active product of the shop
    assert announced == [sorted(expected)]
    assert ShopifyCatalog.objects.filter(merchant=us_merchant, prices_read_at=None).count() == 7   # prices not read


def test_a_second_run_changes_nothing_and_announces_nothing(us_merchant, announced):
    # given
    sync_catalogs(merchant=us_merchant, client=client_for(us_merchant))
    before = imported(us_merchant)
    # when
    counts = sync_catalogs(merchant=us_merchant, client=client_for(us_merchant))
    # then
    assert (counts.read, counts.created, counts.updated, counts.skipped) == (7, 0, 0, 7)
    assert imported(us_merchant) == before and len(announced) == 1


def test_a_catalog_gone_from_shopify_is_marked_removed_and_back_when_it_reappears(us_merchant, us_shop, announced):
    # given
    sync_catalogs(merchant=us_merchant, client=client_for(us_merchant))
    book = us_shop.price_lists
    contract = next(c for c in book.catalogs() if c.title == "Keystone Trading LLC contract")
    # when
    del book._catalogs[contract.id]
    gone = sync_catalogs(merchant=us_merchant, client=client_for(us_merchant))
    book._catalogs[contract.id] = contract
    back = sync_catalogs(merchant=us_merchant, client=client_for(us_merchant))
    # then
    assert (gone.read, gone.updated, gone.skipped) == (6, 1, 6)
    assert (back.read, back.updated, back.skipped) == (7, 1, 6)
    assert announced[1:] == [[contract.gid], [contract.gid]]
    row = ShopifyCatalog.objects.get(merchant=us_merchant, shopify_gid=contract.gid)
    assert row.removed_at is None and ShopifyCatalog.objects.filter(merchant=us_merchant).count() == 7


def test_a_catalog_removed_in_shopify_keeps_its_row_marked_removed(us_merchant, us_shop):
    # given
    sync_catalogs(merchant=us_merchant, client=client_for(us_merchant))
    market = next(c for c in us_shop.price_lists.catalogs() if c.kind == "MARKET")
    del us_shop.price_lists._catalogs[market.id]
    # when
    sync_catalogs(merchant=us_merchant, client=client_for(us_merchant))
    # then
    row = ShopifyCatalog.objects.get(merchant=us_merchant, shopify_gid=market.gid)
    assert row.removed_at is not None and row.title == "Canada"


def test_a_catalog_for_many_locations_and_products_is_read_whole_by_pages(us_merchant, us_shop, b2b_simulator,
                                                                            monkeypatch):
    """30 company locations (CatalogFields lists 25) and 54 products read 20 at a time."""
    # given
    http = ShopifyHttp(b2b_simulator, us_shop.access_token)
    company = next(iter(us_shop.companies.companies()))
    made = [http.run_text("""mutation Add($companyId: ID!, $input: CompanyLocationInput!) {
        companyLocationCreate(companyId: $companyId, input: $input) { companyLocation { id } userErrors { message } }
    }""", companyId=company.gid, input={"name": f"Depot {n}", "billingSameAsShipping": True, "shippingAddress": {
        "address1": f"{n} Main Street", "city": "Albany", "zip": "12207", "zoneCode": "NY", "countryCode": "US"}})
        for n in range(27)]
    assert all(not answer["companyLocationCreate"]["userErrors"] for answer in made)
    wholesale = next(c for c in us_shop.price_lists.catalogs() if c.title == "Wholesale")
    wholesale.location_ids += [int(a["companyLocationCreate"]["companyLocation"]["id"].rsplit("/", 1)[1])
                               for a in made]
    monkeypatch.setattr(catalog_sync, "NESTED_PER_PAGE", 20)
    session = ArmedSession(us_shop)
    # when
    sync_catalogs(merchant=us_merchant, client=client_for(us_merchant, session=session))
    # then
    assert imported(us_merchant) == held_in_shopify(us_shop)
    assert len(ShopifyCatalog.objects.get(merchant=us_merchant, title="Wholesale").company_location_gids) == 30
    assert session.count("CatalogCompanyLocations") == 1                       # 25 listed, then 5 more
    assert session.count("PublicationProducts") == 2 + 5 * 3                   # 9 products; 54 in 3 pages


@pytest.mark.parametrize("kind, rule", RANDOM_FAULTS, ids=[kind for kind, _ in RANDOM_FAULTS])
def test_faults_end_in_the_same_catalogs_once_each(us_merchant, us_shop, kind, rule):
    # given
    client = client_for(us_merchant, ClientSettings(read_timeout=0.25 if kind == "slow" else 15, max_attempts=10,
                                                    backoff_base=0.01, backoff_cap=0.05))
    us_shop.faults.set(kind, **rule)
    # when
    counts = sync_catalogs(merchant=us_merchant, client=client)
    us_shop.faults.clear()
    # then
    assert us_shop.faults.suffered.get(kind, 0) > 0
    assert (counts.read, counts.created) == (7, 7)
    assert imported(us_merchant) == held_in_shopify(us_shop)


def test_a_shop_without_b2b_reads_no_catalog(db, b2b_simulator):
    # given
    merchant = merchant_of(b2b_simulator, shop_named(b2b_simulator, "demo-eu"))
    # when
    counts = sync_catalogs(merchant=merchant, client=client_for(merchant))
    # then
    assert (counts.read, counts.created, counts.updated) == (0, 0, 0)
    assert not ShopifyCatalog.objects.filter(merchant=merchant).exists()


def test_a_price_list_replaced_in_shopify_empties_the_mirror_of_the_old_one(us_merchant, us_shop):
    # given
    client = client_for(us_merchant)
    sync_catalogs(merchant=us_merchant, client=client)
    catalog = ShopifyCatalog.objects.get(merchant=us_merchant, title="Trade Partners")
    read_fixed_prices(merchant=us_merchant, client=client, catalog=catalog)
    book = us_shop.price_lists
    wholesale = next(c for c in book.catalogs() if c.title == "Wholesale")
    trade = next(c for c in book.catalogs() if c.title == "Trade Partners")
    trade.price_list_id = wholesale.price_list_id
    # when
    counts = sync_catalogs(merchant=us_merchant, client=client)
    # then
    catalog.refresh_from_db()
    assert counts.updated == 1
    assert catalog.price_list_gid == book.price_list(wholesale.price_list_id).gid and catalog.prices_read_at is None
    assert not ShopifyCatalogPrice.objects.filter(catalog=catalog).exists()


@pytest.mark.parametrize("name, variables", [
    ("CatalogsOfType", {"type": "COMPANY_LOCATION", "first": catalog_sync.CATALOGS_PER_PAGE}),
    ("CatalogCompanyLocations", {"id": "gid://shopify/CompanyLocationCatalog/1", "first": 250}),
    ("CatalogMarkets", {"id": "gid://shopify/MarketCatalog/1", "first": 250}),
    ("PublicationProducts", {"id": "gid://shopify/Publication/1", "first": 250}),
    ("PriceListFixedPrices", {"id": "gid://shopify/PriceList/1", "first": 200}),
    ("CatalogsOfCompanyLocation", {"id": "gid://shopify/CompanyLocation/1", "first": 50}),
])
def test_a_page_of_each_read_stays_under_shopifys_cost_limit(name, variables):
    parsed = parse(document(name).text)
    operation = next(d for d in parsed.definitions if d.kind == "operation_definition")
    assert QueryCost(admin_schema(), parsed, operation, variables).requested() <= SINGLE_QUERY_MAX_COST
