"""What a bookkeeper does in the first hour, in a real browser: add a shop, set up its accounts, post
its first day and read the journal; a day that fails for a missing mapping, fixed and caught up;
and a merchant user kept out of another shop's pages."""
from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest

from connectors.ledger.models import AccountMapping, JournalEntry
from connectors.shopify.models import ShopifyOrder
from merchants.models import Merchant
from tests.factories.merchants import MerchantFactory
from tests.factories.users import PASSWORD, merchant_user

pytestmark = pytest.mark.django_db(transaction=True)


def add_shop(screen, live_shopify, *, code: str) -> Merchant:
    """Merchants → Add, filled in as the shop's owner would, with background syncs off (the page waits)."""
    shop = live_shopify.shops[0]
    screen.open("/admin/merchants/merchant/add/")
    page = screen.page
    page.fill("#id_code", code)
    page.fill("#id_name", "Boutique Lumière")
    page.fill("#id_shop_domain", shop.domain)
    page.fill("#id_api_base_url", live_shopify.base_url)
    page.fill("#id_access_token", shop.access_token)
    page.fill("#id_time_zone", shop.profile.time_zone)
    page.fill("#id_shop_currency", shop.profile.currency)
    page.uncheck("#id_allow_background_syncs")
    page.select_option("#id_posting_mode", "daily_summary")
    screen.shot("shop-filled-in")
    page.click("input[name=_continue]")
    screen.shot("shop-saved")
    return Merchant.objects.get(code=code)


def press(screen, label: str) -> None:
    screen.page.get_by_role("button", name=label, exact=True).click()


def busiest_day(merchant):
    zone = ZoneInfo(merchant.time_zone)
    days = [at.astimezone(zone).date() for at in ShopifyOrder.objects.filter(merchant=merchant, is_test=False)
            .values_list("processed_at", flat=True)]
    today = max(days)
    return max((d for d in set(days) if d < today), key=days.count)


def test_a_new_shop_from_add_to_its_first_posted_day_and_its_journal(screen, live_shopify, superuser):
    screen.log_in(superuser.username, PASSWORD)
    merchant = add_shop(screen, live_shopify, code="LUMIERE")

    press(screen, "Set up accounts")
    page = screen.page
    page.wait_for_selector("text=VAT, prices include tax (proposed)")
    screen.shot("set-up-accounts-proposed")
    assert "imported those since" in page.content()
    page.click("input[type=submit][value='Set up accounts']")
    screen.shot("accounts-set-up")
    [done] = screen.messages()
    assert done.startswith("Set up accounts (VAT, prices include tax): created ")
    assert "No account is mapped" not in page.content()

    day = busiest_day(merchant)
    press(screen, "Post daily journal")
    page.fill("#id_day", day.isoformat())
    screen.shot("post-daily-journal-request-page")
    page.click("input[type=submit][value='Post daily journal']")
    screen.shot("day-posted")
    assert any(m.startswith("Post daily journal finished:") and "1 day posted" in m for m in screen.messages())

    journal = JournalEntry.objects.get(merchant=merchant, posting_date=day)
    screen.open(f"/admin/ledger/journalentry/{journal.pk}/change/")
    screen.shot("journal")
    table = page.locator("table.journal-lines")
    totals = table.locator("tfoot th").all_inner_texts()
    assert totals[0] == "Total" and totals[1] == totals[2] and totals[1] != "0.00"
    assert "Sales" in table.inner_text() and f"orders of {day}" in page.content()


def test_a_day_failed_for_a_missing_mapping_says_so_in_one_line_and_is_caught_up_once_fixed(screen, live_shopify,
                                                                                         superuser):
    screen.log_in(superuser.username, PASSWORD)
    merchant = add_shop(screen, live_shopify, code="LUMIERE")
    press(screen, "Set up accounts")
    screen.page.click("input[type=submit][value='Set up accounts']")
    AccountMapping.objects.filter(merchant=merchant, kind="sales").delete()   # say someone removed it
    day = busiest_day(merchant)

    press(screen, "Post daily journal")
    screen.page.fill("#id_day", day.isoformat())
    screen.page.click("input[type=submit][value='Post daily journal']")
    screen.shot("day-failed")
    [failed] = [m for m in screen.messages() if m.startswith("Post daily journal failed")]
    assert failed == (f"Post daily journal failed: {day} was not posted: no account is mapped for sales; map it "
                      "under Account mappings, or press Set up accounts on the shop card. See the run.")
    assert not JournalEntry.objects.filter(merchant=merchant).exists()

    press(screen, "Set up accounts")   # the fix: it adds the missing mapping
    screen.page.click("input[type=submit][value='Set up accounts']")
    screen.shot("fixed")
    # (and accounts for any gateway the orders imported since the first setup brought: the store's
    # "today" moves with the clock)
    assert re.search(r"created \d+ accounts? and \d+ mappings?", screen.messages()[0])
    assert AccountMapping.objects.filter(merchant=merchant, kind="sales", key="").exists()

    press(screen, "Post daily journal")
    screen.page.click("input[type=submit][value='Post daily journal']")   # empty: yesterday, and catch up
    screen.shot("caught-up")
    assert JournalEntry.objects.filter(merchant=merchant, posting_date=day).exists()


def test_a_merchant_user_cannot_reach_another_shops_pages(screen, live_shopify):
    mine, theirs = MerchantFactory(code="MINE"), MerchantFactory(code="THEIRS")
    user = merchant_user(mine)
    screen.log_in(user.username, PASSWORD)

    screen.open("/admin/merchants/merchant/")
    screen.shot("own-shops")
    listed = screen.page.locator("#result_list tbody tr").all_inner_texts()
    screen.open(f"/admin/merchants/merchant/{theirs.pk}/change/")
    screen.shot("another-shop")

    assert len(listed) == 1 and "MINE" in listed[0]
    assert re.search(r"not found|doesn.t exist|404", screen.page.content(), re.I)
    assert "THEIRS" not in screen.page.content()
