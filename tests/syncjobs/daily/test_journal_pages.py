"""A journal and the Shopify data behind it, in a bookkeeper's words: labels instead of codes, money
grouped with its currency, and links both ways between an order and the journal that took it."""
import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from connectors.ledger.models import JournalEntry
from connectors.shopify.importers.counts import ImportCounts
from connectors.shopify.models import ShopifyOrder
from syncjobs.daily.lifecycle import days_to_sync, post_days
from tests.factories.ledger import daily_books
from tests.factories.merchants import MerchantFactory
from tests.factories.order_payloads import imported, line, local, order, transaction
from tests.factories.shopify import ShopifyPayoutFactory
from tests.factories.users import merchant_user

pytestmark = pytest.mark.django_db
PARIS = "Europe/Paris"
DAY = dt.date(2025, 3, 11)


@pytest.fixture
def posted():
    """DEMO-EU with two orders on DAY (one selling a gift card) and one the day after; DAY posted."""
    merchant = MerchantFactory(code="DEMO-EU", time_zone=PARIS, shop_currency="EUR", daily_sync_start_date=DAY)
    daily_books(merchant)
    at, later = local(PARIS, 2025, 3, 11, 0, 30), local(PARIS, 2025, 3, 12, 9, 0)
    imported(merchant,
             order(at, total="1234.00", name="#1001", lines=[line("1234.00", 1, [("VAT", 0.2, "205.67")])],
                   transactions=[transaction("SALE", "1234.00", at)]),
             order(at, total="50.00", name="#1002", lines=[line("50.00", 1, gift_card=True)],
                   transactions=[transaction("SALE", "50.00", at)]),
             order(later, total="10.00", name="#1003", lines=[line("10.00", 1, [("VAT", 0.2, "1.67")])]))
    assert post_days(merchant, days_to_sync(merchant, DAY), counts=ImportCounts(), run_id=None,
                     log=lambda message: None) == []
    return merchant, JournalEntry.objects.get(merchant=merchant, posting_date=DAY)


def test_a_journal_page_names_kinds_of_money_totals_its_sides_and_links_the_orders_behind_it(posted, login):
    merchant, journal = posted
    client = login(merchant_user(merchant))

    page = client.get(reverse("admin:ledger_journalentry_change", args=[journal.pk])).content.decode()
    orders_url = html.unescape(re.search(r'<a href="([^"]+)">orders of 2025-03-11</a>', page)[1])
    listed = client.get(orders_url).context["cl"].result_list

    assert "<td>Sold gift cards</td>" in page and "gift_cards_sold" not in page
    assert re.search(r"<th>Total</th><th[^>]*>1,284.00</th><th[^>]*>1,284.00</th>", page)
    assert sorted(o.name for o in listed) == ["#1001", "#1002"]   # not the next day's


def test_an_order_links_to_the_journal_that_took_it_and_one_not_posted_says_so(posted, login):
    merchant, journal = posted
    client = login(merchant_user(merchant))
    taken, waiting = (ShopifyOrder.objects.get(name=name) for name in ("#1001", "#1003"))

    taken_page = client.get(reverse("admin:shopify_shopifyorder_change", args=[taken.pk])).content.decode()
    waiting_page = client.get(reverse("admin:shopify_shopifyorder_change", args=[waiting.pk])).content.decode()

    journal_url = reverse("admin:ledger_journalentry_change", args=[journal.pk])
    assert f'<a href="{journal_url}">daily journal 2025-03-11 (its day)</a>' in taken_page
    assert "not posted yet" in waiting_page


def test_lists_show_shopify_states_by_their_labels_and_money_with_its_currency(posted, login):
    merchant, _ = posted
    ShopifyOrder.objects.filter(name="#1001").update(financial_status="PARTIALLY_REFUNDED")
    ShopifyPayoutFactory(merchant=merchant, status="IN_TRANSIT", net="2500.5", currency="EUR")
    client = login(merchant_user(merchant))

    orders = client.get(reverse("admin:shopify_shopifyorder_changelist")).content.decode()
    payouts = client.get(reverse("admin:shopify_shopifypayout_changelist")).content.decode()

    assert '<td class="field-financial_status">Partially refunded</td>' in orders
    assert "1,234.00 EUR" in orders
    assert "In transit" in payouts and "2,500.50 EUR" in payouts
