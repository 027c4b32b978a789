"""Merchant users read times in their shop's time zone; staff, who see every shop, in UTC."""
import datetime as dt

from django.urls import reverse

from tests.factories.merchants import MerchantFactory
from tests.factories.shopify import ShopifyOrderFactory
from tests.factories.users import merchant_user

LATE_EVENING_UTC = dt.datetime(2025, 3, 9, 23, 30, tzinfo=dt.timezone.utc)  # already the 10th in Paris


def test_a_merchant_user_sees_order_times_in_the_shops_time_zone(db, login, staff):
    merchant = MerchantFactory(time_zone="Europe/Paris")
    ShopifyOrderFactory(merchant=merchant, created_at=LATE_EVENING_UTC)
    url = reverse("admin:shopify_shopifyorder_changelist")

    as_merchant = login(merchant_user(merchant)).get(url).content.decode()
    as_staff = login(staff).get(url).content.decode()

    assert "March 10, 2025, 12:30 a.m." in as_merchant
    assert "March 9, 2025, 11:30 p.m." in as_staff
