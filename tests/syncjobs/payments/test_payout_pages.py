"""The payouts under Payments: the list with each payout's state, the page that takes one apart, the
gateways reconciled from the bank, and the role-center tile "Payouts not reconciled"."""
import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.tiles import TILES
from merchants.models import Merchant
from syncjobs.payments.reconciliation import reconcile_payouts
from tests.factories.merchants import MerchantFactory
from tests.factories.payments import (
    ISSUED,
    OrderTransactionFactory,
    order_part,
    own_part,
    payout,
    payout_back,
    post_payout,
)
from tests.factories.shopify import ShopifyOrderFactory
from tests.factories.users import merchant_user

pytestmark = pytest.mark.django_db

START = dt.date(2026, 11, 1)


def page(payout_row) -> str:
    return reverse("admin:payment_sync_payout_change", args=[payout_row.pk])


def listed(client, query="") -> set[int]:
    response = client.get(reverse("admin:payment_sync_payout_changelist") + query)
    assert response.status_code == 200
    return {row.pk for row in response.context["cl"].result_list}


@pytest.fixture
def shop():
    return MerchantFactory(code="EU", daily_sync_start_date=START)


def test_the_page_shows_every_group_its_sum_against_the_net_and_the_journal_of_each_part(shop, superuser, login):
    """Gross 300.00, refunds −20.00, fees −9.30, disputes −60.00, dispute fees −15.00, reserves −50.00,
    adjustments −4.50, a failed 25.00 back: 166.20, the payout's net."""
    # given
    failed = payout(shop, "25.00", status="FAILED", issued_at=ISSUED - dt.timedelta(days=3))
    post_payout(failed, "J7", reversed_in="J8")
    paid = payout(shop, "166.20", charges_gross=Decimal("300.00"), charges_fee=Decimal("9.30"))
    order = ShopifyOrderFactory(merchant=shop, name="#1042")
    order_part(paid, amount="300.00", fee="9.30", posted_in="J8", order=order)
    order_part(paid, "REFUND", amount="-20.00", posted_in="J8")
    own_part(paid, "DISPUTE_WITHDRAWAL", amount="-60.00", posted_in="J8")
    own_part(paid, "CHARGEBACK_FEE", amount="-15.00", posted_in="J8")
    own_part(paid, "RESERVED_FUNDS_WITHDRAWAL", amount="-50.00", posted_in="J8")
    own_part(paid, "ADJUSTMENT", amount="-4.50")
    payout_back(paid, failed)
    post_payout(paid, "J9")
    OrderTransactionFactory(order=ShopifyOrderFactory(merchant=shop), gateway="paypal", amount=Decimal("45.00"),
                            fee=Decimal("1.20"), processed_at=ISSUED)
    OrderTransactionFactory(order=ShopifyOrderFactory(merchant=shop), gateway="gift_card", amount=Decimal("5.00"),
                            processed_at=ISSUED)
    reconcile_payouts(merchant=shop)
    # when
    response = login(superuser).get(page(paid))
    # then
    assert response.status_code == 200
    text = response.content.decode()
    for label, amount in (("Gross sales", "300.00"), ("Refunds", "-20.00"), ("Fees", "-9.30"),
                          ("Disputes", "-60.00"), ("Dispute fees", "-15.00"), ("Reserves", "-50.00"),
                          ("Adjustments", "-4.50"), ("Retried payouts", "25.00")):
        assert f"{label}: {amount} EUR" in text
    assert "Sum of the parts" in text and "166.20" in text
    assert "1 of its transactions is not posted yet" in text           # the adjustment
    assert reverse("admin:ledger_journalentry_change", args=["J8"]) in text
    assert reverse("admin:ledger_journalentry_change", args=["J9"]) in text
    assert reverse("admin:shopify_shopifyorder_change", args=[order.pk]) in text and "#1042" in text
    assert "Shopify's own summary of the payout" in text and "<td>Charges</td>" in text
    assert "paypal" in text and "reconcile their clearing accounts from the bank" in text
    assert "43.80 EUR" in text                                         # 45.00 less its 1.20 fee
    assert "gift_card" not in text
    assert reverse("admin:payment_sync_payout_change", args=[failed.pk]) in text   # the failed payout it brings back


def test_the_list_shows_each_payouts_state_and_filters_by_it(shop, superuser, login):
    reconciled = payout(shop, "96.80")
    order_part(reconciled, amount="100.00", fee="3.20", posted_in="J1")
    post_payout(reconciled, "J2")
    waiting = payout(shop, "96.80")
    order_part(waiting, amount="100.00", fee="3.20")
    reconcile_payouts(merchant=shop)
    never_checked = payout(shop, "5.00")
    client = login(superuser)

    response = client.get(reverse("admin:payment_sync_payout_changelist"))

    assert response.status_code == 200
    assert "Reconciled" in response.content.decode() and "Not checked yet" in response.content.decode()
    assert listed(client, "?state=reconciled") == {reconciled.pk}
    assert listed(client, "?state=waiting") == {waiting.pk}
    assert listed(client, "?state=not_checked") == {never_checked.pk}


def test_reconcile_again_checks_the_selected_payouts(shop, superuser, login):
    paid = payout(shop, "96.80")
    order_part(paid, amount="100.00", fee="3.20", posted_in="J1")
    post_payout(paid, "J2")

    response = login(superuser).post(reverse("admin:payment_sync_payout_changelist"),
                                     {"action": "reconcile_again", "_selected_action": [paid.pk]}, follow=True)

    assert "1 payout checked again: 1 reconciled." in response.content.decode()


def test_a_merchant_user_sees_only_their_payouts(shop, login):
    other = MerchantFactory(code="US")
    mine, theirs = payout(shop, "10.00"), payout(other, "20.00")
    client = login(merchant_user(shop))

    assert listed(client) == {mine.pk}
    assert client.get(page(mine)).status_code == 200
    assert client.get(page(theirs)).status_code == 404


def test_the_tile_counts_differences_and_paid_payouts_waiting_too_long_and_links_to_exactly_them(
        shop, superuser, login):
    now = timezone.now()
    flagged = payout(shop, "130.00", issued_at=now - dt.timedelta(days=1))   # parts sum to 96.80
    order_part(flagged, amount="100.00", fee="3.20", posted_in="J1")
    stuck = payout(shop, "96.80", issued_at=now - dt.timedelta(days=5))      # a part never posted
    order_part(stuck, amount="100.00", fee="3.20")
    post_payout(stuck, "J2")
    recent = payout(shop, "96.80", issued_at=now - dt.timedelta(days=1))     # waiting, but not for long
    order_part(recent, amount="100.00", fee="3.20")
    in_transit = payout(shop, "96.80", status="IN_TRANSIT", issued_at=now - dt.timedelta(days=5))
    order_part(in_transit, amount="100.00", fee="3.20", posted_in="J3")
    other = MerchantFactory(code="US", daily_sync_start_date=START)
    elsewhere = payout(other, "1.00", issued_at=now - dt.timedelta(days=1))
    for merchant in (shop, other):
        reconcile_payouts(merchant=merchant)
    tile = TILES["payouts_not_reconciled"]

    assert set(tile.rows(Merchant.objects.all())) == {flagged, stuck, elsewhere}
    assert set(tile.rows(Merchant.objects.filter(pk=shop.pk))) == {flagged, stuck}
    assert listed(login(superuser), "?tile=not_reconciled") == {flagged.pk, stuck.pk, elsewhere.pk}
    assert listed(login(merchant_user(shop)), "?tile=not_reconciled") == {flagged.pk, stuck.pk}
    assert tile.link().endswith("?tile=not_reconciled")


def test_a_failed_payout_links_to_the_payout_its_money_came_back_in(shop, superuser, login):
    failed = payout(shop, "25.00", status="FAILED", issued_at=ISSUED - dt.timedelta(days=3), legacy_id=4711)
    later = payout(shop, "25.00", legacy_id=4712)
    payout_back(later, failed)

    text = login(superuser).get(page(failed)).content.decode()

    assert "Its money came back in" in text and "payout 4712 of" in text
    assert reverse("admin:payment_sync_payout_change", args=[later.pk]) in text
    assert "Payout no.:" in text and "4711" in text and "4,711" not in text   # a number, not an amount


def test_the_page_links_each_dispute_and_the_payouts_balance_transactions_and_dates_the_other_gateways(
        shop, superuser, login):
    paid = payout(shop, "-75.00", legacy_id=90731)
    own_part(paid, "DISPUTE_WITHDRAWAL", amount="-60.00", order_name="#1042", posted_in="J8")
    own_part(paid, "CHARGEBACK_FEE", amount="-15.00", order_name="#1042", posted_in="J8")
    OrderTransactionFactory(order=ShopifyOrderFactory(merchant=shop), gateway="paypal", amount=Decimal("45.00"),
                            processed_at=ISSUED)

    text = login(superuser).get(page(paid)).content.decode()

    assert reverse("admin:shopify_shopifydispute_changelist") + "?q=%231042" in text
    assert reverse("admin:shopify_shopifybalancetransaction_changelist") + "?q=90731" in text
    assert "Payout 90731 of 2026-11-10: -75.00 EUR (paid)" in text                  # title and breadcrumb
    assert "negative: taken from the bank" in text
    assert "the whole shop, not this payout" in text and "since the daily sync began on 2026-11-01" in text


def test_the_list_says_what_is_left_and_finds_a_payout_by_its_amount(shop, superuser, login):
    waiting = payout(shop, "96.80", legacy_id=90001)
    order_part(waiting, amount="100.00", fee="3.20")
    flagged = payout(shop, "130.00", legacy_id=90002)
    order_part(flagged, amount="100.00", fee="3.20", posted_in="J1")
    reconcile_payouts(merchant=shop)
    client = login(superuser)

    text = client.get(reverse("admin:payment_sync_payout_changelist")).content.decode()

    assert "1 transaction not posted yet" in text
    assert '<strong class="off">-33.20 EUR</strong>' in text
    assert listed(client, "?q=130.00") == {flagged.pk}
    assert listed(client, "?q=96.8") == {waiting.pk}
    assert listed(client, "?q=90002") == {flagged.pk}
