"""The built-in accounting target (L2): the chart of accounts syncs read and extend."""
import pytest

from connectors.ledger.errors import AccountCodeTaken, NoFreeAccountCode
from connectors.ledger.models import AccountType
from connectors.ledger.target import target_for
from tests.factories.ledger import AccountFactory
from tests.factories.merchants import MerchantFactory


@pytest.fixture
def merchant(db):
    return MerchantFactory()


def test_lists_only_the_merchants_accounts_in_code_order(merchant):
    AccountFactory(merchant=merchant, code="4000")
    AccountFactory(merchant=merchant, code="1010", is_active=False)
    AccountFactory(code="2000")  # another merchant's

    ledger = target_for(merchant)

    assert [a.code for a in ledger.list_accounts(merchant=merchant)] == ["1010", "4000"]
    assert [a.code for a in ledger.list_accounts(merchant=merchant, active_only=True)] == ["4000"]


def test_a_taken_code_is_a_plain_error(merchant):
    AccountFactory(merchant=merchant, code="4000")

    with pytest.raises(AccountCodeTaken, match="account 4000 already exists"):
        target_for(merchant).create_account(merchant=merchant, code="4000", name="Sales", type=AccountType.REVENUE)


def test_auto_created_accounts_take_the_lowest_free_code_in_the_range(merchant):
    AccountFactory(merchant=merchant, code="9000")
    ledger = target_for(merchant)

    first = ledger.create_account_in_range(merchant=merchant, first_code="9000", last_code="9002",
                                           name="Clearing (klarna)", type=AccountType.ASSET)
    second = ledger.create_account_in_range(merchant=merchant, first_code="9000", last_code="9002",
                                            name="VAT 5.5%", type=AccountType.LIABILITY)

    assert (first.code, first.is_auto_created, second.code) == ("9001", True, "9002")
    with pytest.raises(NoFreeAccountCode, match="between 9000 and 9002"):
        ledger.create_account_in_range(merchant=merchant, first_code="9000", last_code="9002",
                                       name="One too many", type=AccountType.ASSET)
