"""For any day of orders priced as Shopify prices them, the journal balances and rounds by pennies."""
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.ledger.models import JournalEntry
from syncjobs.daily.journal import MAX_ROUNDING, post_day
from tests.factories.ledger import daily_books
from tests.factories.merchants import MerchantFactory
from tests.factories.order_payloads import imported, line, local, order, shipping
from tests.factories.order_payloads import transaction as payment

RATES = [Decimal("0.2"), Decimal("0.1"), Decimal("0.055"), Decimal("0.021"), Decimal("0")]
CENT = Decimal("0.01")
DAY = date(2025, 3, 11)


def cents(value: int) -> Decimal:
    return (Decimal(value) / 100).quantize(CENT)


@st.composite
def priced_lines(draw):
    price, quantity, rate = draw(st.integers(1, 50_000)), draw(st.integers(1, 5)), draw(st.sampled_from(RATES))
    discount = draw(st.integers(0, price * quantity // 3))
    return cents(price), quantity, rate, cents(discount)


@st.composite
def days(draw):
    return {
        "included": draw(st.booleans()),
        "orders": draw(st.lists(st.fixed_dictionaries({
            "lines": st.lists(priced_lines(), min_size=1, max_size=4),
            "shipping": st.one_of(st.none(), priced_lines()),
            "tip": st.integers(0, 1_000).map(cents),
            "fee_per_mille": st.integers(0, 35),
        }), min_size=1, max_size=4)),
    }


def shopify_tax(taxable: Decimal, rate: Decimal, included: bool) -> Decimal:
    """As Shopify charges it: on the discounted amount, rounded to the cent per line."""
    exact = taxable * rate / (1 + rate) if included else taxable * rate
    return exact.quantize(CENT, rounding=ROUND_HALF_UP)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(day=days())
def test_any_day_balances_and_its_rounding_stays_within_five_cents(day):
    with transaction.atomic():
        merchant = MerchantFactory(time_zone="Europe/Paris")
        daily_books(merchant)
        at = local("Europe/Paris", 2025, 3, 11, 12, 0)
        for spec in day["orders"]:
            lines, total, tax_total = [], Decimal("0"), Decimal("0")
            for price, quantity, rate, discount in spec["lines"]:
                taxable = price * quantity - discount
                tax = shopify_tax(taxable, rate, day["included"])
                lines.append(line(str(price), quantity, [("VAT", float(rate), str(tax))] if rate else [],
                                  discount=str(discount)))
                total, tax_total = total + taxable, tax_total + tax
            shipping_lines = []
            if spec["shipping"]:
                price, _, rate, discount = spec["shipping"]
                tax = shopify_tax(price - discount, rate, day["included"])
                shipping_lines.append(shipping(str(price), [("VAT", float(rate), str(tax))] if rate else [],
                                               discount=str(discount)))
                total, tax_total = total + price - discount, tax_total + tax
            total += spec["tip"] + (Decimal("0") if day["included"] else tax_total)
            fee = (total * spec["fee_per_mille"] / 1000).quantize(CENT)
            imported(merchant, order(at, total=str(total), lines=lines, shipping_lines=shipping_lines,
                                     tip=str(spec["tip"]), taxes_included=day["included"],
                                     transactions=[payment("SALE", str(total), at, fee=str(fee))]))

        posted = post_day(merchant=merchant, day=DAY)

        journal = JournalEntry.objects.get(pk=posted.journal.number)
        lines = list(journal.lines.all())
        assert sum(x.debit for x in lines) == sum(x.credit for x in lines)
        rounding = [x.debit or x.credit for x in lines if x.money_kind == "rounding"]
        assert all(amount <= MAX_ROUNDING for amount in rounding)
        transaction.set_rollback(True)
