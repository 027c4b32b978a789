"""The daily sync's models moved from the syncjobs app to their own: a database that holds them keeps them."""
from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.fixtures.migrations import migrate, migrate_to_latest

BEFORE = [("syncjobs", "0009_mark_posted_orders"), ("daily", None)]
AFTER = [("syncjobs", "0010_daily_models_to_daily_app"), ("daily", "0001_initial")]


@pytest.mark.migration_history
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


@pytest.mark.migration_history
@pytest.mark.django_db(transaction=True)
def test_days_changes_and_payouts_keep_their_journal_once_it_is_named_by_number():
    """The daily sync names journals by the target's number: each posted day, posted change and posted
    (or reversed) payout still leads to the journal that took it."""
    old = migrate([("daily", "0002_a_posted_payout_stays")])
    merchant = old.get_model("merchants", "Merchant").objects.create(
        code="OLD", name="Old shop", shop_domain="old.myshopify.com", time_zone="Europe/Paris", shop_currency="EUR")
    journals = [old.get_model("ledger", "JournalEntry").objects.create(
        merchant=merchant, kind="daily_sales", posting_date=date(2025, 3, day), currency="EUR", description="x",
        source_reference=f"daily:OLD:{day}") for day in (9, 10)]
    old.get_model("daily", "DailySyncDay").objects.create(merchant=merchant, day=date(2025, 3, 9), status="synced",
                                                          journal=journals[0])
    old.get_model("daily", "DailySyncDay").objects.create(merchant=merchant, day=date(2025, 3, 11), status="failed")
    order = old.get_model("shopify", "ShopifyOrder").objects.create(
        merchant=merchant, shopify_gid="gid://shopify/Order/1", legacy_id=1, name="#1001", created_at=timezone.now(),
        shopify_updated_at=timezone.now(), currency="EUR", presentment_currency="EUR")
    Adjustment = old.get_model("daily", "OrderAdjustment")
    Adjustment.objects.create(merchant=merchant, order=order, seen_at=timezone.now(), journal=journals[1])
    Adjustment.objects.create(merchant=merchant, order=order, seen_at=timezone.now())
    payout = old.get_model("shopify", "ShopifyPayout").objects.create(
        merchant=merchant, shopify_gid="gid://shopify/ShopifyPaymentsPayout/1", legacy_id=1, status="FAILED",
        net="10.00", currency="EUR", issued_at=timezone.now())
    old.get_model("daily", "PostedPayout").objects.create(payout=payout, journal=journals[0], reversed_in=journals[1])
    try:
        new = migrate([("daily", "0004_journal_keys_dropped")])
        days = new.get_model("daily", "DailySyncDay").objects.order_by("day").values_list("status", "journal_no")
        assert list(days) == [("synced", str(journals[0].pk)), ("failed", "")]
        changes = new.get_model("daily", "OrderAdjustment").objects.order_by("pk").values_list("journal_no", flat=True)
        assert list(changes) == [str(journals[1].pk), ""]
        posted = new.get_model("daily", "PostedPayout").objects.get()
        assert (posted.journal_no, posted.reversed_in_no) == (str(journals[0].pk), str(journals[1].pk))
    finally:
        migrate_to_latest()
