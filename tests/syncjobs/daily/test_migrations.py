"""The daily sync's models moved from the syncjobs app to their own: a database that holds them keeps them."""
from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.fixtures.migrations import migrate, migrate_to_latest

BEFORE = [("syncjobs", "0009_mark_posted_orders"), ("daily", None)]
AFTER = [("syncjobs", "0010_daily_models_to_daily_app"), ("daily", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_days_and_adjustments_made_before_the_move_are_still_there_after_it():
    """A shop's failed day keeps its status, message and run; its pending order change keeps what was posted."""
    # given a database at the last syncjobs migration before the move, holding a day and an adjustment
    old = migrate(BEFORE)
    merchant = old.get_model("merchants", "Merchant").objects.create(
        code="OLD", name="Old shop", shop_domain="old.myshopify.com", time_zone="Europe/Paris", shop_currency="EUR")
    run = old.get_model("syncjobs", "SyncRun").objects.create(merchant=merchant, report_number=1,
                                                              started_at=timezone.now(), status="error")
    old.get_model("syncjobs", "DailySyncDay").objects.create(
        merchant=merchant, day=date(2025, 3, 9), status="failed", message="no account is mapped for sales", run=run)
    order = old.get_model("shopify", "ShopifyOrder").objects.create(
        merchant=merchant, shopify_gid="gid://shopify/Order/1", legacy_id=1, name="#1001", created_at=timezone.now(),
        shopify_updated_at=timezone.now(), currency="EUR", presentment_currency="EUR")
    old.get_model("syncjobs", "OrderAdjustment").objects.create(merchant=merchant, order=order,
                                                                seen_at=timezone.now(), before={"sales|": "10.00"})
    try:
        # when the move is applied
        new = migrate(AFTER)
        # then the daily app holds them, as they were
        day = new.get_model("daily", "DailySyncDay").objects.get(merchant_id=merchant.pk)
        assert (day.day, day.status, day.message, day.run_id) == (
            date(2025, 3, 9), "failed", "no account is mapped for sales", run.pk)
        adjustment = new.get_model("daily", "OrderAdjustment").objects.get(merchant_id=merchant.pk)
        assert (adjustment.order_id, adjustment.before) == (order.pk, {"sales|": "10.00"})
        with pytest.raises(IntegrityError), transaction.atomic():
            new.get_model("daily", "DailySyncDay").objects.create(merchant_id=merchant.pk, day=date(2025, 3, 9))
    finally:
        migrate_to_latest()
