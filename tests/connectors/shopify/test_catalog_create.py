"""A company location's own catalog made in Shopify against the simulator (demo-us): the catalog, its
price list and its publication, imported at the end; a half-made one finished; a create whose answer
was lost, or that never arrived, ends in one catalog, one price list and one publication."""
import time
from decimal import Decimal

import pytest

from connectors.shopify import catalog_create
from connectors.shopify.catalog_create import CatalogNotCreated, CompanyLocationMissing, create_catalog
from connectors.shopify.client import ClientSettings
from connectors.shopify.models import ShopifyCatalog
from tests.connectors.shopify.catalog_shop import (
    ArmedSession,
    client_for,
    merchant_of,
    running_b2b_simulator,
)
from tests.fixtures.shopify_simulator import ShopifyHttp, shop_named

TITLE = "Hudson Outfitters — Albany"
CREATES = ("CatalogCreate", "PriceListCreate", "PublicationCreate")


@pytest.fixture
def b2b_simulator():
    yield from running_b2b_simulator()


@pytest.fixture
def us_shop(b2b_simulator):
    return shop_named(b2b_simulator, "demo-us")


@pytest.fixture
def us_merchant(db, b2b_simulator, us_shop):
    return merchant_of(b2b_simulator, us_shop)


@pytest.fixture
def location(us_shop):
    return next(iter(us_shop.companies.locations()))


def titled(shop, title: str = TITLE) -> list:
    return [c for c in shop.price_lists.catalogs() if c.title == title]


def price_lists_named(shop, name: str = TITLE) -> list:
    """The price lists made for TITLE's catalogs: named after it and their location's ID (unique)."""
    return [p for p in shop.price_lists.price_lists() if p.name.startswith(f"{name} (")]


def make(merchant, location, client=None, currency: str = "USD") -> ShopifyCatalog:
    return create_catalog(merchant=merchant, client=client or client_for(merchant),
                          company_location_gid=location.gid, title=TITLE, currency=currency)


def test_the_catalog_is_made_whole_for_the_location_and_imported(us_merchant, us_shop, location):
    # given
    session = ArmedSession(us_shop)
    # when
    catalog = make(us_merchant, location, client_for(us_merchant, session=session))
    # then
    (made,) = titled(us_shop)
    price_list = us_shop.price_lists.price_list(made.price_list_id)
    publication = us_shop.price_lists.publication(made.publication_id)
    assert (made.status, made.location_ids) == ("ACTIVE", [location.id])
    assert (price_list.name, price_list.currency, price_list.adjustment_type, price_list.adjustment_value) == (
        f"{TITLE} ({location.id})", "USD", "PERCENTAGE_DECREASE", Decimal(0))
    assert publication.auto_publish and publication.product_ids is None           # every product, and new ones
    assert (catalog.shopify_gid, catalog.title, catalog.company_location_gids, catalog.price_list_gid,
            catalog.publication_gid, catalog.currency, catalog.adjustment_value) == (
        made.gid, TITLE, [location.gid], price_list.gid, publication.gid, "USD", Decimal(0))
    assert len(catalog.product_gids) == sum(1 for p in us_shop.catalog.products() if p.status == "ACTIVE")
    assert [session.count(name) for name in CREATES] == [1, 1, 1]


def test_asking_again_finds_the_catalog_and_creates_nothing(us_merchant, us_shop, location):
    # given
    first = make(us_merchant, location)
    session = ArmedSession(us_shop)
    # when
    again = make(us_merchant, location, client_for(us_merchant, session=session))
    # then
    assert again.pk == first.pk and len(titled(us_shop)) == 1
    assert [session.count(name) for name in CREATES] == [0, 0, 0]


def test_a_half_made_catalog_is_finished_not_made_again(us_merchant, us_shop, location, b2b_simulator):
    """A run stopped after catalogCreate: the next one adds the price list and the publication."""
    # given
    http = ShopifyHttp(b2b_simulator, us_shop.access_token)
    http.run_text("""mutation Make($input: CatalogCreateInput!) {
        catalogCreate(input: $input) { catalog { id } userErrors { message } } }""",
                  input={"title": TITLE, "status": "ACTIVE", "context": {"companyLocationIds": [location.gid]}})
    session = ArmedSession(us_shop)
    # when
    catalog = make(us_merchant, location, client_for(us_merchant, session=session))
    # then
    (made,) = titled(us_shop)
    assert made.price_list_id is not None and made.publication_id is not None
    assert catalog.shopify_gid == made.gid and catalog.price_list_gid and catalog.publication_gid
    assert [session.count(name) for name in CREATES] == [0, 1, 1]


@pytest.mark.parametrize("operation", CREATES)
def test_a_create_whose_answer_was_lost_after_it_was_done_makes_one_of_each(us_merchant, us_shop, location,
                                                                             operation, monkeypatch):
    """Shopify made it but the answer never came (the client timed out): it is found, not made twice."""
    # given
    monkeypatch.setattr(catalog_create, "LOST_SETTLE_SECONDS", 0.5)
    session = ArmedSession(us_shop, operation, "slow", seconds=0.6)
    client = client_for(us_merchant, ClientSettings(read_timeout=0.3, max_attempts=3, backoff_base=0.01),
                        session=session, sleep=time.sleep)
    # when
    catalog = make(us_merchant, location, client)
    # then
    assert us_shop.faults.suffered == {"slow": 1}
    (made,) = titled(us_shop)
    assert len(price_lists_named(us_shop)) == 1 and made.price_list_id and made.publication_id
    assert sum(1 for p in us_shop.price_lists.publications() if p.catalog_id == made.id) == 1
    assert catalog.shopify_gid == made.gid and session.count(operation) == 1


def test_a_create_that_never_arrived_is_sent_again_once(us_merchant, us_shop, location, monkeypatch):
    # given
    monkeypatch.setattr(catalog_create, "LOST_SETTLE_SECONDS", 0.01)
    session = ArmedSession(us_shop, "CatalogCreate", "drop")
    # when
    catalog = make(us_merchant, location, client_for(us_merchant, session=session))
    # then
    assert us_shop.faults.suffered == {"drop": 1}
    (made,) = titled(us_shop)
    assert catalog.shopify_gid == made.gid and session.count("CatalogCreate") == 2
    assert session.count("CatalogsOfCompanyLocation") == 1 + catalog_create.LOST_LOOKUPS


def test_a_refused_step_says_why_and_a_later_run_finishes_the_catalog(us_merchant, us_shop, location):
    # given a currency the shop cannot take
    with pytest.raises(CatalogNotCreated, match="The price list currency is not supported"):
        make(us_merchant, location, currency="JPY")
    assert titled(us_shop)[0].price_list_id is None
    # when
    catalog = make(us_merchant, location, currency="USD")
    # then
    assert len(titled(us_shop)) == 1 and catalog.currency == "USD" and catalog.publication_gid


def test_a_location_shopify_does_not_have_is_named(us_merchant):
    with pytest.raises(CompanyLocationMissing, match="no company location gid://shopify/CompanyLocation/1;"):
        create_catalog(merchant=us_merchant, client=client_for(us_merchant),
                       company_location_gid="gid://shopify/CompanyLocation/1", title=TITLE, currency="USD")
    assert not ShopifyCatalog.objects.filter(merchant=us_merchant).exists()
