"""The built-in accounting target (L2): the chart of accounts syncs read and extend."""
import pytest

from connectors.ledger.errors import AccountCodeTaken, NoFreeAccountCode
from connectors.ledger.models import AccountType
from connectors.ledger.records import AccountData
from connectors.ledger.target import target_for
from tests.factories.ledger import AccountFactory
from tests.factories.merchants import MerchantFactory


@pytest.fixture
def merchant(db):
    return MerchantFactory()


def test_lists_only_the_merchants_accounts_in_code_order(merchant):
    AccountFactory(merchant=merchant, code="4000", name="Sales")
    AccountFactory(merchant=merchant, code="1010", is_active=False)
    AccountFactory(code="2000")  # another merchant's

    ledger = target_for(merchant)

    assert [a.code for a in ledger.list_accounts(merchant)] == ["1010", "4000"]
    assert ledger.list_accounts(merchant, active_only=True) == [
        AccountData(code="4000", name="Sales", type=AccountType.REVENUE)]


def test_a_taken_code_is_a_plain_error_and_nothing_of_the_batch_is_created(merchant):
    AccountFactory(merchant=merchant, code="4000")
    drafts = [AccountData("4010", "Sales (EU)", AccountType.REVENUE), AccountData("4000", "Sales", AccountType.REVENUE)]

    with pytest.raises(AccountCodeTaken, match="account 4000 already exists"):
        target_for(merchant).create_accounts(merchant, drafts)
    assert [a.code for a in target_for(merchant).list_accounts(merchant)] == ["4000"]


def test_auto_created_accounts_take_the_lowest_free_code_in_the_range(merchant):
    AccountFactory(merchant=merchant, code="9000")
    ledger = target_for(merchant)

    first, second = ledger.create_accounts_in_range(
        merchant, first_code="9000", last_code="9002",
        drafts=[AccountData("", "Clearing (klarna)", AccountType.ASSET),
                AccountData("", "VAT 5.5%", AccountType.LIABILITY)])

    assert (first.code, first.is_auto_created, second.code) == ("9001", True, "9002")
    with pytest.raises(NoFreeAccountCode, match="between 9000 and 9002"):
        ledger.create_accounts_in_range(merchant, first_code="9000", last_code="9002",
                                        drafts=[AccountData("", "One too many", AccountType.ASSET)])
    assert [a.code for a in ledger.list_accounts(merchant)] == ["9000", "9001", "9002"]
