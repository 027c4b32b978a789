"""The daily journal (D2, D3, M2, M3), against small orders whose journals are worked out by hand.

Every expected line below is computed in the comment beside it from the order's own numbers, not
from the code under test.
"""
import datetime as dt
from decimal import Decimal

import pytest

from connectors.ledger.models import Account, AccountMapping, JournalEntry
from syncjobs.daily.journal import DayFailed, day_bounds, post_day
from tests.factories.ledger import daily_books
from tests.factories.merchants import MerchantFactory
from tests.factories.order_payloads import imported, line, local, order, refund, shipping, transaction
from tests.factories.shopify import ShopifyPayoutFactory

pytestmark = pytest.mark.django_db
PARIS, NEW_YORK = "Europe/Paris", "America/New_York"
VAT = ("VAT", 0.2)
DAY = dt.date(2025, 3, 11)


@pytest.fixture
def eu():
    merchant = MerchantFactory(code="DEMO-EU", time_zone=PARIS, shop_currency="EUR")
    daily_books(merchant)
    return merchant


@pytest.fixture
def us():
    merchant = MerchantFactory(code="DEMO-US", time_zone=NEW_YORK, shop_currency="USD")
    daily_books(merchant)
    return merchant


def journal_lines(merchant, day) -> list[tuple[str, str, str, str]]:
    journal = JournalEntry.objects.get(merchant=merchant, posting_date=day)
    return sorted((line.account.code, line.description, f"{line.debit}", f"{line.credit}")
                  for line in journal.lines.select_related("account"))


def totals(lines) -> tuple[Decimal, Decimal]:
    return sum(Decimal(dr) for *_, dr, _ in lines), sum(Decimal(cr) for *_, cr in lines)


def test_the_worked_example_of_the_spec_line_for_line(eu):
    # 2 × 60.00 with a 12.00 discount, shipping 6.00, a 5.00 tip, paid 119.00 by card with a 2.00 fee.
    at = local(PARIS, 2025, 3, 11, 14, 0)
    goods = line("60.00", 2, [(*VAT, "18.00")], discount="12.00")      # VAT on 108.00: 108 × 0.2 / 1.2 = 18.00
    post = shipping("6.00", [(*VAT, "1.00")])                          # 6 × 0.2 / 1.2 = 1.00
    imported(eu, order(at, total="119.00", lines=[goods], shipping_lines=[post], tip="5.00",
                       transactions=[transaction("SALE", "119.00", at, fee="2.00")]))

    post_day(merchant=eu, day=DAY)

    lines = journal_lines(eu, DAY)
    assert lines == sorted([
        ("4000", "Sales 20%", "0.00", "100.00"),                        # 120 / 1.2
        ("4100", "Shipping income", "0.00", "5.00"),                    # 6 / 1.2
        ("4300", "Tips", "0.00", "5.00"),
        ("2200", "Tax VAT 20%", "0.00", "19.00"),                       # 18 on goods + 1 on shipping
        ("4200", "Discounts", "10.00", "0.00"),                         # 12 / 1.2
        ("1200", "Payments received (shopify_payments)", "119.00", "0.00"),
        ("6100", "Payment fees (shopify_payments)", "2.00", "0.00"),
        ("1200", "Payment fees (shopify_payments)", "0.00", "2.00"),
    ])
    assert totals(lines) == (Decimal("131.00"), Decimal("131.00"))


def test_a_day_with_every_kind_of_money_in_a_shop_whose_prices_include_tax(eu):
    at = local(PARIS, 2025, 3, 11, 10, 0)
    sold = order(at, total="144.00", tip="5.00", lines=[
        line("60.00", 2, [(*VAT, "18.00")], discount="12.00"), line("25.00", 1, gift_card=True),
    ], shipping_lines=[shipping("6.00", [(*VAT, "1.00")])], transactions=[
        transaction("SALE", "100.00", at, fee="1.80"),
        transaction("SALE", "24.00", at, gateway="paypal", fee="0.70"),
        transaction("SALE", "20.00", at, gateway="gift_card"),
    ])                                                                  # 108 + 25 + 6 + 5 = 144.00
    earlier, back = local(PARIS, 2025, 3, 5, 9, 0), local(PARIS, 2025, 3, 11, 16, 0)
    shirt, post = line("36.00", 1, [(*VAT, "6.00")]), shipping("6.00", [(*VAT, "1.00")])
    returned = order(earlier, total="42.00", lines=[shirt], shipping_lines=[post],
                     transactions=[transaction("SALE", "42.00", earlier)], refunds=[
                         refund(back, lines=[(shirt, 1, "36.00", "6.00")], shipping_lines=[(post, "6.00", "1.00")],
                                transactions=[transaction("REFUND", "42.00", back, fee="-0.30")])])
    test_order = order(at, total="999.00", test=True, lines=[line("999.00", 1)],
                       transactions=[transaction("SALE", "999.00", at)])
    imported(eu, sold, returned, test_order)
    ShopifyPayoutFactory(merchant=eu, issued_at=dt.datetime(2025, 3, 11, 6, 0, tzinfo=dt.UTC), net="300.00")

    post_day(merchant=eu, day=DAY)

    lines = journal_lines(eu, DAY)
    assert lines == sorted([
        ("4000", "Sales 20%", "0.00", "100.00"),                        # 120 − 12 − 18 + 12 / 1.2
        ("2100", "Gift cards sold", "0.00", "25.00"),
        ("4100", "Shipping income", "0.00", "5.00"),                    # 6 − 1
        ("4200", "Discounts", "10.00", "0.00"),                         # 12 / 1.2
        ("4300", "Tips", "0.00", "5.00"),
        ("2200", "Tax VAT 20%", "0.00", "19.00"),                       # 18 + 1
        ("4400", "Refunds", "30.00", "0.00"),                           # 36 − 6
        ("4400", "Shipping refunds", "5.00", "0.00"),                   # 6 − 1
        ("2200", "Tax refunded VAT 20%", "7.00", "0.00"),               # 6 + 1
        ("1200", "Payments received (shopify_payments)", "100.00", "0.00"),
        ("1210", "Payments received (paypal)", "24.00", "0.00"),
        ("2100", "Gift card redemptions", "20.00", "0.00"),
        ("1200", "Payments refunded (shopify_payments)", "0.00", "42.00"),
        ("6100", "Payment fees (shopify_payments)", "1.80", "0.00"),
        ("1200", "Payment fees (shopify_payments)", "0.00", "1.80"),
        ("6100", "Payment fees (paypal)", "0.70", "0.00"),
        ("1210", "Payment fees (paypal)", "0.00", "0.70"),
        ("6100", "Fee refunds (shopify_payments)", "0.00", "0.30"),
        ("1200", "Fee refunds (shopify_payments)", "0.30", "0.00"),
        ("1010", "Payouts to the bank", "300.00", "0.00"),
        ("1200", "Payouts to the bank", "0.00", "300.00"),
    ])                                                                  # receivables: due 144 − 42 = paid 102
    assert totals(lines) == (Decimal("498.80"), Decimal("498.80"))


def test_a_day_with_every_kind_of_money_in_a_shop_whose_prices_exclude_tax(us):
    day = dt.date(2025, 6, 10)
    at = local(NEW_YORK, 2025, 6, 10, 10, 0)
    taxes = [("State", 0.04, "3.60"), ("City", 0.045, "4.05")]          # on 100 − 10 = 90.00
    sold = order(at, taxes_included=False, total="138.05", tip="5.00", lines=[
        line("50.00", 2, taxes, discount="10.00"), line("25.00", 1, gift_card=True),
    ], shipping_lines=[shipping("10.00", [("State", 0.04, "0.40")])], transactions=[
        transaction("SALE", "100.00", at, fee="3.20"),
        transaction("SALE", "18.05", at, gateway="paypal", fee="0.90"),
        transaction("SALE", "20.00", at, gateway="gift_card"),
    ])                                                                  # 90 + 25 + 10 + 8.05 + 5 = 138.05
    earlier = local(NEW_YORK, 2025, 6, 2, 9, 0)
    shirt = line("40.00", 1, [("State", 0.04, "1.60"), ("City", 0.045, "1.80")])
    returned = order(earlier, taxes_included=False, total="43.40", lines=[shirt],
                     transactions=[transaction("SALE", "43.40", earlier)], refunds=[
                         refund(local(NEW_YORK, 2025, 6, 10, 16, 0), lines=[(shirt, 1, "40.00", "3.40")],
                                transactions=[transaction("REFUND", "43.40", local(NEW_YORK, 2025, 6, 10, 16, 0),
                                                          fee="-0.50")])])
    test_order = order(at, total="999.00", test=True, lines=[line("999.00", 1)],
                       transactions=[transaction("SALE", "999.00", at)])
    imported(us, sold, returned, test_order)
    ShopifyPayoutFactory(merchant=us, issued_at=dt.datetime(2025, 6, 10, 13, 0, tzinfo=dt.UTC), net="250.00")

    post_day(merchant=us, day=day)

    lines = journal_lines(us, day)
    assert lines == sorted([
        ("4000", "Sales 8.5%", "0.00", "100.00"),
        ("2100", "Gift cards sold", "0.00", "25.00"),
        ("4100", "Shipping income", "0.00", "10.00"),
        ("4200", "Discounts", "10.00", "0.00"),
        ("4300", "Tips", "0.00", "5.00"),
        ("2200", "Tax State 4%", "0.00", "4.00"),                       # 3.60 + 0.40
        ("2200", "Tax City 4.5%", "0.00", "4.05"),
        ("4400", "Refunds", "40.00", "0.00"),
        ("2200", "Tax refunded State 4%", "1.60", "0.00"),              # 3.40 split 1.60 : 1.80
        ("2200", "Tax refunded City 4.5%", "1.80", "0.00"),
        ("1200", "Payments received (shopify_payments)", "100.00", "0.00"),
        ("1210", "Payments received (paypal)", "18.05", "0.00"),
        ("2100", "Gift card redemptions", "20.00", "0.00"),
        ("1200", "Payments refunded (shopify_payments)", "0.00", "43.40"),
        ("6100", "Payment fees (shopify_payments)", "3.20", "0.00"),
        ("1200", "Payment fees (shopify_payments)", "0.00", "3.20"),
        ("6100", "Payment fees (paypal)", "0.90", "0.00"),
        ("1210", "Payment fees (paypal)", "0.00", "0.90"),
        ("6100", "Fee refunds (shopify_payments)", "0.00", "0.50"),
        ("1200", "Fee refunds (shopify_payments)", "0.50", "0.00"),
        ("1010", "Payouts to the bank", "250.00", "0.00"),
        ("1200", "Payouts to the bank", "0.00", "250.00"),
    ])                                                                  # receivables: due 138.05 − 43.40 = paid 94.65
    assert totals(lines) == (Decimal("446.05"), Decimal("446.05"))


def test_orders_count_on_their_local_day_to_the_second(eu):
    last = local(PARIS, 2025, 3, 11, 23, 59, 59)
    first = local(PARIS, 2025, 3, 12, 0, 0, 0)
    for at, price in ((last, "12.00"), (first, "24.00")):
        imported(eu, order(at, total=price, lines=[line(price, 1, [(*VAT, str(Decimal(price) / 6))])],
                           transactions=[transaction("SALE", price, at)]))

    post_day(merchant=eu, day=DAY)
    post_day(merchant=eu, day=DAY + dt.timedelta(days=1))

    assert ("4000", "Sales 20%", "0.00", "10.00") in journal_lines(eu, DAY)                 # 12 / 1.2
    assert ("4000", "Sales 20%", "0.00", "20.00") in journal_lines(eu, DAY + dt.timedelta(days=1))


@pytest.mark.parametrize(("zone", "day", "hours", "edges"), [
    (PARIS, dt.date(2025, 3, 30), 23, ((0, 30), (23, 30))),
    (PARIS, dt.date(2025, 10, 26), 25, ((0, 30), (23, 30))),
    (NEW_YORK, dt.date(2025, 3, 9), 23, ((0, 30), (23, 30))),
    (NEW_YORK, dt.date(2025, 11, 2), 25, ((0, 30), (23, 30))),
])
def test_a_change_of_clocks_day_has_its_23_or_25_hours_and_no_more(zone, day, hours, edges):
    merchant = MerchantFactory(time_zone=zone)
    daily_books(merchant)
    start, end = day_bounds(merchant, day)
    times = [local(zone, day.year, day.month, day.day, h, m) for h, m in edges]
    outside = [start - dt.timedelta(seconds=1), end]
    for at in times + [t.isoformat().replace("+00:00", "Z") for t in outside]:
        imported(merchant, order(at, total="12.00", lines=[line("12.00", 1, [(*VAT, "2.00")])],
                                 transactions=[transaction("SALE", "12.00", at)]))

    post_day(merchant=merchant, day=day)

    assert end - start == dt.timedelta(hours=hours)
    assert ("4000", "Sales 20%", "0.00", "20.00") in journal_lines(merchant, day)          # the two inside only


def test_a_gift_card_sold_one_day_and_redeemed_another(eu):
    sold_at, spent_at = local(PARIS, 2025, 3, 11, 10, 0), local(PARIS, 2025, 3, 12, 10, 0)
    imported(eu, order(sold_at, total="50.00", lines=[line("50.00", 1, gift_card=True)],
                       transactions=[transaction("SALE", "50.00", sold_at)]),
             order(spent_at, total="30.00", lines=[line("30.00", 1, [(*VAT, "5.00")])],
                   transactions=[transaction("SALE", "30.00", spent_at, gateway="gift_card")]))

    post_day(merchant=eu, day=DAY)
    post_day(merchant=eu, day=DAY + dt.timedelta(days=1))

    assert journal_lines(eu, DAY) == sorted([
        ("2100", "Gift cards sold", "0.00", "50.00"),
        ("1200", "Payments received (shopify_payments)", "50.00", "0.00")])
    assert journal_lines(eu, DAY + dt.timedelta(days=1)) == sorted([
        ("4000", "Sales 20%", "0.00", "25.00"), ("2200", "Tax VAT 20%", "0.00", "5.00"),
        ("2100", "Gift card redemptions", "30.00", "0.00")])


def test_an_unpaid_order_is_a_receivable_until_it_is_paid_two_days_later(eu):
    placed, paid = local(PARIS, 2025, 3, 11, 10, 0), local(PARIS, 2025, 3, 13, 9, 0)
    imported(eu, order(placed, total="60.00", lines=[line("60.00", 1, [(*VAT, "10.00")])],
                       transactions=[transaction("SALE", "60.00", paid, fee="1.00")]))

    for offset in range(3):
        post_day(merchant=eu, day=DAY + dt.timedelta(days=offset))

    assert journal_lines(eu, DAY) == sorted([
        ("4000", "Sales 20%", "0.00", "50.00"), ("2200", "Tax VAT 20%", "0.00", "10.00"),
        ("1100", "Receivables: sales not yet paid", "60.00", "0.00")])
    assert not JournalEntry.objects.filter(posting_date=DAY + dt.timedelta(days=1)).exists()
    assert journal_lines(eu, DAY + dt.timedelta(days=2)) == sorted([
        ("1200", "Payments received (shopify_payments)", "60.00", "0.00"),
        ("1100", "Receivables: payments of other days' sales", "0.00", "60.00"),
        ("6100", "Payment fees (shopify_payments)", "1.00", "0.00"),
        ("1200", "Payment fees (shopify_payments)", "0.00", "1.00")])


def test_a_partial_refund_counts_on_the_day_it_was_made(eu):
    placed, refunded = local(PARIS, 2025, 3, 11, 10, 0), local(PARIS, 2025, 3, 13, 15, 0)
    shirts = line("30.00", 2, [(*VAT, "10.00")])
    imported(eu, order(placed, total="60.00", lines=[shirts], transactions=[transaction("SALE", "60.00", placed)],
                       refunds=[refund(refunded, lines=[(shirts, 1, "30.00", "5.00")],
                                       transactions=[transaction("REFUND", "30.00", refunded)])]))

    post_day(merchant=eu, day=DAY)
    post_day(merchant=eu, day=DAY + dt.timedelta(days=2))

    assert ("4000", "Sales 20%", "0.00", "50.00") in journal_lines(eu, DAY)
    assert journal_lines(eu, DAY + dt.timedelta(days=2)) == sorted([
        ("4400", "Refunds", "25.00", "0.00"), ("2200", "Tax refunded VAT 20%", "5.00", "0.00"),
        ("1200", "Payments refunded (shopify_payments)", "0.00", "30.00")])


def test_a_missing_gift_card_mapping_fails_the_day_names_the_orders_and_posts_nothing():
    merchant = MerchantFactory(code="DEMO-EU", time_zone=PARIS)
    daily_books(merchant, without=(("gift_cards_sold", ""),))
    at = local(PARIS, 2025, 3, 11, 10, 0)
    card = order(at, total="50.00", name="#1042", lines=[line("50.00", 1, gift_card=True)],
                 transactions=[transaction("SALE", "50.00", at)])
    imported(merchant, card, order(at, total="12.00", lines=[line("12.00", 1, [(*VAT, "2.00")])]))

    with pytest.raises(DayFailed) as failed:
        post_day(merchant=merchant, day=DAY)

    assert str(failed.value) == ("no account is mapped for sold gift cards; map it under Account mappings, or press "
                                 "Set up accounts on the shop card")
    assert [(r.object, r.shopify_id, r.reason) for r in failed.value.records] == [
        ("order", card["id"], "#1042: no account is mapped for sold gift cards")]
    assert not JournalEntry.objects.exists()


def test_an_account_deactivated_after_it_was_mapped_fails_the_day(eu):
    at = local(PARIS, 2025, 3, 11, 10, 0)
    imported(eu, order(at, total="12.00", lines=[line("12.00", 1, [(*VAT, "2.00")])],
                       transactions=[transaction("SALE", "12.00", at)]))
    Account.objects.filter(merchant=eu, code="4000").update(is_active=False)

    with pytest.raises(DayFailed, match="account 4000 Sales is inactive; activate it or pick an active account"):
        post_day(merchant=eu, day=DAY)
    assert not JournalEntry.objects.exists()


def test_a_new_gateways_clearing_account_is_created_where_the_shop_allows_it(eu):
    eu.auto_create_accounts, eu.auto_create_code_from, eu.auto_create_code_to = True, "9000", "9099"
    eu.save()
    at = local(PARIS, 2025, 3, 11, 10, 0)
    imported(eu, order(at, total="12.00", lines=[line("12.00", 1, [(*VAT, "2.00")])],
                       transactions=[transaction("SALE", "12.00", at, gateway="klarna")]))
    notes = []

    post_day(merchant=eu, day=DAY, log=notes.append)

    created = Account.objects.get(merchant=eu, code="9000")
    assert (created.name, created.type, created.is_auto_created) == ("Payment clearing (klarna)", "asset", True)
    assert AccountMapping.objects.filter(merchant=eu, kind="payment_clearing", key="klarna", account=created).exists()
    assert ("9000", "Payments received (klarna)", "12.00", "0.00") in journal_lines(eu, DAY)
    assert notes == ["created account 9000 Payment clearing (klarna) for payment clearing (klarna)"]


def test_revenue_is_never_created_automatically():
    merchant = MerchantFactory(time_zone=PARIS, auto_create_accounts=True, auto_create_code_from="9000",
                               auto_create_code_to="9099")
    daily_books(merchant, without=(("sales", ""),))
    at = local(PARIS, 2025, 3, 11, 10, 0)
    imported(merchant, order(at, total="12.00", lines=[line("12.00", 1, [(*VAT, "2.00")])]))

    with pytest.raises(DayFailed, match="no account is mapped for sales"):
        post_day(merchant=merchant, day=DAY)
    assert not Account.objects.filter(merchant=merchant, code="9000").exists()


def test_many_lines_of_prices_with_tax_leave_no_rounding(eu):
    at = local(PARIS, 2025, 3, 11, 10, 0)
    # 200 lines of 9.99 at 20%: Shopify rounds each line's VAT (1.665) to 1.67; sales are what is left.
    imported(eu, order(at, total="1998.00", lines=[line("9.99", 1, [(*VAT, "1.67")]) for _ in range(200)],
                       transactions=[transaction("SALE", "1998.00", at)]))

    post_day(merchant=eu, day=DAY)

    assert journal_lines(eu, DAY) == sorted([
        ("4000", "Sales 20%", "0.00", "1664.00"), ("2200", "Tax VAT 20%", "0.00", "334.00"),   # 200 × 8.32, 1.67
        ("1200", "Payments received (shopify_payments)", "1998.00", "0.00")])


def test_what_rounding_each_line_once_leaves_goes_to_rounding(eu):
    at = local(PARIS, 2025, 3, 11, 10, 0)
    # A: 10.00 at 20%, 0.10 off: VAT 9.90 × 0.2 / 1.2 = 1.65; discount 0.10 / 1.2 = 0.0833333;
    #    sales 10 − 0.10 − 1.65 + 0.0833333 = 8.3333333 → 8.33.
    # B: 10.00 at 5.5%, 0.10 off: VAT 9.90 × 0.055 / 1.055 = 0.5161 → 0.52; discount 0.10 / 1.055 = 0.0947867;
    #    sales 10 − 0.10 − 0.52 + 0.0947867 = 9.4747867 → 9.47.
    # Discounts 0.0833333 + 0.0947867 = 0.1781200 → 0.18. Credits 8.33 + 9.47 + 1.65 + 0.52 = 19.97;
    # debits 0.18 + 19.80 = 19.98: a credit of 0.01 to rounding.
    imported(eu, order(at, total="19.80", lines=[line("10.00", 1, [(*VAT, "1.65")], discount="0.10"),
                                                 line("10.00", 1, [("VAT", 0.055, "0.52")], discount="0.10")],
                       transactions=[transaction("SALE", "19.80", at)]))

    post_day(merchant=eu, day=DAY)

    assert journal_lines(eu, DAY) == sorted([
        ("4000", "Sales 20%", "0.00", "8.33"), ("4000", "Sales 5.5%", "0.00", "9.47"),
        ("2200", "Tax VAT 20%", "0.00", "1.65"), ("2200", "Tax VAT 5.5%", "0.00", "0.52"),
        ("4200", "Discounts", "0.18", "0.00"), ("1200", "Payments received (shopify_payments)", "19.80", "0.00"),
        ("6900", "Rounding", "0.00", "0.01")])


def test_a_day_is_posted_once(eu):
    at = local(PARIS, 2025, 3, 11, 10, 0)
    imported(eu, order(at, total="12.00", lines=[line("12.00", 1, [(*VAT, "2.00")])],
                       transactions=[transaction("SALE", "12.00", at)]))
    post_day(merchant=eu, day=DAY)

    from connectors.ledger.errors import JournalAlreadyPosted
    with pytest.raises(JournalAlreadyPosted):
        post_day(merchant=eu, day=DAY)
    assert JournalEntry.objects.count() == 1
