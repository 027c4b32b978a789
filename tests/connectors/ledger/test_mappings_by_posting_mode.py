"""The kinds of money a shop must map depend on its posting mode (D0): a daily-summary shop posts
payments and payouts, a documents shop posts sales documents and, with refunds, returns that go
back to no shelf."""
import pytest

from connectors.ledger.account_setup import apply_setup
from connectors.ledger.chart_templates import US_SALES_TAX, VAT_INCLUSIVE
from connectors.ledger.mappings import mapping_problems
from connectors.ledger.models import AccountMapping
from connectors.ledger.money_kinds import MONEY_KINDS
from merchants.models import PostingMode
from tests.factories.merchants import MerchantFactory

pytestmark = pytest.mark.django_db
VAT = "VAT 20%"


@pytest.mark.parametrize(("mode", "unmapped", "problem"), [
    (PostingMode.DAILY_SUMMARY, "non_restock", False),
    (PostingMode.DOCUMENTS, "payouts", False),
    (PostingMode.DOCUMENTS, "payment_clearing", False),
    (PostingMode.DOCUMENTS, "rounding", False),
    (PostingMode.DOCUMENTS, "non_restock", True),
    (PostingMode.DAILY_SUMMARY, "payouts", True),
    (PostingMode.DOCUMENTS, "receivables", True),
])
def test_the_mappings_a_shop_must_have_depend_on_its_posting_mode(mode, unmapped, problem):
    merchant = MerchantFactory(posting_mode=mode)
    apply_setup(merchant=merchant, template=VAT_INCLUSIVE, tax_keys=[VAT], gateways=["paypal"])
    AccountMapping.objects.filter(merchant=merchant, kind=unmapped).delete()

    problems = mapping_problems(merchant=merchant)

    assert bool(problems) is problem
    if problem:
        assert problems[0].startswith(f"no account is mapped for {MONEY_KINDS[unmapped].label};")


def test_set_up_accounts_maps_non_restocked_returns_in_both_templates():
    shops = {}
    for template in (VAT_INCLUSIVE, US_SALES_TAX):
        shops[template.slug] = merchant = MerchantFactory(posting_mode=PostingMode.DOCUMENTS)
        apply_setup(merchant=merchant, template=template, tax_keys=[], gateways=[])

    assert {slug: str(AccountMapping.objects.get(merchant=m, kind="non_restock").account)
            for slug, m in shops.items()} == {"vat": "4050 Returns not restocked",
                                              "us_sales_tax": "4250 Returns not restocked"}
    assert all(mapping_problems(merchant=m) == [] for m in shops.values())


def test_a_new_documents_shop_is_told_every_kind_it_must_map_and_no_payment_kind():
    merchant = MerchantFactory(posting_mode=PostingMode.DOCUMENTS)

    assert mapping_problems(merchant=merchant) == [
        "no account is mapped for sales, refunds, discounts, shipping income, tax, receivables and non-restocked "
        "returns; map them under Account mappings, or press Set up accounts on the shop card"]
