"""Report 30116 Sync Catalog Prices over HTTP against the simulator's demo-us: the ledger's prices
become the catalogs' fixed prices, 250 a request; only what changed is sent again; prices come from
the catalog's, its company customer's or the shop card's price list, else the items' unit prices; a
price list in another currency fails its catalog alone; a catalog filter splits the work between
queue entries; a stopped run is resumed without sending again; faults end in the right prices."""
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from connectors.ledger.target import target_for
from connectors.shopify.models import ShopifyCatalogPrice
from syncjobs.catalogs.models import CatalogLink, CatalogPricePass
from syncjobs.catalogs.price_sync import filter_key
from syncjobs.catalogs.sync import sync_catalogs
from syncjobs.companies.models import CompanyLink
from syncjobs.queue.categories import default_category_for
from syncjobs.queue.claims import claim_queued
from syncjobs.queue.dispatch import dispatch_due_entries
from syncjobs.queue.execution import execute, run_queued_entry
from syncjobs.queue.models import EntryStatus, JobQueueEntry, RunStatus, SyncRun
from tests.factories.ledger import CustomerFactory, PriceListFactory, PriceListLineFactory
from tests.factories.syncjobs import JobQueueEntryFactory
from tests.fixtures.job_queue import commits_run_callbacks, take_queued_tasks, work_off_queue
from tests.fixtures.shopify_simulator import RANDOM_FAULTS, ShopifyHttp
from tests.syncjobs.catalogs.helpers import (
    catalog_titled,
    fixed_prices,
    item_no_of,
    link_every_variant,
    mark,
    offered_variants,
    requests_to,
    run_lines,
    run_report,
)

pytestmark = pytest.mark.django_db

CONTRACT = "Adirondack Trading LLC contract"       # every active product: 377 variants
SECOND_CONTRACT = "Keystone Trading LLC contract"   # every product too
WHOLESALE = "Wholesale"                             # nine products, for three company locations
TRADE = "Trade Partners"                            # nine products, for two company locations
EXPORT = "Export (CAD)"                             # every product, in CAD, for Maple Leaf Imports
FIXED_PRICES_UPDATE = """
mutation ($priceListId: ID!, $pricesToAdd: [PriceListPriceInput!]!, $variantIdsToDelete: [ID!]!) {
  priceListFixedPricesUpdate(priceListId: $priceListId, pricesToAdd: $pricesToAdd,
                             variantIdsToDelete: $variantIdsToDelete) { userErrors { field message } }
}
"""
FAST_CLIENT = {"connect_timeout": 2, "read_timeout": 0.3, "max_attempts": 2, "max_throttled": 50,
               "backoff_base": 0.01, "backoff_cap": 0.02, "bulk_poll_min": 0.01, "bulk_poll_max": 0.02}


@pytest.fixture
def linked(merchant, us_shop):
    """demo-us with every variant linked to an item at its Shopify price, and its catalogs imported."""
    prices = link_every_variant(merchant, us_shop)
    sync_catalogs(merchant)
    return prices


def map_locations(merchant, catalog_title: str, *customers: str) -> None:
    """Given: the company locations of the catalog linked to these ledger customers (in turn)."""
    gids = catalog_titled(merchant, catalog_title).company_location_gids
    CompanyLink.objects.bulk_create([
        CompanyLink(merchant=merchant, company_location_gid=gid, company_gid=f"company of {gid}",
                    customer_no=customers[n % len(customers)], mapped_by="by_hand") for n, gid in enumerate(gids)])


def test_more_than_250_prices_go_250_a_request_and_a_second_run_sends_nothing(merchant, us_shop, linked):
    # given
    (contract,) = mark(merchant, CONTRACT)
    wanted = {gid: linked[gid] for gid in offered_variants(us_shop, contract, linked)}
    assert len(wanted) > 300
    before = requests_to(us_shop)

    # when
    first = run_report(merchant, 30116)
    after_first = requests_to(us_shop)
    second = run_report(merchant, 30116)

    # then
    assert fixed_prices(us_shop, contract) == wanted
    assert after_first - before == 2       # 250, then the rest (a first sync sets them all, reading none)
    assert requests_to(us_shop) == after_first     # nothing changed: nothing sent, nothing read
    assert (first.status, first.updated, first.read) == (RunStatus.SUCCESS, len(wanted), len(wanted))
    assert (second.status, second.updated, second.read) == (RunStatus.SUCCESS, 0, len(wanted))
    assert f"{CONTRACT} (USD, the items' unit prices): {len(wanted)} sent, 0 unchanged, 0 failed" in run_lines(first)
    assert f"{CONTRACT} (USD, the items' unit prices): 0 sent, {len(wanted)} unchanged, 0 failed" in run_lines(second)
    link = CatalogLink.objects.get(merchant=merchant, catalog_gid=contract)
    assert link.prices_sent == 0 and link.prices_synced_at is not None and link.failure == ""


def test_one_price_changed_in_the_ledger_is_the_one_price_sent(merchant, us_shop, linked):
    # given
    (contract,) = mark(merchant, CONTRACT)
    run_report(merchant, 30116)
    variant = sorted(offered_variants(us_shop, contract, linked))[0]
    target = target_for(merchant)
    item = target.get_items(merchant, [item_no_of(variant)])[item_no_of(variant)]
    target.update_items(merchant, [type(item)(**{**vars(item), "unit_price": Decimal("1234.50")})])
    before = requests_to(us_shop)

    # when
    run = run_report(merchant, 30116)

    # then
    assert requests_to(us_shop) - before == 1
    assert (run.updated, run.status) == (1, RunStatus.SUCCESS)
    assert fixed_prices(us_shop, contract)[variant] == Decimal("1234.50")
    assert CatalogLink.objects.get(merchant=merchant, catalog_gid=contract).prices_sent == 1


def test_prices_come_from_the_company_customers_price_list_else_the_shop_cards_else_the_unit_price(
        merchant, us_shop, linked):
    # given: Wholesale's locations buy for one customer with a price list; Trade Partners' two for
    # customers whose price lists differ, so the shop card's list prices it
    wholesale, trade = mark(merchant, WHOLESALE, TRADE)
    listed = sorted(offered_variants(us_shop, wholesale, linked))[:2]
    own = PriceListFactory(merchant=merchant, code="WHOLESALE", currency="USD")
    for gid in listed:
        PriceListLineFactory(price_list=own, item_no=item_no_of(gid), unit_price=Decimal("7.77"))
    shops = PriceListFactory(merchant=merchant, code="B2B", currency="USD")
    traded = sorted(offered_variants(us_shop, trade, linked))[0]
    PriceListLineFactory(price_list=shops, item_no=item_no_of(traded), unit_price=Decimal("5.55"))
    CustomerFactory(merchant=merchant, number="C1", price_list_code="WHOLESALE")
    CustomerFactory(merchant=merchant, number="C2", price_list_code="WHOLESALE")
    CustomerFactory(merchant=merchant, number="C3", price_list_code="")
    map_locations(merchant, WHOLESALE, "C1")
    map_locations(merchant, TRADE, "C2", "C3")
    merchant.catalog_price_list_code = "B2B"
    merchant.save()

    # when
    run = run_report(merchant, 30116)

    # then
    held = fixed_prices(us_shop, wholesale)
    assert {gid: held[gid] for gid in listed} == {gid: Decimal("7.77") for gid in listed}
    unlisted = offered_variants(us_shop, wholesale, linked) - set(listed)
    assert {gid: held[gid] for gid in unlisted} == {gid: linked[gid] for gid in unlisted}   # the unit price
    assert fixed_prices(us_shop, trade)[traded] == Decimal("5.55")
    lines = run_lines(run)
    assert any(line.startswith(f"{WHOLESALE} (USD, price list WHOLESALE (the price list of customer C1))")
               for line in lines)
    assert any(line.startswith(f"{TRADE} (USD, price list B2B (the shop card's price list for catalog prices))")
               for line in lines)
    assert f"{TRADE}: customers C2 and C3 of its company locations have different price lists, so the shop card's " \
           "is used; give the catalog its own price list to choose one" in lines
    # and the run says how many went at their item's unit price, the price list having none for them
    assert f"{WHOLESALE}: {len(unlisted)} variants at their item's unit price, price list WHOLESALE (the price " \
           "list of customer C1) having no price for them" in lines


def test_a_price_changed_in_shopify_is_set_back_when_the_run_reads_shopifys_prices_first(
        merchant, us_shop, b2b_simulator, linked):
    # given: Wholesale priced; then someone changes one of its prices in Shopify's admin
    (wholesale,) = mark(merchant, WHOLESALE)
    run_report(merchant, 30116)
    variant = sorted(offered_variants(us_shop, wholesale, linked))[0]
    ShopifyHttp(b2b_simulator, us_shop.access_token).run_text(
        FIXED_PRICES_UPDATE, priceListId=catalog_titled(merchant, WHOLESALE).price_list_gid, variantIdsToDelete=[],
        pricesToAdd=[{"variantId": variant, "price": {"amount": "1.00", "currencyCode": "USD"}}])

    # when
    trusting = run_report(merchant, 30116)
    changed_in_shopify = fixed_prices(us_shop, wholesale)[variant]
    reading = run_report(merchant, 30116, read_shopify_prices=True)

    # then
    assert (trusting.updated, changed_in_shopify) == (0, Decimal("1.00"))    # compared with what it last sent
    assert reading.updated == 1
    assert fixed_prices(us_shop, wholesale)[variant] == linked[variant]
    assert any(line.startswith(f"{WHOLESALE} (USD, the items' unit prices): 1 sent") and
               line.endswith("Shopify's prices read first") for line in run_lines(reading))


def test_a_price_list_in_another_currency_fails_its_catalog_alone_with_the_reason(merchant, us_shop, linked):
    # given: Maple Leaf Imports buys in CAD, but its customer's price list is in USD
    export, wholesale = mark(merchant, EXPORT, WHOLESALE)
    PriceListFactory(merchant=merchant, code="US-TRADE", currency="USD")
    CustomerFactory(merchant=merchant, number="C9", price_list_code="US-TRADE")
    map_locations(merchant, EXPORT, "C9")

    # when
    run = run_report(merchant, 30116)

    # then
    why = ("price list US-TRADE is in USD, but the catalog's prices are in CAD (the price list of customer C9); "
           "choose a price list in CAD for the catalog on its page (Catalogs)")
    assert run.status == RunStatus.SUCCESS and run.failed == 1
    assert [(e.object, e.shopify_id, e.reason) for e in run.errors.all()] == [("catalog", export, f"{EXPORT}: {why}")]
    assert CatalogLink.objects.get(merchant=merchant, catalog_gid=export).failure == why
    assert len(fixed_prices(us_shop, export)) == 3                  # Shopify's own, untouched
    assert fixed_prices(us_shop, wholesale) == {gid: linked[gid] for gid in offered_variants(us_shop, wholesale,
                                                                                              linked)}


def in_cad(usd: Decimal) -> Decimal:
    return (usd * Decimal("1.35")).quantize(Decimal("0.01"))


def test_a_foreign_currency_catalog_prices_only_from_a_price_list_in_its_currency(merchant, us_shop, linked):
    # given: the Canadian catalog, with no price list in CAD yet
    (export,) = mark(merchant, EXPORT)
    offered = offered_variants(us_shop, export, linked)

    # when
    without = run_report(merchant, 30116)
    cad = PriceListFactory(merchant=merchant, code="CAD", currency="CAD")
    for gid in offered:
        PriceListLineFactory(price_list=cad, item_no=item_no_of(gid), unit_price=in_cad(linked[gid]))
    CatalogLink.objects.filter(merchant=merchant, catalog_gid=export).update(price_list_code="CAD")
    priced = run_report(merchant, 30116)

    # then
    (skipped,) = without.skipped_records.all()
    assert without.status == RunStatus.SUCCESS and without.updated == 0 and without.skipped == len(offered)
    assert skipped.record == f"catalog {EXPORT}" and skipped.reason.endswith(
        "its item's unit price is in the shop's currency, USD, not in the catalog's, CAD")
    assert priced.updated == len(offered)
    assert fixed_prices(us_shop, export) == {gid: in_cad(linked[gid]) for gid in offered}


def test_a_catalog_filter_splits_the_work_between_entries_that_run_one_after_the_other(merchant, us_shop, linked):
    # given: two entries of the shop's category, each for one catalog
    first_gid, second_gid = mark(merchant, CONTRACT, WHOLESALE)
    category = default_category_for(merchant)
    entries = [JobQueueEntryFactory(merchant=merchant, report_number=30116, parameters={"catalogs": [gid]},
                                    category=category, earliest_start_at=timezone.now() - dt.timedelta(seconds=1))
               for gid in (first_gid, second_gid)]

    # when: both are due; the second's task arrives while the first runs
    with commits_run_callbacks():
        dispatch_due_entries()
    first_task, second_task = take_queued_tasks()
    claim = claim_queued(first_task[0], dt.datetime.fromisoformat(first_task[1]))
    assert run_queued_entry(*second_task) == "nothing to do"
    waiting = JobQueueEntry.objects.get(pk=entries[1].pk).status
    with commits_run_callbacks():
        execute(claim)
    work_off_queue()

    # then
    first, second = (SyncRun.objects.get(entry=entry) for entry in entries)
    assert waiting == EntryStatus.WAITING
    assert first.status == second.status == RunStatus.SUCCESS and first.ended_at <= second.started_at
    assert any(line.startswith(CONTRACT) for line in run_lines(first))
    assert not any(WHOLESALE in line for line in run_lines(first))
    assert any(line.startswith(WHOLESALE) for line in run_lines(second))
    assert not any(CONTRACT in line for line in run_lines(second))
    for gid in (first_gid, second_gid):
        assert fixed_prices(us_shop, gid) == {v: linked[v] for v in offered_variants(us_shop, gid, linked)}
    assert CatalogPricePass.objects.filter(merchant=merchant, finished_at__isnull=False).count() == 2


def test_a_run_stopped_half_way_is_resumed_by_the_next_without_sending_again(merchant, us_shop, linked, settings):
    # given: two catalogs of about 420 prices (two requests each); Shopify stops answering once the
    # first catalog and the first request of the second went through
    settings.SHOPIFY_CLIENT = FAST_CLIENT
    first_gid, second_gid = mark(merchant, CONTRACT, SECOND_CONTRACT)
    first_offered, offered = (offered_variants(us_shop, gid, linked) for gid in (first_gid, second_gid))

    def fail_after_three_requests(counts):
        if counts.updated > 500:
            us_shop.faults.set("server_error", next_requests=20)

    # when
    stopped = run_report(merchant, 30116, progress=fail_after_three_requests)
    us_shop.faults.clear()
    mirror_after_stop = dict(ShopifyCatalogPrice.objects.filter(catalog__shopify_gid=second_gid).values_list(
        "variant_gid", "price"))
    shopify_after_stop = fixed_prices(us_shop, second_gid)
    before = requests_to(us_shop)
    resumed = run_report(merchant, 30116)

    # then
    assert stopped.status == RunStatus.ERROR
    assert stopped.message.startswith(f"stopped in {SECOND_CONTRACT}: Shopify had a server error")
    assert "the next run goes on from there, without sending again what was sent" in stopped.message
    assert stopped.updated == len(first_offered) + 250
    assert mirror_after_stop == shopify_after_stop      # what went through is known: Shopify's own and 250 sent
    assert sum(1 for gid, price in shopify_after_stop.items() if price == linked[gid]) == 250
    assert resumed.status == RunStatus.SUCCESS
    assert "resumed: 1 catalog done before" in run_lines(resumed)
    assert not any(line.startswith(CONTRACT) for line in run_lines(resumed))
    assert requests_to(us_shop) - before == 1          # the rest of the second catalog, in one request
    assert resumed.updated == len(offered) - 250
    for gid in (first_gid, second_gid):
        assert fixed_prices(us_shop, gid) == {v: linked[v] for v in offered_variants(us_shop, gid, linked)}
    assert not CatalogPricePass.objects.filter(merchant=merchant, finished_at__isnull=True).exists()


def test_a_pass_left_unfinished_for_more_than_a_day_is_not_resumed(merchant, us_shop, linked):
    # given: a pass that finished the contract catalog two days ago, then stopped for good
    (contract,) = mark(merchant, CONTRACT)
    CatalogPricePass.objects.create(merchant=merchant, filter_key=filter_key(None), done_catalog_gids=[contract],
                                    started_at=timezone.now() - dt.timedelta(days=2))

    # when
    run = run_report(merchant, 30116)

    # then
    assert any(line.startswith("an unfinished pass begun 20") and line.endswith("was too old to go on with; started "
                                                                                 "over") for line in run_lines(run))
    assert run.updated == len(offered_variants(us_shop, contract, linked))
    assert not CatalogPricePass.objects.filter(merchant=merchant, finished_at__isnull=True).exists()


@pytest.mark.parametrize("kind, rule", RANDOM_FAULTS, ids=[kind for kind, _ in RANDOM_FAULTS])
def test_faults_end_in_the_right_prices_without_duplicates(merchant, us_shop, linked, settings, monkeypatch, kind,
                                                           rule):
    # given
    settings.SHOPIFY_CLIENT = {**FAST_CLIENT, "read_timeout": 0.25 if kind == "slow" else 15, "max_attempts": 6}
    monkeypatch.setattr("connectors.shopify.pacing.CostPacer.throttle_delay", lambda self, requested: 0.01)
    gids = mark(merchant, CONTRACT, WHOLESALE)
    us_shop.faults.set(kind, **rule)

    # when: the queue would run it again until it goes through
    runs = []
    while not runs or runs[-1].status != RunStatus.SUCCESS:
        assert len(runs) < 6, [run.message for run in runs]
        runs.append(run_report(merchant, 30116))
    us_shop.faults.clear()
    before = requests_to(us_shop)
    again = run_report(merchant, 30116)

    # then
    assert us_shop.faults.suffered.get(kind)
    for gid in gids:
        wanted = {v: linked[v] for v in offered_variants(us_shop, gid, linked)}
        assert {v: p for v, p in fixed_prices(us_shop, gid).items() if v in wanted} == wanted
        mirror = dict(ShopifyCatalogPrice.objects.filter(catalog__shopify_gid=gid).values_list("variant_gid", "price"))
        assert mirror == fixed_prices(us_shop, gid)
    assert (again.updated, requests_to(us_shop) - before) == (0, 0)
    assert CatalogLink.objects.filter(merchant=merchant).count() == 7


def test_comparing_with_shopify_takes_the_same_queries_for_nine_or_hundreds_of_variants(
        merchant, us_shop, linked, django_assert_max_num_queries):
    # given: both catalogs priced once, so a run only compares
    wholesale, contract = mark(merchant, WHOLESALE, CONTRACT)
    run_report(merchant, 30116, catalogs=[wholesale])
    run_report(merchant, 30116, catalogs=[contract])
    assert len(offered_variants(us_shop, wholesale, linked)) < 100 < len(offered_variants(us_shop, contract, linked))

    # when / then
    with django_assert_max_num_queries(40) as few:
        run_report(merchant, 30116, catalogs=[wholesale])
    with django_assert_max_num_queries(len(few.captured_queries)):
        run_report(merchant, 30116, catalogs=[contract])
