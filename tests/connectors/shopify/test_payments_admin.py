"""The payments' admin pages: read-only lists a bookkeeper filters and searches, each shop's own."""
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories.merchants import MerchantFactory
from tests.factories.shopify import ShopifyBalanceTransactionFactory, ShopifyDisputeFactory, ShopifyPayoutFactory
from tests.factories.users import merchant_user


@pytest.fixture
def shop_user(db, client):
    own, other = MerchantFactory(code="OWN"), MerchantFactory(code="OTHER")
    client.force_login(merchant_user(own, username="alice"))
    return client, own, other


def listed(client, model: str, **query) -> str:
    response = client.get(reverse(f"admin:shopify_{model}_changelist"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_balance_transactions_filter_by_type_and_payout_status_and_find_a_payout_by_its_number(shop_user):
    client, own, other = shop_user
    payout = ShopifyPayoutFactory(merchant=own, legacy_id=90738922,
                                  shopify_gid="gid://shopify/ShopifyPaymentsPayout/90738922")
    ShopifyBalanceTransactionFactory(merchant=own, payout_gid=payout.shopify_gid, payout_status="PAID",
                                     order_name="#1001")
    ShopifyBalanceTransactionFactory(merchant=own, type="CHARGEBACK_FEE", amount=Decimal("0"), fee=Decimal("15"),
                                     order_name="#1002", payout_status="IN_TRANSIT")
    ShopifyBalanceTransactionFactory(merchant=other, payout_gid=payout.shopify_gid, order_name="#9999")

    assert "#1002" in listed(client, "shopifybalancetransaction", type="CHARGEBACK_FEE")
    assert "#1001" not in listed(client, "shopifybalancetransaction", type="CHARGEBACK_FEE")
    assert "#1001" in listed(client, "shopifybalancetransaction", payout_status="PAID")
    found = listed(client, "shopifybalancetransaction", q="90738922")
    assert "#1001" in found and "#1002" not in found and "#9999" not in found
    assert "#1002" in listed(client, "shopifybalancetransaction", q="#1002")


def test_disputes_filter_by_status_and_reason_and_nothing_is_editable(shop_user):
    client, own, _ = shop_user
    won = ShopifyDisputeFactory(merchant=own, status="WON", reason="FRAUDULENT", order_name="#1003")
    ShopifyDisputeFactory(merchant=own, status="NEEDS_RESPONSE", reason="DUPLICATE", order_name="#1004")

    assert "#1004" not in listed(client, "shopifydispute", status="WON")
    assert "#1004" in listed(client, "shopifydispute", reason="DUPLICATE")
    page = client.get(reverse("admin:shopify_shopifydispute_change", args=[won.pk])).content.decode()
    assert "#1003" in page and 'name="_save"' not in page


def test_a_payout_page_shows_its_summary(shop_user):
    client, own, _ = shop_user
    payout = ShopifyPayoutFactory(merchant=own, net=Decimal("83.10"), charges_gross=Decimal("100.00"),
                                  charges_fee=Decimal("2.90"), reserved_funds_gross=Decimal("-14.00"))

    page = client.get(reverse("admin:shopify_shopifypayout_change", args=[payout.pk])).content.decode()

    assert "Charges gross" in page and "100.00" in page and "-14.00" in page


def test_the_lists_say_shopifys_codes_in_words_and_link_the_payout_and_the_order(shop_user):
    client, own, _ = shop_user
    payout = ShopifyPayoutFactory(merchant=own, legacy_id=90738922,
                                  shopify_gid="gid://shopify/ShopifyPaymentsPayout/90738922")
    ShopifyBalanceTransactionFactory(merchant=own, type="DISPUTE_WITHDRAWAL", payout_gid=payout.shopify_gid,
                                     payout_status="IN_TRANSIT", order_name="#1001")
    ShopifyDisputeFactory(merchant=own, status="NEEDS_RESPONSE", reason="PRODUCT_NOT_RECEIVED", order_name="#1001")

    movements = listed(client, "shopifybalancetransaction")
    disputes = listed(client, "shopifydispute")

    assert 'class="field-type_shown">Dispute withdrawal<' in movements
    assert 'class="field-payout_status_shown">In transit<' in movements
    assert 'class="field-status_shown">Needs response<' in disputes
    assert 'class="field-reason_shown">Product not received<' in disputes
    payout_link = reverse("admin:shopify_shopifypayout_changelist") + "?legacy_id=90738922"
    assert payout_link in movements
    assert payout.shopify_gid in client.get(payout_link).content.decode()
    assert "q=%231001" in movements and "q=%231001" in disputes
