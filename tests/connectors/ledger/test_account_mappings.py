"""Account mappings (M2): a mapping names an active account of a fitting type of the same merchant."""
import pytest
from django.urls import reverse

from connectors.ledger.mappings import mapping_problems
from connectors.ledger.models import Account, AccountMapping, AccountType
from tests.factories.ledger import AccountFactory, AccountMappingFactory
from tests.factories.merchants import MerchantFactory
from tests.factories.users import merchant_user

ADD_URL = reverse("admin:ledger_accountmapping_add")


@pytest.fixture
def merchant(db):
    return MerchantFactory(code="DEMO-EU")


def add_mapping(client, merchant, account, kind="sales", key=""):
    return client.post(ADD_URL, {"merchant": merchant.pk, "kind": kind, "key": key, "account": account.pk})


def test_merchant_user_maps_sales_to_an_active_revenue_account(merchant, login):
    account = AccountFactory(merchant=merchant, code="4000", type=AccountType.REVENUE)

    response = add_mapping(login(merchant_user(merchant)), merchant, account)

    assert response.status_code == 302
    assert AccountMapping.objects.get(merchant=merchant, kind="sales").account == account


def test_mapping_to_an_inactive_account_is_a_form_error(merchant, login):
    account = AccountFactory(merchant=merchant, code="4000", name="Old sales", is_active=False)

    response = add_mapping(login(merchant_user(merchant)), merchant, account)

    assert response.status_code == 200
    assert "Account 4000 Old sales is inactive; activate it or pick an active account." in response.content.decode()
    assert not AccountMapping.objects.exists()


def test_mapping_to_an_account_of_the_wrong_type_is_a_form_error(merchant, login):
    account = AccountFactory(merchant=merchant, code="1010", name="Bank", type=AccountType.ASSET)

    response = add_mapping(login(merchant_user(merchant)), merchant, account, kind="gift_cards_sold")

    assert response.status_code == 200
    assert "Sold gift cards needs an account of type liability, but 1010 Bank is asset." in response.content.decode()


def test_mapping_to_another_merchants_account_is_refused(merchant, superuser, login):
    elsewhere = AccountFactory(merchant=MerchantFactory(), code="4000")

    response = add_mapping(login(superuser), merchant, elsewhere)

    assert response.status_code == 200
    assert "belongs to another merchant" in response.content.decode()
    assert not AccountMapping.objects.exists()


def test_a_key_is_only_for_tax_and_payment_clearing(merchant, login):
    account = AccountFactory(merchant=merchant, type=AccountType.ASSET)
    client = login(merchant_user(merchant))

    keyed_clearing = add_mapping(client, merchant, account, kind="payment_clearing", key="paypal")
    keyed_bank = add_mapping(client, merchant, account, kind="payouts", key="paypal")

    assert keyed_clearing.status_code == 302
    assert "Payouts (bank) takes no key" in keyed_bank.content.decode()


def test_one_mapping_per_kind_and_key(merchant, login):
    account = AccountFactory(merchant=merchant, type=AccountType.REVENUE)
    AccountMappingFactory(merchant=merchant, kind="sales", account=account)

    response = add_mapping(login(merchant_user(merchant)), merchant, account)

    assert response.status_code == 200
    assert AccountMapping.objects.filter(merchant=merchant, kind="sales").count() == 1


def test_an_account_deactivated_later_shows_up_before_the_next_run(merchant):
    """Mappings are checked again before each run: a later deactivation is caught with its account."""
    mapping = AccountMappingFactory(merchant=merchant, kind="sales")
    mapping.account.is_active = False
    mapping.account.save()

    problems = mapping_problems(merchant=merchant)

    assert any(f"account {mapping.account.code}" in p and "is inactive" in p for p in problems)


def test_missing_required_mappings_are_named_in_one_sentence_and_auto_create_covers_tax_and_clearing(merchant):
    problems = mapping_problems(merchant=merchant)
    merchant.auto_create_accounts = True
    with_auto_create = mapping_problems(merchant=merchant)

    assert problems == ["no account is mapped for sales, refunds, discounts, shipping income, tax, payment clearing, "
                        "payment fees, payouts (bank), receivables and rounding; map them under Account mappings, or "
                        "press Set up accounts on the shop card"]
    assert with_auto_create == ["no account is mapped for sales, refunds, discounts, shipping income, payment fees, "
                                "payouts (bank), receivables and rounding; map them under Account mappings, or press "
                                "Set up accounts on the shop card"]
def test_a_mapped_account_cannot_be_deactivated_or_given_an_unfitting_type(merchant, login):
    mapping = AccountMappingFactory(merchant=merchant, kind="sales")
    account = mapping.account
    client = login(merchant_user(merchant))
    url = reverse("admin:ledger_account_change", args=[account.pk])
    data = {"merchant": merchant.pk, "code": account.code, "name": account.name, "type": "revenue"}

    deactivated = client.post(url, data)  # is_active unticked
    retyped = client.post(url, {**data, "type": "asset", "is_active": "on"})

    assert "it is mapped for Sales and an inactive account cannot take postings" in deactivated.content.decode()
    assert "which needs an account of type revenue" in retyped.content.decode()
    account.refresh_from_db()
    assert account.is_active and account.type == "revenue"


def test_an_account_code_in_other_digits_than_0_to_9_is_a_form_error(login, superuser):
    """int() reads "٤٧٠٠" as 4700: the auto-create range would take the code for a free one."""
    merchant = MerchantFactory()
    response = login(superuser).post(reverse("admin:ledger_account_add"), {
        "merchant": merchant.pk, "code": "٤٧٠٠", "name": "Tax", "type": "liability", "is_active": "on"})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["code"]
    assert not Account.objects.exists()
