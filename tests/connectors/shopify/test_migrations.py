"""Deliveries stored with an impossible X-Shopify-Triggered-At forget it, so their pages answer again."""
import datetime as dt

import pytest
from django.utils import timezone

from tests.fixtures.migrations import migrate, migrate_to_latest


@pytest.mark.django_db(transaction=True)
def test_a_stored_delivery_from_year_one_forgets_that_time_and_a_true_time_stays():
    old = migrate([("shopify", "0007_shopify_verbose_names")])
    merchant = old.get_model("merchants", "Merchant").objects.create(
        code="OLD", name="Old shop", shop_domain="old.myshopify.com", time_zone="Europe/Paris", shop_currency="EUR")
    Delivery = old.get_model("shopify", "WebhookDelivery")
    now = timezone.now()
    year_one = Delivery.objects.create(merchant=merchant, topic="orders/create", event_id="e1", webhook_id="w1",
                                       triggered_at=dt.datetime(1, 1, 1, tzinfo=dt.timezone.utc), received_at=now)
    true = Delivery.objects.create(merchant=merchant, topic="orders/create", event_id="e2", webhook_id="w2",
                                   triggered_at=now - dt.timedelta(minutes=3), received_at=now)
    try:
        new = migrate([("shopify", "0008_bound_triggered_at")])
        kept = dict(new.get_model("shopify", "WebhookDelivery").objects.values_list("pk", "triggered_at"))
        assert kept[year_one.pk] is None
        assert kept[true.pk] == now - dt.timedelta(minutes=3)
    finally:
        migrate_to_latest()
