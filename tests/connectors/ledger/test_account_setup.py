"""Set up accounts in the ledger (M2): a standard chart and a mapping for every kind of money, never
changing a mapping that exists, adding accounts for new tax rates and gateways when pressed again."""
import pytest

from connectors.ledger.account_setup import apply_setup, plan_setup
from connectors.ledger.chart_templates import CHART_TEMPLATES, US_SALES_TAX, VAT_INCLUSIVE
from connectors.ledger.mappings import mapping_problems
from connectors.ledger.models import Account, AccountMapping
from connectors.ledger.money_kinds import MONEY_KINDS
from tests.factories.ledger import AccountFactory, AccountMappingFactory
from tests.factories.merchants import MerchantFactory
from tests.fixtures.concurrency import race

pytestmark = pytest.mark.django_db


def mapped(merchant) -> dict[tuple[str, str], str]:
    return {(m.kind, m.key): f"{m.account.code} {m.account.name}"
            for m in AccountMapping.objects.filter(merchant=merchant).select_related("account")}


@pytest.mark.parametrize("template", CHART_TEMPLATES.values(), ids=lambda t: t.slug)
def test_each_template_maps_every_kind_of_money_to_an_account_that_fits_it(template):
    merchant = MerchantFactory()

    apply_setup(merchant=merchant, template=template, tax_keys=["VAT 20%"], gateways=["paypal"])

    kinds = {kind for kind, _ in mapped(merchant)}
    assert kinds == set(MONEY_KINDS)
    assert mapping_problems(merchant=merchant) == []


def test_a_vat_shop_gets_one_tax_account_per_rate_and_one_clearing_account_per_gateway():
    merchant = MerchantFactory()

    result = apply_setup(merchant=merchant, template=VAT_INCLUSIVE, tax_keys=["FR TVA 20%", "FR TVA 5.5%"],
                         gateways=["paypal", "shopify_payments"])

    books = mapped(merchant)
    assert books[("tax", "FR TVA 20%")] == "2400 FR TVA 20% payable"
    assert books[("tax", "FR TVA 5.5%")] == "2401 FR TVA 5.5% payable"
    assert books[("payment_clearing", "paypal")] == "1150 Paypal clearing"
    assert books[("payment_clearing", "shopify_payments")] == "1151 Shopify Payments clearing"
    assert books[("gift_cards_sold", "")] == books[("gift_card_redemptions", "")] == "2300 Gift cards outstanding"
    assert ("tax", "") not in books   # every rate seen has its own account
    assert result.summary().startswith(f"created {Account.objects.count()} accounts and {len(books)} mappings: 1010 ")


def test_it_never_changes_a_mapping_that_exists_and_says_so():
    merchant = MerchantFactory()
    own_sales = AccountMappingFactory(merchant=merchant, kind="sales", account__code="7000")
    AccountMappingFactory(merchant=merchant, kind="tax", key="VAT 20%", account__code="7100",
                          account__type="liability")

    result = apply_setup(merchant=merchant, template=VAT_INCLUSIVE, tax_keys=["VAT 20%"], gateways=[])

    assert mapped(merchant)[("sales", "")] == str(own_sales.account)
    assert mapped(merchant)[("tax", "VAT 20%")].startswith("7100 ")
    assert not Account.objects.filter(merchant=merchant, code="4000").exists()
    assert set(result.kept) == {"sales", "tax (VAT 20%)"}
    assert "2 existing mappings were left as they were" in result.summary()


def test_a_kind_mapped_for_all_its_rates_or_gateways_gets_no_account_per_rate_or_gateway():
    """Otherwise part of the VAT would move to new accounts in mid-period, splitting the VAT return."""
    merchant = MerchantFactory()
    all_tax = AccountMappingFactory(merchant=merchant, kind="tax", account__code="2200", account__type="liability")
    AccountMappingFactory(merchant=merchant, kind="payment_clearing", account__code="1290", account__type="asset")

    result = apply_setup(merchant=merchant, template=VAT_INCLUSIVE, tax_keys=["FR TVA 20%", "FR TVA 5.5%"],
                         gateways=["manual", "paypal"])

    books = mapped(merchant)
    assert [key for kind, key in books if kind in ("tax", "payment_clearing")] == ["", ""]
    assert books[("tax", "")] == str(all_tax.account)
    assert {"tax (all tax rates)", "payment clearing (all payment gateways)"} <= set(result.kept)


def test_pressing_it_again_adds_only_the_new_rates_and_gateways():
    merchant = MerchantFactory()
    apply_setup(merchant=merchant, template=US_SALES_TAX, tax_keys=["NY State Tax 4%"], gateways=["shopify_payments"])
    before = Account.objects.filter(merchant=merchant).count()

    again = apply_setup(merchant=merchant, template=US_SALES_TAX, tax_keys=["NY State Tax 4%"],
                        gateways=["shopify_payments"])
    later = apply_setup(merchant=merchant, template=US_SALES_TAX, tax_keys=["NY State Tax 4%", "NJ State Tax 6.625%"],
                        gateways=["shopify_payments", "paypal"])

    assert again.summary() == "every kind of money already has an account; nothing was created"
    assert [str(a) for a in later.accounts] == ["1251 Paypal clearing", "2201 NJ State Tax 6.625% payable"]
    assert Account.objects.filter(merchant=merchant).count() == before + 2


def test_a_code_taken_by_another_account_moves_the_new_one_to_the_next_free_code():
    merchant = MerchantFactory()
    AccountFactory(merchant=merchant, code="4000", name="Consulting revenue")

    apply_setup(merchant=merchant, template=VAT_INCLUSIVE, tax_keys=[], gateways=[])

    assert mapped(merchant)[("sales", "")] == "4001 Sales (net of VAT)"
    assert Account.objects.get(merchant=merchant, code="4000").name == "Consulting revenue"


def test_a_shop_with_no_rates_or_gateways_yet_gets_general_accounts_so_its_first_days_post():
    merchant = MerchantFactory()

    plan = plan_setup(merchant=merchant, template=VAT_INCLUSIVE, tax_keys=[], gateways=[])

    general = {(m.kind, m.key): str(m.account) for m in plan.mappings if m.kind in ("tax", "payment_clearing")}
    assert general == {("tax", ""): "2499 Tax payable, other rates",
                       ("payment_clearing", ""): "1199 Other payments clearing"}
    assert not Account.objects.exists()   # a plan writes nothing


def test_another_merchants_accounts_do_not_count():
    other = MerchantFactory()
    apply_setup(merchant=other, template=VAT_INCLUSIVE, tax_keys=[], gateways=[])
    merchant = MerchantFactory()

    apply_setup(merchant=merchant, template=VAT_INCLUSIVE, tax_keys=[], gateways=[])

    assert mapped(merchant) == mapped(other)   # same codes, each in its own chart
    assert Account.objects.filter(merchant=merchant).count() == Account.objects.filter(merchant=other).count()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_presses_at_once_create_each_account_and_mapping_once():
    merchant = MerchantFactory()

    results = race(lambda _: apply_setup(merchant=merchant, template=VAT_INCLUSIVE, tax_keys=["VAT 20%"],
                                         gateways=["paypal"]), range(4))

    assert not [r for r in results if isinstance(r, Exception)]
    assert sum(len(r.accounts) for r in results) == Account.objects.filter(merchant=merchant).count() == 17
    assert AccountMapping.objects.filter(merchant=merchant).count() == len(MONEY_KINDS)
