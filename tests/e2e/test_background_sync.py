"""A sync pressed with background syncs on, in a real browser, with a real worker: the message links
to its run, whose page shows the run in process, refreshes itself and ends in Success with its counts
in words."""
from __future__ import annotations

import time

import pytest

from syncjobs.queue.models import SyncRun
from tests.factories.merchants import MerchantFactory
from tests.factories.users import PASSWORD, merchant_user

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_a_background_sync_shows_its_run_in_process_and_ends_in_success(screen, live_shopify, clusters):
    shop = live_shopify.shops[0]
    shop.faults.set("slow", next_requests=2, seconds=4.0)   # long enough to be seen running
    merchant = MerchantFactory(code="LUMIERE", shop_domain=shop.domain, api_base_url=live_shopify.base_url,
                               access_token=shop.access_token, allow_background_syncs=True)
    clusters.start()
    screen.log_in(merchant_user(merchant).username, PASSWORD)
    screen.open(f"/admin/merchants/merchant/{merchant.pk}/change/")
    page = screen.page

    page.get_by_role("button", name="Sync orders", exact=True).click()
    page.click("input[type=submit][value='Sync orders']")
    screen.shot("scheduled")
    assert screen.messages() == ["Sync orders: the sync was scheduled in the background. See its run."]

    deadline = time.monotonic() + 30
    while not SyncRun.objects.filter(merchant=merchant).exists():   # the worker takes it
        assert time.monotonic() < deadline, "no worker took the sync"
        time.sleep(0.2)
    page.get_by_role("link", name="See its run.").click()
    page.locator("#result_list tbody tr th a").first.click()   # the run, from its entry's runs
    screen.shot("in-process")
    assert "This run is in process: the page refreshes every 5 seconds." in page.content()

    page.wait_for_selector(".field-status >> text=Success", timeout=90_000)   # no reload but its own
    screen.shot("success")
    total = shop.total_orders
    assert f"{total} orders read, {total} new" in page.inner_text(".field-counts_in_words")
    assert "refreshes every" not in page.content()
