"""Deliveries stored with an impossible X-Shopify-Triggered-At forget it, so their pages answer again."""
import datetime as dt

import pytest
from django.utils import timezone

from tests.fixtures.migrations import migrate, migrate_to_latest


@pytest.mark.migration_history
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


@pytest.mark.migration_history
@pytest.mark.django_db(transaction=True)
def test_payments_read_as_success_before_were_read_so_when_first_read_and_pending_ones_not_yet():
    """The daily journal posts late money by when it was first read as SUCCESS: a payment imported
    before that was known counts as read so when it was first read (never later, so it is not posted
    twice); a refund still pending has not been read so."""
    old = migrate([("shopify", "0012_customers")])
    merchant = old.get_model("merchants", "Merchant").objects.create(
        code="OLD", name="Old shop", shop_domain="old.myshopify.com", time_zone="Europe/Paris", shop_currency="EUR")
    now = timezone.now()
    order = old.get_model("shopify", "ShopifyOrder").objects.create(
        merchant=merchant, shopify_gid="gid://shopify/Order/1", legacy_id=1, name="#1001", created_at=now,
        shopify_updated_at=now, currency="EUR", presentment_currency="EUR")
    Transaction = old.get_model("shopify", "ShopifyTransaction")
    first_read = now - dt.timedelta(days=2)
    paid, pending = (Transaction.objects.create(
        merchant=merchant, order=order, shopify_gid=f"gid://shopify/OrderTransaction/{n}", kind=kind, status=status,
        gateway="shopify_payments", processed_at=first_read, amount="10.00", amount_presentment="10.00", fee="0",
        first_seen_at=first_read) for n, kind, status in ((1, "SALE", "SUCCESS"), (2, "REFUND", "PENDING")))
    try:
        new = migrate([("shopify", "0013_transaction_success_seen")])
        seen = dict(new.get_model("shopify", "ShopifyTransaction").objects.values_list("pk", "success_seen_at"))
        assert seen == {paid.pk: first_read, pending.pk: None}
    finally:
        migrate_to_latest()
