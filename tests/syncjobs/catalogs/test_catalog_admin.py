"""The Catalogs pages, the shop card's panel and report 30116's request page: a merchant user sees
and marks their own shop's catalogs only; a catalog's price list must be in the ledger and in its
currency; its page shows the company locations with their customers; the request page and a job
queue entry choose among the shop's catalogs marked for price sync."""
from html import unescape

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from connectors.shopify.company_sync import sync_companies as import_companies
from connectors.shopify.models import ShopifyCatalog
from core.in_use import uses_of
from syncjobs.catalogs.links import link_catalogs
from syncjobs.catalogs.models import CatalogLink
from syncjobs.catalogs.sync import sync_catalogs
from syncjobs.companies.models import CompanyLink
from syncjobs.queue.models import JobQueueEntry
from syncjobs.reports.sync_catalog_prices import SyncCatalogPricesReport
from tests.factories.ledger import PriceListFactory
from tests.factories.merchants import MerchantFactory
from tests.factories.users import merchant_user
from tests.fixtures.job_queue import commits_run_callbacks
from tests.fixtures.shop_card import messages_of, press
from tests.syncjobs.catalogs.helpers import run_report

pytestmark = pytest.mark.django_db
CATALOGS = reverse("admin:catalog_sync_cataloglink_changelist")


@pytest.fixture
def catalogs(merchant):
    """demo-us's catalogs imported and linked; its companies imported, the Wholesale catalog's first
    location mapped to customer C1."""
    sync_catalogs(merchant)
    import_companies(merchant=merchant)
    wholesale = link_titled(merchant, "Wholesale")
    CompanyLink.objects.create(merchant=merchant, company_location_gid=catalog_locations(merchant, "Wholesale")[0],
                               company_gid="gid://shopify/Company/1", customer_no="C1", mapped_by="by_hand")
    return wholesale


@pytest.fixture
def other_shop(merchant, catalogs):
    """Another merchant's shop, with catalogs like demo-us's (as its own catalog sync would leave them)."""
    other = MerchantFactory(code="OTHER", time_zone="America/New_York", shop_currency="USD")
    for catalog in ShopifyCatalog.objects.filter(merchant=merchant):
        catalog.pk, catalog.merchant = None, other
        catalog.save()
    link_catalogs(other)
    return other


def link_titled(merchant, title: str) -> CatalogLink:
    return CatalogLink.objects.get(merchant=merchant, title=title)


def catalog_locations(merchant, title: str) -> list[str]:
    return ShopifyCatalog.objects.get(merchant=merchant, title=title).company_location_gids


def page_text(response) -> str:
    assert response.status_code == 200
    return unescape(strip_tags(response.content.decode()))


def change_url(link: CatalogLink) -> str:
    return reverse("admin:catalog_sync_cataloglink_change", args=[link.pk])


def test_a_merchant_user_sees_their_shops_catalogs_and_not_anothers(merchant, catalogs, other_shop, login):
    # given
    client = login(merchant_user(merchant))

    # when
    listed = client.get(CATALOGS)
    foreign = client.get(change_url(link_titled(other_shop, "Wholesale")))

    # then
    assert listed.status_code == 200
    rows = listed.context["cl"].result_list
    assert {link.merchant_id for link in rows} == {merchant.pk} and len(rows) == 7
    text = page_text(listed)
    assert "Export (CAD)" in text and "Company location" in text and "Market" in text
    assert "Maple Leaf Imports Inc. — Head office" in text           # whom a company catalog is for
    assert foreign.status_code == 404


def test_catalogs_are_marked_for_price_sync_by_the_actions_and_in_the_list(merchant, catalogs, login):
    # given
    client = login(merchant_user(merchant))
    chosen = [link_titled(merchant, "Wholesale"), link_titled(merchant, "Canada")]

    # when
    on = client.post(CATALOGS, {"action": "turn_price_sync_on", "_selected_action": [c.pk for c in chosen]},
                     follow=True)
    marked = set(CatalogLink.objects.filter(merchant=merchant, sync_prices=True).values_list("title", flat=True))
    off = client.post(CATALOGS, {"action": "turn_price_sync_off", "_selected_action": [chosen[1].pk]}, follow=True)
    rows = list(CatalogLink.objects.filter(merchant=merchant).order_by("title"))
    edited = {"form-TOTAL_FORMS": len(rows), "form-INITIAL_FORMS": len(rows), "_save": "Save",
              **{f"form-{n}-id": row.pk for n, row in enumerate(rows)},
              **{f"form-{n}-sync_prices": "on" for n, row in enumerate(rows)
                 if row.title in ("Wholesale", "Export (CAD)")}}
    saved = client.post(CATALOGS + "?o=1", edited, follow=True)

    # then
    assert messages_of(on) == ["2 catalogs marked for price sync."]
    assert marked == {"Wholesale", "Canada"}
    assert messages_of(off) == ["1 catalog no longer priced from the ledger."]
    assert saved.status_code == 200
    assert set(CatalogLink.objects.filter(merchant=merchant, sync_prices=True).values_list("title", flat=True)) == {
        "Wholesale", "Export (CAD)"}


def test_a_catalogs_price_list_must_be_in_the_ledger_and_in_its_currency(merchant, catalogs, login):
    # given
    PriceListFactory(merchant=merchant, code="EU", currency="EUR")
    PriceListFactory(merchant=merchant, code="US", currency="USD")
    client = login(merchant_user(merchant))

    def save(code: str):
        return client.post(change_url(catalogs), {"sync_prices": "on", "price_list_code": code})

    # when
    missing, foreign, right = save("NOPE"), save("EU"), save("US")

    # then
    assert missing.context["adminform"].form.errors["price_list_code"] == ["The ledger has no price list NOPE."]
    assert foreign.context["adminform"].form.errors["price_list_code"] == [
        "Price list EU is in EUR, but the catalog's prices are in USD."]
    assert right.status_code == 302
    catalogs.refresh_from_db()
    assert (catalogs.sync_prices, catalogs.price_list_code) == (True, "US")
    assert uses_of("price list", merchant.pk, ["US"]) == ["price list US prices the catalog Wholesale (Catalogs)"]


def test_a_catalogs_page_shows_what_shopify_holds_and_its_company_locations_with_their_customers(
        merchant, catalogs, login):
    client = login(merchant_user(merchant))

    page = page_text(client.get(change_url(catalogs)))

    assert "Wholesale (USD); other variants 15 % less than the shop's prices" in page
    assert "Granite Outfitters — Head office" in page and "C1" in page
    assert "not mapped" in page                                       # its other locations


def test_the_shop_cards_panel_counts_the_catalogs_priced_from_the_ledger(merchant, catalogs, login):
    # given
    CatalogLink.objects.filter(pk=catalogs.pk).update(sync_prices=True)
    client = login(merchant_user(merchant))

    # when
    before = page_text(client.get(reverse("admin:merchants_merchant_change", args=[merchant.pk])))
    run_report(merchant, 30116)
    after = page_text(client.get(reverse("admin:merchants_merchant_change", args=[merchant.pk])))

    # then
    assert "7 catalogs, 1 synced from the ledger; no price sync has run yet (Catalogs)" in before
    assert "7 catalogs, 1 synced from the ledger; last price sync 20" in after


def test_the_price_sync_request_page_offers_the_shops_marked_catalogs(merchant, catalogs, other_shop, login):
    # given
    CatalogLink.objects.filter(pk=catalogs.pk).update(sync_prices=True)
    CatalogLink.objects.filter(merchant=other_shop, title="Canada").update(sync_prices=True)
    client = login(merchant_user(merchant))

    # when
    page = press(client, merchant, {"action": "sync_catalog_prices"})
    started = press(client, merchant, {"action": "sync_catalog_prices", "request_page": "1",
                                       "catalogs": [catalogs.catalog_gid]})

    # then
    choices = dict(page.context["form"].fields["catalogs"].choices)
    assert choices == {catalogs.catalog_gid: "Wholesale (USD)"}
    assert "Read Shopify's prices first" in page_text(page)
    entry = JobQueueEntry.objects.get(merchant=merchant, report_number=30116)
    assert SyncCatalogPricesReport.clean_parameters(entry.parameters)["catalogs"] == [catalogs.catalog_gid]
    assert messages_of(started)


def test_a_job_queue_entry_for_catalog_prices_names_catalogs_of_its_own_shop(merchant, catalogs, other_shop, login):
    # given
    CatalogLink.objects.filter(pk=catalogs.pk).update(sync_prices=True)
    foreign = link_titled(other_shop, "Canada")
    CatalogLink.objects.filter(pk=foreign.pk).update(sync_prices=True)
    client = login(merchant_user(merchant))

    def add(catalogs_typed: str):
        with commits_run_callbacks():
            return client.post(reverse("admin:syncjobs_jobqueueentry_add"), {
                "merchant": merchant.pk, "report_number": 30116, "status": "on_hold", "priority_within_category": 2,
                "maximum_attempts": 3, "rerun_delay_seconds": 60, "r30116-catalogs": catalogs_typed})

    # when
    refused = add(foreign.catalog_gid)
    added = add(f"{catalogs.catalog_gid}\n")

    # then
    assert refused.status_code == 200
    assert f"{foreign.catalog_gid} is not a catalog of this shop marked for price sync." in str(
        refused.context["adminform"].form.errors)
    assert added.status_code == 302
    entry = JobQueueEntry.objects.get(merchant=merchant, report_number=30116)
    assert entry.parameters == {"catalogs": [catalogs.catalog_gid]}
