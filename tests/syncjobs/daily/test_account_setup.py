"""Set up accounts on the shop card, end to end: a new shop with nothing imported imports its recent
orders, is proposed the chart its prices call for, gets an account per gateway and tax rate, and its
first day posts."""
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from connectors.ledger.mappings import mapping_problems
from connectors.ledger.models import Account, AccountMapping, JournalEntry
from connectors.shopify.models import ShopifyOrder
from syncjobs.queue.models import JobQueueEntry, SyncRun
from tests.factories.merchants import MerchantFactory
from tests.factories.users import merchant_user
from tests.fixtures.shop_card import messages_of, press


def new_shop(simulator, index: int, code: str, *, background: bool = False):
    shop = simulator.shops[index]
    return MerchantFactory(code=code, shop_domain=shop.domain, api_base_url=simulator.base_url,
                           access_token=shop.access_token, time_zone=shop.profile.time_zone,
                           shop_currency=shop.profile.currency, posting_mode="daily_summary",
                           allow_background_syncs=background)




@pytest.mark.django_db(transaction=True)
def test_a_new_shop_sets_up_its_accounts_in_one_step_and_posts_its_first_day(simulator_today, login):
    merchant = new_shop(simulator_today, 0, "NEW-EU")
    client = login(merchant_user(merchant))

    preview = press(client, merchant, {"action": "set_up_accounts"}).content.decode()

    week_ago = timezone.now().astimezone(ZoneInfo(merchant.time_zone)).date() - dt.timedelta(days=7)
    assert f"No orders were imported yet, so syncsite imported those since {week_ago} first" in preview
    assert "VAT, prices include tax (proposed)" in preview
    assert "shopify_payments" in preview and "FR TVA 20%" in preview and "FR TVA 5.5%" in preview
    assert not Account.objects.exists()   # nothing is written before it is confirmed
    imported = ShopifyOrder.objects.filter(merchant=merchant).count()
    assert imported > 0

    done = press(client, merchant, {"action": "set_up_accounts", "request_page": "1", "template": "vat"})

    [message] = messages_of(done)
    assert message.startswith("Set up accounts (VAT, prices include tax): created ")
    books = {(m.kind, m.key): m.account.name for m in AccountMapping.objects.filter(merchant=merchant)}
    assert books[("tax", "FR TVA 20%")] == "FR TVA 20% payable"
    assert books[("payment_clearing", "shopify_payments")] == "Shopify Payments clearing"
    assert mapping_problems(merchant=merchant) == []
    assert ShopifyOrder.objects.filter(merchant=merchant).count() == imported   # confirming imports nothing more

    zone = ZoneInfo(merchant.time_zone)
    first_day = min(ShopifyOrder.objects.filter(merchant=merchant, is_test=False)
                    .values_list("processed_at", flat=True)).astimezone(zone).date()
    call_command("sync", "1", "--merchant", "NEW-EU", "--param", f"day={first_day}", stdout=io.StringIO())
    assert JournalEntry.objects.filter(merchant=merchant, posting_date=first_day).exists()


@pytest.mark.django_db(transaction=True)
def test_a_shop_whose_prices_exclude_tax_is_proposed_the_us_sales_tax_chart(simulator_today, login):
    merchant = new_shop(simulator_today, 1, "NEW-US")

    preview = press(login(merchant_user(merchant)), merchant, {"action": "set_up_accounts"}).content.decode()

    assert "US sales tax, prices exclude tax (proposed)" in preview
    assert "NY State Tax 4%" in preview and "New York City Tax 4.5%" in preview
    assert 'value="us_sales_tax" required id="id_template_1" checked' in preview
    assert SyncRun.objects.filter(merchant=merchant, report_number=30104, status="success").exists()


@pytest.mark.django_db(transaction=True)
def test_pressing_it_again_after_setup_creates_nothing_twice(simulator_today, login):
    merchant = new_shop(simulator_today, 0, "NEW-EU")
    client = login(merchant_user(merchant))
    confirm = {"action": "set_up_accounts", "request_page": "1", "template": "vat"}
    press(client, merchant, {"action": "set_up_accounts"})
    press(client, merchant, confirm)
    accounts = Account.objects.filter(merchant=merchant).count()

    again = press(client, merchant, confirm)

    assert messages_of(again) == ["Set up accounts (VAT, prices include tax): every kind of money already has an "
                                  "account; nothing was created."]
    assert Account.objects.filter(merchant=merchant).count() == accounts
    assert SyncRun.objects.filter(merchant=merchant, report_number=30104).count() == 1   # imported once


@pytest.mark.django_db
def test_a_shop_that_cannot_be_read_still_gets_a_chart_with_general_accounts(login):
    merchant = MerchantFactory(access_token="", posting_mode="daily_summary", shop_currency="EUR")
    client = login(merchant_user(merchant))

    preview = press(client, merchant, {"action": "set_up_accounts"}).content.decode()
    press(client, merchant, {"action": "set_up_accounts", "request_page": "1", "template": "vat"})

    assert "the shop cannot be read now" in preview
    assert AccountMapping.objects.get(merchant=merchant, kind="tax", key="").account.name == "Tax payable, other rates"
    assert mapping_problems(merchant=merchant) == []


@pytest.mark.django_db(transaction=True)
def test_with_background_syncs_on_the_import_before_a_setup_runs_in_the_background(simulator_today, login):
    merchant = new_shop(simulator_today, 0, "NEW-EU", background=True)

    preview = press(login(merchant_user(merchant)), merchant, {"action": "set_up_accounts"}).content.decode()

    assert "are being imported in the background" in preview
    entry = JobQueueEntry.objects.get(merchant=merchant)
    assert entry.report_number == 30104 and "created_from" in entry.parameters
    assert not SyncRun.objects.exists()   # the page did not wait for it
