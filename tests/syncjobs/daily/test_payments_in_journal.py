"""Shopify Payments' own movements in the daily journal (issue 28), worked out by hand.

The chart (tests.factories.ledger.DAILY_BOOKS): 1010 bank, 1200 Shopify Payments clearing, 1300
reserve, 6100 payment fees, 6200 chargebacks, 6210 chargeback fees, 6300 payment adjustments.
A balance transaction's net is its amount less its fee; it moves clearing by its net.
"""
import datetime as dt
from decimal import Decimal

import pytest

from connectors.ledger.models import AccountMapping, Customer, CustomerLedgerEntry, JournalEntry, JournalLine
from connectors.shopify.models import ShopifyBalanceTransaction, ShopifyOrder, ShopifyPayout
from syncjobs.daily.journal import DayFailed, post_day
from syncjobs.daily.links import sources_of_journal
from syncjobs.daily.models import DailySyncDay, DayStatus, PostedBalanceTransaction, PostedPayout, PostedTransaction
from tests.factories.ledger import daily_books
from tests.factories.merchants import MerchantFactory
from tests.factories.order_payloads import imported, line, local, order, transaction
from tests.factories.shopify import ShopifyPayoutFactory

pytestmark = pytest.mark.django_db
PARIS = "Europe/Paris"
VAT = ("VAT", 0.2)
DAY = dt.date(2025, 3, 11)
_numbers = iter(range(1, 10_000))


@pytest.fixture
def eu():
    merchant = MerchantFactory(code="DEMO-EU", time_zone=PARIS, shop_currency="EUR",
                               daily_sync_start_date=dt.date(2025, 3, 1))
    daily_books(merchant)
    return merchant


def moved(merchant, kind: str, amount: str, at: str, *, fee: str = "0", payout: str = "", source_id: str = "",
          order_transaction: str = "") -> ShopifyBalanceTransaction:
    """A balance transaction as 30105 imports it."""
    amount_, fee_ = Decimal(amount), Decimal(fee)
    return ShopifyBalanceTransaction.objects.create(
        merchant=merchant, shopify_gid=f"gid://shopify/ShopifyPaymentsBalanceTransaction/{next(_numbers)}",
        type=kind, transaction_date=dt.datetime.fromisoformat(at.replace("Z", "+00:00")), amount=amount_, fee=fee_,
        net=amount_ - fee_, currency="EUR", payout_gid=payout, source_order_transaction_id=order_transaction,
        **({"source_id": source_id} if source_id else {}))


def posted(merchant, day) -> list[tuple[str, str, str, str]]:
    journal = JournalEntry.objects.get(merchant=merchant, posting_date=day)
    return sorted((line.account.code, line.description, f"{line.debit}", f"{line.credit}")
                  for line in journal.lines.select_related("account"))


def balance(merchant, code: str, *, upto=None) -> Decimal:
    lines = JournalLine.objects.filter(journal__merchant=merchant, account__code=code)
    if upto:
        lines = lines.filter(posting_date__lte=upto)
    return sum((line.debit - line.credit for line in lines), Decimal("0"))


def post(merchant, day):
    result = post_day(merchant=merchant, day=day)
    DailySyncDay.objects.update_or_create(merchant=merchant, day=day, defaults={
        "status": DayStatus.SYNCED, "journal_no": result.journal.number if result.journal else ""})
    return result


def test_a_chargeback_and_its_fee_leave_clearing_on_the_day_the_bank_opens_the_dispute(eu):
    at = local(PARIS, 2025, 3, 11, 10, 0)
    moved(eu, "DISPUTE_WITHDRAWAL", "-50.00", at)             # net −50.00
    moved(eu, "CHARGEBACK_FEE", "0.00", at, fee="15.00")      # net 0 − 15.00 = −15.00

    post(eu, DAY)

    assert posted(eu, DAY) == sorted([
        ("6200", "Chargebacks: disputed payments withdrawn", "50.00", "0.00"),
        ("1200", "Chargebacks: disputed payments withdrawn", "0.00", "50.00"),
        ("6210", "Chargeback fees", "15.00", "0.00"),
        ("1200", "Chargeback fees", "0.00", "15.00"),
    ])
    assert PostedBalanceTransaction.objects.count() == 2


def test_a_journal_links_the_shopify_payments_movements_it_posted(eu, admin_client):
    at = local(PARIS, 2025, 3, 11, 10, 0)
    moves = {moved(eu, "DISPUTE_WITHDRAWAL", "-50.00", at).pk, moved(eu, "CHARGEBACK_FEE", "0.00", at, fee="15.00").pk}
    post(eu, DAY)

    links = {link.text: link.url for link in sources_of_journal(JournalEntry.objects.get())}

    page = admin_client.get(links["2 Shopify Payments movements"])
    assert page.status_code == 200 and {row.pk for row in page.context["cl"].result_list} == moves


def test_a_dispute_won_later_gives_the_amount_and_the_fee_back_on_the_day_it_is_won(eu):
    moved(eu, "DISPUTE_WITHDRAWAL", "-50.00", local(PARIS, 2025, 3, 11, 10, 0))
    moved(eu, "CHARGEBACK_FEE", "0.00", local(PARIS, 2025, 3, 11, 10, 0), fee="15.00")
    won = dt.date(2025, 3, 14)
    moved(eu, "DISPUTE_REVERSAL", "50.00", local(PARIS, 2025, 3, 14, 9, 30))                # net +50.00
    moved(eu, "CHARGEBACK_FEE_REFUND", "0.00", local(PARIS, 2025, 3, 14, 9, 30), fee="-15.00")  # net +15.00

    for day in (DAY, dt.date(2025, 3, 12), dt.date(2025, 3, 13), won):
        post(eu, day)

    assert posted(eu, won) == sorted([
        ("1200", "Chargebacks: disputes won, paid back", "50.00", "0.00"),
        ("6200", "Chargebacks: disputes won, paid back", "0.00", "50.00"),
        ("1200", "Chargeback fees refunded", "15.00", "0.00"),
        ("6210", "Chargeback fees refunded", "0.00", "15.00"),
    ])
    # Won: neither the dispute nor its fee costs anything in the end; clearing is back where it was.
    assert balance(eu, "6200") == balance(eu, "6210") == balance(eu, "1200") == Decimal("0.00")


def test_a_reserve_held_from_one_payout_and_released_in_the_next_passes_through_the_reserve_account(eu):
    sale_at = local(PARIS, 2025, 3, 11, 9, 0)
    imported(eu, order(sale_at, total="100.00", lines=[line("100.00", 1, [(*VAT, "16.67")])],
                       transactions=[transaction("SALE", "100.00", sale_at, fee="3.00")]))
    moved(eu, "RESERVED_FUNDS_WITHDRAWAL", "-30.00", local(PARIS, 2025, 3, 11, 18, 0))
    moved(eu, "RESERVED_FUNDS_REVERSAL", "30.00", local(PARIS, 2025, 3, 12, 18, 0))
    # The payouts: 3/11 holds the sale (97.00 net) less the reserve (30.00) = 67.00; 3/12 the release.
    ShopifyPayoutFactory(merchant=eu, issued_at=dt.datetime(2025, 3, 12, 8, tzinfo=dt.UTC), net=Decimal("67.00"))
    ShopifyPayoutFactory(merchant=eu, issued_at=dt.datetime(2025, 3, 13, 8, tzinfo=dt.UTC), net=Decimal("30.00"))

    for day in (DAY, dt.date(2025, 3, 12), dt.date(2025, 3, 13)):
        post(eu, day)

    assert ("1300", "Shopify Payments reserve held", "30.00", "0.00") in posted(eu, DAY)
    assert ("1200", "Shopify Payments reserve released", "30.00", "0.00") in posted(eu, dt.date(2025, 3, 12))
    assert balance(eu, "1300", upto=DAY) == Decimal("30.00")          # held on the 11th
    assert balance(eu, "1300") == Decimal("0.00")                     # released on the 12th
    # Clearing: +100 sale − 3 fee − 30 held − 67 payout + 30 released − 30 payout = 0.
    assert balance(eu, "1200") == Decimal("0.00")
    assert balance(eu, "1010") == Decimal("97.00")                    # all of the sale but its fee, in the bank


def test_an_adjustment_and_a_type_of_its_own_each_post_against_clearing_and_name_what_they_are(eu):
    at = local(PARIS, 2025, 3, 11, 15, 0)
    moved(eu, "ADJUSTMENT", "7.50", at)
    moved(eu, "SHIPPING_LABEL", "-12.00", at)

    post(eu, DAY)

    assert posted(eu, DAY) == sorted([
        ("1200", "Shopify Payments adjustments", "7.50", "0.00"),
        ("6300", "Shopify Payments adjustments", "0.00", "7.50"),
        ("6300", "Shopify other adjustments (SHIPPING_LABEL)", "12.00", "0.00"),
        ("1200", "Shopify other adjustments (SHIPPING_LABEL)", "0.00", "12.00"),
    ])
    assert JournalLine.objects.get(description="Shopify other adjustments (SHIPPING_LABEL)", debit=12).key \
        == "SHIPPING_LABEL"


def test_a_type_with_no_account_fails_the_day_naming_it_and_posts_nothing(eu):
    AccountMapping.objects.filter(merchant=eu, kind="other_adjustments").delete()
    moved(eu, "SHIPPING_LABEL", "-12.00", local(PARIS, 2025, 3, 11, 15, 0))

    with pytest.raises(DayFailed, match=r"Shopify other adjustments \(SHIPPING_LABEL\)"):
        post_day(merchant=eu, day=DAY)

    assert not JournalEntry.objects.exists() and not PostedBalanceTransaction.objects.exists()


def test_a_movement_read_after_its_day_was_posted_goes_into_the_next_day_posted_once(eu):
    post(eu, DAY)                                              # nothing yet
    moved(eu, "ADJUSTMENT", "-4.00", local(PARIS, 2025, 3, 11, 15, 0))
    later = dt.date(2025, 3, 12)

    post(eu, later)
    post(eu, dt.date(2025, 3, 13))

    assert posted(eu, later) == sorted([
        ("6300", "Shopify Payments adjustments, of days already posted", "4.00", "0.00"),
        ("1200", "Shopify Payments adjustments, of days already posted", "0.00", "4.00"),
    ])
    assert not JournalEntry.objects.filter(posting_date=dt.date(2025, 3, 13)).exists()


def test_charges_refunds_transfers_and_a_failed_payout_coming_back_have_no_line_of_their_own(eu):
    at = local(PARIS, 2025, 3, 11, 15, 0)
    for kind in ("CHARGE", "REFUND", "TRANSFER", "TRANSFER_FAILURE"):
        moved(eu, kind, "10.00", at)

    post(eu, DAY)

    assert not JournalEntry.objects.exists() and not PostedBalanceTransaction.objects.exists()


def test_each_shopify_payments_transaction_posted_is_recorded_with_what_it_moved_in_clearing(eu):
    at = local(PARIS, 2025, 3, 11, 9, 0)
    sale = transaction("SALE", "100.00", at, fee="3.00")
    paypal = transaction("SALE", "20.00", at, gateway="paypal")
    imported(eu, order(at, total="120.00", lines=[line("120.00", 1, [(*VAT, "20.00")])],
                       transactions=[sale, paypal]))

    post(eu, DAY)

    # Only Shopify Payments' own: PayPal pays out elsewhere.
    assert list(PostedTransaction.objects.values_list("transaction_gid", "clearing")) == [
        (sale["id"], Decimal("97.00"))]


def test_a_payout_read_failed_before_its_day_was_posted_is_posted_and_reversed_in_the_same_journal(eu):
    payout = ShopifyPayoutFactory(merchant=eu, issued_at=dt.datetime(2025, 3, 11, 8, tzinfo=dt.UTC),
                                  net=Decimal("67.00"), status="FAILED")

    post(eu, DAY)

    assert posted(eu, DAY) == sorted([
        ("1010", "Payouts to the bank", "67.00", "0.00"),
        ("1200", "Payouts to the bank", "0.00", "67.00"),
        ("1010", "Payouts that failed, reversed", "0.00", "67.00"),
        ("1200", "Payouts that failed, reversed", "67.00", "0.00"),
    ])
    row = PostedPayout.objects.get(payout=payout)
    assert row.journal_no == row.reversed_in_no != ""
    assert ShopifyPayout.objects.get().status == "FAILED"


def test_a_documents_shop_posts_the_days_payments_against_receivables_and_enters_each_orders_payment(eu):
    eu.posting_mode, eu.default_customer_no = "documents", "WEB"
    eu.save()
    Customer.objects.create(merchant=eu, number="WEB", name="Web shop customers")
    at = local(PARIS, 2025, 3, 11, 9, 0)
    paid = order(at, total="120.00", lines=[line("120.00", 1, [(*VAT, "20.00")])],
                 transactions=[transaction("SALE", "100.00", at, fee="3.00"),
                               transaction("SALE", "20.00", at, gateway="paypal")])
    imported(eu, paid)
    moved(eu, "CHARGEBACK_FEE", "0.00", at, fee="15.00")

    post(eu, DAY)

    # The invoice posts the sale (Dr receivables, Cr sales and tax); the day posts only the money.
    assert posted(eu, DAY) == sorted([
        ("1200", "Payments received (shopify_payments)", "100.00", "0.00"),
        ("1210", "Payments received (paypal)", "20.00", "0.00"),
        ("6100", "Payment fees (shopify_payments)", "3.00", "0.00"),
        ("1200", "Payment fees (shopify_payments)", "0.00", "3.00"),
        ("1100", "Receivables: payments received", "0.00", "120.00"),
        ("6210", "Chargeback fees", "15.00", "0.00"),
        ("1200", "Chargeback fees", "0.00", "15.00"),
    ])
    journal = JournalEntry.objects.get()
    assert journal.kind == "daily_payments" and journal.description == f"Daily payments {DAY} (DEMO-EU)"
    entry = CustomerLedgerEntry.objects.get()
    assert (entry.customer.number, entry.document_type, entry.amount, entry.open) == (
        "WEB", "payment", Decimal("-120.00"), True)          # open until the order's invoice is posted
    assert not ShopifyOrder.objects.get().processed          # documents make it processed, not the day


def test_a_journal_names_the_payouts_it_posted_and_reversed_with_a_link_to_their_reconciliation(eu, admin_client):
    payout = ShopifyPayoutFactory(merchant=eu, issued_at=dt.datetime(2025, 3, 11, 8, tzinfo=dt.UTC),
                                  net=Decimal("67.00"), status="FAILED", legacy_id=4242)
    post(eu, DAY)

    links = {link.text: link.url for link in sources_of_journal(JournalEntry.objects.get())}

    assert set(links) == {f"orders of {DAY}", "1 payout posted", "1 payout reversed"}
    page = admin_client.get(links["1 payout posted"])
    assert page.status_code == 200 and page.context["cl"].result_count == 1
    assert page.context["cl"].result_list[0].pk == payout.pk


def test_where_the_shop_allows_a_movements_missing_account_is_created_and_logged(eu):
    AccountMapping.objects.filter(merchant=eu, kind__in=["reserves", "other_adjustments"]).delete()
    eu.auto_create_accounts, eu.auto_create_code_from, eu.auto_create_code_to = True, "9000", "9099"
    eu.save()
    moved(eu, "RESERVED_FUNDS_WITHDRAWAL", "-30.00", local(PARIS, 2025, 3, 11, 18, 0))
    moved(eu, "SHIPPING_LABEL", "-12.00", local(PARIS, 2025, 3, 11, 18, 0))
    said = []

    post_day(merchant=eu, day=DAY, log=said.append)

    assert sorted(said) == ["created account 9000 Shopify other adjustments (SHIPPING_LABEL) for Shopify other "
                            "adjustments (SHIPPING_LABEL)",
                            "created account 9001 Shopify Payments reserve for Shopify Payments reserve"]
    assert ("9001", "Shopify Payments reserve held", "30.00", "0.00") in posted(eu, DAY)


def test_the_connectors_index_of_the_accounts_movements_leaves_out_no_type_with_a_line_of_its_own():
    from connectors.shopify.models import ORDER_AND_PAYOUT_MOVEMENTS
    from syncjobs.daily.balance_moves import NOT_OWN_LINE_TYPES

    assert set(ORDER_AND_PAYOUT_MOVEMENTS) <= set(NOT_OWN_LINE_TYPES)


def test_the_days_movements_are_read_through_the_index_of_the_accounts_movements(eu):
    """Charges and refunds are most of a shop's balance transactions: the daily journal reads only
    the account's own movements, through their index, not every charge since the start."""
    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("SQLite matches a partial index only against literal values, and Django binds them")

    from connectors.shopify.models import ORDER_AND_PAYOUT_MOVEMENTS
    from syncjobs.daily.balance_moves import NOT_OWN_LINE_TYPES

    at = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    ShopifyBalanceTransaction.objects.bulk_create(ShopifyBalanceTransaction(
        merchant=eu, shopify_gid=f"gid://shopify/ShopifyPaymentsBalanceTransaction/charge-{n}", type="CHARGE",
        transaction_date=at + dt.timedelta(minutes=n), amount=10, fee=0, net=10, currency="EUR")
        for n in range(2000))
    moved(eu, "ADJUSTMENT", "7.50", "2025-03-02T10:00:00Z")
    query = (ShopifyBalanceTransaction.objects.filter(merchant=eu, transaction_date__gte=at)
             .exclude(type__in=ORDER_AND_PAYOUT_MOVEMENTS).exclude(type__in=NOT_OWN_LINE_TYPES).order_by())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        sql, params = query.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())

    assert "shopify_balance_tx_account" in plan, plan
