"""Balance transactions imported before first_seen_at existed count as first read when imported."""
import pytest
from django.utils import timezone

from tests.fixtures.migrations import migrate, migrate_to_latest


@pytest.mark.migration_history
@pytest.mark.django_db(transaction=True)
def test_a_balance_transaction_imported_before_was_first_seen_when_it_was_imported():
    old = migrate([("shopify", "0017_locations_and_inventory_levels")])
    merchant = old.get_model("merchants", "Merchant").objects.create(
        code="OLD", name="Old shop", shop_domain="old.myshopify.com", time_zone="Europe/Paris", shop_currency="EUR")
    row = old.get_model("shopify", "ShopifyBalanceTransaction").objects.create(
        merchant=merchant, shopify_gid="gid://shopify/ShopifyPaymentsBalanceTransaction/1", type="CHARGE",
        transaction_date=timezone.now(), currency="EUR")
    try:
        new = migrate([("shopify", "0018_payments")])
        moved = new.get_model("shopify", "ShopifyBalanceTransaction").objects.get(pk=row.pk)
        assert moved.first_seen_at == moved.imported_at is not None
        assert (moved.source_type, moved.order_name) == ("", "")
    finally:
        migrate_to_latest()
