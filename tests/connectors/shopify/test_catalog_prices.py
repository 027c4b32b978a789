"""Report 30116's reads and writes of a catalog's fixed prices against the simulator (demo-us): the
mirror after a read is what Shopify holds; prices go 250 a call, the mirror following each accepted
call, so a write stopped half way is finished by the next without duplicates; a refused price fails
alone with Shopify's words; a lost answer is sent again safely."""
from decimal import Decimal

import pytest

from connectors.shopify.catalog_prices import (
    CatalogWithoutPriceList,
    FixedPrice,
    read_fixed_prices,
    set_fixed_prices,
)
from connectors.shopify.catalog_sync import sync_catalogs
from connectors.shopify.client import ClientSettings
from connectors.shopify.errors import ShopifyGaveUp
from connectors.shopify.models import ShopifyCatalog, ShopifyCatalogPrice
from tests.connectors.shopify.catalog_shop import (
    FAST,
    ArmedSession,
    client_for,
    merchant_of,
    running_b2b_simulator,
)
from tests.fixtures.shopify_simulator import shop_named

WRITE = "PriceListFixedPricesUpdate"


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
def catalogs(us_merchant):
    sync_catalogs(merchant=us_merchant, client=client_for(us_merchant))
    return {c.title: c for c in ShopifyCatalog.objects.filter(merchant=us_merchant)}


def price_list_of(shop, catalog: ShopifyCatalog):
    return shop.price_lists.price_list(int(catalog.price_list_gid.rsplit("/", 1)[1]))


def in_shopify(shop, catalog: ShopifyCatalog) -> dict[str, tuple]:
    """The price list's fixed prices as the simulator holds them: {variant GID: (price, compare-at)}."""
    return {f"gid://shopify/ProductVariant/{number}": (fixed.price, fixed.compare_at)
            for number, fixed in price_list_of(shop, catalog).fixed.items()}


def mirror(catalog: ShopifyCatalog) -> dict[str, tuple]:
    return {row.variant_gid: (row.price, row.compare_at_price) for row in ShopifyCatalogPrice.objects.filter(
        catalog=catalog)}


def new_prices(shop, count: int, start: Decimal = Decimal("10.00")) -> list[FixedPrice]:
    variants = list(shop.catalog.variants())[:count]
    assert len(variants) == count
    return [FixedPrice(v.gid, start + Decimal(n) / 100, Decimal("99.00") if n % 3 == 0 else None)
            for n, v in enumerate(variants)]


def as_held(prices: list[FixedPrice]) -> dict[str, tuple]:
    return {p.variant_gid: (p.price, p.compare_at_price) for p in prices}


def test_the_mirror_after_a_read_is_what_shopify_holds(us_merchant, us_shop, catalogs):
    # given
    wholesale = catalogs["Wholesale"]
    # when
    read = read_fixed_prices(merchant=us_merchant, client=client_for(us_merchant), catalog=wholesale)
    # then
    wholesale.refresh_from_db()
    assert read == 4 and wholesale.fixed_prices_count == 4 and wholesale.prices_read_at is not None
    assert mirror(wholesale) == in_shopify(us_shop, wholesale)


def test_a_read_replaces_the_mirror_with_every_page_shopify_holds(us_merchant, us_shop, catalogs):
    """604 fixed prices in 4 pages; a price dropped in Shopify since is dropped from the mirror too."""
    # given
    wholesale, client = catalogs["Wholesale"], client_for(us_merchant)
    set_fixed_prices(merchant=us_merchant, client=client, catalog=wholesale, prices=new_prices(us_shop, 600))
    dropped = next(iter(price_list_of(us_shop, wholesale).fixed))
    del price_list_of(us_shop, wholesale).fixed[dropped]
    session = ArmedSession(us_shop)
    # when
    read = read_fixed_prices(merchant=us_merchant, client=client_for(us_merchant, session=session), catalog=wholesale)
    # then
    assert mirror(wholesale) == in_shopify(us_shop, wholesale)
    assert read == len(in_shopify(us_shop, wholesale)) and f"gid://shopify/ProductVariant/{dropped}" not in mirror(
        wholesale)
    assert session.count("PriceListFixedPrices") == -(-read // 200)


@pytest.mark.parametrize("kind, rule", [("empty", {"probability": 0.4}), ("malformed", {"probability": 0.4}),
                                        ("server_error", {"probability": 0.4})])
def test_a_read_through_faults_ends_in_the_same_mirror(us_merchant, us_shop, catalogs, kind, rule):
    # given
    wholesale = catalogs["Wholesale"]
    set_fixed_prices(merchant=us_merchant, client=client_for(us_merchant), catalog=wholesale,
                     prices=new_prices(us_shop, 450))
    client = client_for(us_merchant, ClientSettings(max_attempts=12, backoff_base=0.01, backoff_cap=0.05))
    us_shop.faults.set(kind, **rule)
    # when
    read_fixed_prices(merchant=us_merchant, client=client, catalog=wholesale)
    us_shop.faults.clear()
    # then
    assert us_shop.faults.suffered.get(kind, 0) > 0
    assert mirror(wholesale) == in_shopify(us_shop, wholesale)


def test_a_read_that_fails_half_way_leaves_the_mirror_as_it_was(us_merchant, us_shop, catalogs):
    # given
    wholesale = catalogs["Wholesale"]
    read_fixed_prices(merchant=us_merchant, client=client_for(us_merchant), catalog=wholesale)
    before = mirror(wholesale)
    set_fixed_prices(merchant=us_merchant, client=client_for(us_merchant), catalog=wholesale,
                     prices=new_prices(us_shop, 450))
    ShopifyCatalogPrice.objects.filter(catalog=wholesale).delete()
    ShopifyCatalogPrice.objects.bulk_create([ShopifyCatalogPrice(merchant=us_merchant, catalog=wholesale,
                                                                 variant_gid=gid, price=price, compare_at_price=at,
                                                                 updated_at=wholesale.updated_at)
                                             for gid, (price, at) in before.items()])
    session = ArmedSession(us_shop, "PriceListFixedPrices", "server_error", nth=2, next_requests=FAST.max_attempts)
    # when
    with pytest.raises(ShopifyGaveUp):
        read_fixed_prices(merchant=us_merchant, client=client_for(us_merchant, session=session), catalog=wholesale)
    # then
    assert mirror(wholesale) == before


def test_600_prices_go_in_3_calls_in_the_catalogs_currency_and_the_mirror_follows(us_merchant, us_shop, catalogs,
                                                                                  django_assert_max_num_queries):
    # given
    wholesale, prices = catalogs["Wholesale"], new_prices(us_shop, 600)
    session, batches = ArmedSession(us_shop), []
    # when
    with django_assert_max_num_queries(3 * 3 + 2):
        written = set_fixed_prices(merchant=us_merchant, client=client_for(us_merchant, session=session),
                                   catalog=wholesale, prices=prices, on_batch=batches.append)
    # then
    assert (written.sent, written.failed) == (600, [])
    assert session.count(WRITE) == 3 and batches == [250, 500, 600]
    held = in_shopify(us_shop, wholesale)
    assert {gid: held[gid] for gid in as_held(prices)} == as_held(prices)
    assert price_list_of(us_shop, wholesale).currency == "USD"
    assert mirror(wholesale) == as_held(prices)


def test_prices_of_a_catalog_in_another_currency_are_sent_in_it(us_merchant, us_shop, catalogs):
    # given
    export = catalogs["Export (CAD)"]
    prices = new_prices(us_shop, 5, start=Decimal("13.40"))
    # when
    written = set_fixed_prices(merchant=us_merchant, client=client_for(us_merchant), catalog=export, prices=prices)
    # then (Shopify refuses an amount in another currency than the price list's)
    assert (export.currency, price_list_of(us_shop, export).currency) == ("CAD", "CAD")
    assert (written.sent, written.failed) == (5, [])
    held = in_shopify(us_shop, export)
    assert {gid: held[gid] for gid in as_held(prices)} == as_held(prices)


def test_a_write_stopped_half_way_keeps_the_accepted_calls_and_the_next_finishes_without_duplicates(
        us_merchant, us_shop, catalogs):
    # given
    wholesale, prices = catalogs["Wholesale"], new_prices(us_shop, 600)
    session = ArmedSession(us_shop, WRITE, "server_error", nth=2, next_requests=FAST.max_attempts)
    batches: list[int] = []
    # when
    with pytest.raises(ShopifyGaveUp):
        set_fixed_prices(merchant=us_merchant, client=client_for(us_merchant, session=session), catalog=wholesale,
                         prices=prices, on_batch=batches.append)
    # then
    assert batches == [250]
    assert mirror(wholesale) == as_held(prices[:250])
    # when the next run sends what is still missing
    held_here = mirror(wholesale)
    missing = [p for p in prices if held_here.get(p.variant_gid) != (p.price, p.compare_at_price)]
    again = set_fixed_prices(merchant=us_merchant, client=client_for(us_merchant), catalog=wholesale, prices=missing)
    # then
    assert (len(missing), again.sent, again.failed) == (350, 350, [])
    assert mirror(wholesale) == as_held(prices)
    assert ShopifyCatalogPrice.objects.filter(catalog=wholesale).count() == 600
    held = in_shopify(us_shop, wholesale)
    assert {gid: held[gid] for gid in as_held(prices)} == as_held(prices)


def test_a_refused_price_fails_alone_with_shopifys_words_and_the_rest_is_set(us_merchant, us_shop, catalogs):
    """Shopify refuses the whole call when one price is wrong: it is sent again without the refused ones."""
    # given
    wholesale = catalogs["Wholesale"]
    good = new_prices(us_shop, 4)
    unknown = FixedPrice("gid://shopify/ProductVariant/1", Decimal("5.00"))
    negative = FixedPrice(list(us_shop.catalog.variants())[10].gid, Decimal("-1.00"))
    session = ArmedSession(us_shop)
    # when
    written = set_fixed_prices(merchant=us_merchant, client=client_for(us_merchant, session=session),
                               catalog=wholesale, prices=[good[0], unknown, good[1], negative, good[2], good[3]])
    # then
    assert written.sent == 4
    assert written.failed == [
        ("gid://shopify/ProductVariant/1", "Variant gid://shopify/ProductVariant/1 does not exist."),
        (negative.variant_gid, "The price must be greater than or equal to 0.")]
    assert session.count(WRITE) == 2
    assert mirror(wholesale) == as_held(good)
    held = in_shopify(us_shop, wholesale)
    assert {gid: held[gid] for gid in as_held(good)} == as_held(good) and negative.variant_gid not in held


def test_a_price_list_gone_from_shopify_fails_every_price_in_one_call(us_merchant, us_shop, catalogs):
    # given
    wholesale = catalogs["Wholesale"]
    del us_shop.price_lists._price_lists[price_list_of(us_shop, wholesale).id]
    session = ArmedSession(us_shop)
    # when
    written = set_fixed_prices(merchant=us_merchant, client=client_for(us_merchant, session=session),
                               catalog=wholesale, prices=new_prices(us_shop, 300))
    # then
    assert written.sent == 0 and session.count(WRITE) == 1
    assert len(written.failed) == 300 and {why for _, why in written.failed} == {"Price list does not exist."}
    assert not ShopifyCatalogPrice.objects.filter(catalog=wholesale).exists()
    # and reading it says what to do
    with pytest.raises(CatalogWithoutPriceList, match="has no price list in Shopify"):
        read_fixed_prices(merchant=us_merchant, client=client_for(us_merchant), catalog=wholesale)


def test_a_call_whose_answer_was_lost_is_sent_again_and_sets_each_price_once(us_merchant, us_shop, catalogs):
    """Shopify set the prices but the answer never came (the client timed out): sending the call again
    sets the same prices, nothing more."""
    # given
    wholesale, prices = catalogs["Wholesale"], new_prices(us_shop, 300)
    session = ArmedSession(us_shop, WRITE, "slow", nth=1, seconds=0.6)
    client = client_for(us_merchant, ClientSettings(read_timeout=0.3, max_attempts=4, backoff_base=0.01),
                        session=session)
    # when
    written = set_fixed_prices(merchant=us_merchant, client=client, catalog=wholesale, prices=prices)
    # then
    assert us_shop.faults.suffered == {"slow": 1}
    assert (written.sent, written.failed) == (300, []) and session.count(WRITE) == 3
    held = in_shopify(us_shop, wholesale)
    assert {gid: held[gid] for gid in as_held(prices)} == as_held(prices)
    assert mirror(wholesale) == as_held(prices)


def test_a_catalog_without_a_price_list_is_refused_before_any_call(us_merchant, catalogs):
    # given
    wholesale = catalogs["Wholesale"]
    wholesale.price_list_gid = ""
    # then
    with pytest.raises(CatalogWithoutPriceList, match="'Wholesale' has no price list"):
        set_fixed_prices(merchant=us_merchant, client=client_for(us_merchant), catalog=wholesale,
                         prices=[FixedPrice("gid://shopify/ProductVariant/1", Decimal(1))])
