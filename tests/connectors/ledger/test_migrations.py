"""Account mappings moved from the merchants app to the ledger: a database that holds them keeps them."""
import pytest
from django.db import IntegrityError, transaction

from tests.fixtures.migrations import migrate, migrate_to_latest

BEFORE = [("merchants", "0003_shop_disabled_reason"), ("ledger", "0003_journals")]
AFTER = [("merchants", "0004_account_mappings_to_ledger"), ("ledger", "0004_account_mappings")]


@pytest.mark.migration_history
@pytest.mark.django_db(transaction=True)
def test_mappings_made_before_the_move_are_still_there_after_it():
    """A merchant's mappings survive the move with their accounts, and still refuse a duplicate."""
    # given a database at the last migrations before the move, holding a mapping
    old = migrate(BEFORE)
    merchant = old.get_model("merchants", "Merchant").objects.create(
        code="OLD", name="Old shop", shop_domain="old.myshopify.com", time_zone="Europe/Paris", shop_currency="EUR")
    account = old.get_model("ledger", "Account").objects.create(
        merchant=merchant, code="4000", name="Sales", type="revenue")
    old.get_model("merchants", "AccountMapping").objects.create(merchant=merchant, kind="sales", key="",
                                                                 account=account)
    try:
        # when the move is applied
        new = migrate(AFTER)
        # then the ledger holds the mapping, on the same account
        mapping = new.get_model("ledger", "AccountMapping").objects.get(merchant_id=merchant.pk)
        assert (mapping.kind, mapping.key, mapping.account_id) == ("sales", "", account.pk)
        with pytest.raises(IntegrityError), transaction.atomic():
            new.get_model("ledger", "AccountMapping").objects.create(
                merchant_id=merchant.pk, kind="sales", key="", account_id=account.pk)
    finally:
        migrate_to_latest()
