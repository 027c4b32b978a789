"""Customer payments in the built-in ledger (issue 28, documents-mode shops): what a Shopify order's
transactions brought in is a payment entry on its customer, applied to the order's invoice to the
cent, whichever is entered first; what they paid back is a refund entry, applied to its credit memo;
orders are never mixed; all or none, with plain refusals; a fixed number of queries."""
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from connectors.ledger.customer_payments import PaymentRefused
from connectors.ledger.errors import LedgerError
from connectors.ledger.memory_target import InMemoryTarget
from connectors.ledger.models import CustomerLedgerEntry, PostedSalesInvoice
from connectors.ledger.models.sales import CustomerLedgerApplication, WaitingCustomerPayment
from connectors.ledger.records import CustomerPaymentData, DocumentType, LineType, SalesLineData, TaxShare
from connectors.ledger.target import target_for
from tests.connectors.ledger.sales_books import VAT, documents_shop, gid, vat_order
from tests.factories.ledger import CustomerFactory
from tests.factories.sales import CustomerLedgerEntryFactory, PostedSalesInvoiceFactory
from tests.factories.users import merchant_user
from tests.fixtures.migrations import migrate, migrate_to_latest

pytestmark = pytest.mark.django_db

MARCH_12 = date(2025, 3, 12)
# A refund of order #1001 as a credit memo: 1 teapot back (60.00 incl. VAT 10.00) and shipping (6.00
# incl. VAT 1.00): 66.00.
REFUNDED = (SalesLineData(LineType.ITEM, "I00001", "Teapot", D("1"), D("60.00"),
                          taxes=(TaxShare(VAT, D("0.2"), D("10.00")),)),
            SalesLineData(LineType.ACCOUNT, "", "Shipping refunded", D("1"), D("6.00"),
                          taxes=(TaxShare(VAT, D("0.2"), D("1.00")),), money_kind="refunds"))


def make(merchant, *drafts) -> list[str]:
    outcomes = target_for(merchant).create_sales_documents(merchant, list(drafts))
    assert [o.error for o in outcomes] == [""] * len(drafts)
    return [o.document.number for o in outcomes]


def post(merchant, type: str, *numbers: str) -> None:
    results = target_for(merchant).post_sales_documents(merchant, type, list(numbers))
    assert [r.error for r in results] == [""] * len(numbers)


def invoiced(merchant, order: int = 1001, **changes) -> None:
    """Order `order` (vat_order: the customer owes 119.00) made, shipped and invoiced."""
    [number] = make(merchant, vat_order(shopify_order_id=gid(order), shopify_order_no=f"#{order}",
                                        external_document_no=f"#{order}", **changes))
    post(merchant, DocumentType.ORDER, number)


def payment(order: int = 1001, amount: str = "119.00", journal: str = "901", day: date = MARCH_12,
            **changes) -> CustomerPaymentData:
    return CustomerPaymentData(**{"shopify_order_id": gid(order), "shopify_order_no": f"#{order}",
                                  "amount": D(amount), "posting_date": day, "document_no": journal,
                                  "description": f"Payment #{order}", **changes})


def pay(merchant, *payments: CustomerPaymentData) -> int:
    return target_for(merchant).apply_customer_payments(merchant, list(payments))


def entries(merchant) -> list[tuple]:
    """The customer ledger as a bookkeeper reads it, oldest first: customer, type, document no., order,
    amount, remaining amount, open."""
    return list(CustomerLedgerEntry.objects.filter(merchant=merchant).order_by("pk").values_list(
        "customer__number", "document_type", "document_no", "shopify_order_no", "amount", "remaining_amount", "open"))


def balance_is_kept(merchant) -> bool:
    """Applying moves nothing between customers: each one's open remaining amounts sum to its entries."""
    rows = CustomerLedgerEntry.objects.filter(merchant=merchant)
    customers = set(rows.values_list("customer_id", flat=True))
    return all(sum(e.amount for e in rows.filter(customer_id=c)) == sum(e.remaining_amount for e in
               rows.filter(customer_id=c)) for c in customers)


def test_an_invoice_paid_in_full_is_closed_with_its_payment():
    # given order #1001 invoiced: the customer owes 119.00
    merchant = documents_shop()
    invoiced(merchant)
    # when the day's payments journal 901 enters what the order brought in
    made = pay(merchant, payment())
    # then the invoice and the payment are both closed
    assert made == 1
    assert entries(merchant) == [
        ("C00001", "invoice", "PSI00001", "#1001", D("119.00"), D("0.00"), False),
        ("C00001", "payment", "901", "#1001", D("-119.00"), D("0.00"), False)]
    application = CustomerLedgerApplication.objects.get()
    assert (application.owed_entry.document_no, application.paid_entry.document_no, application.amount,
            application.posting_date) == ("PSI00001", "901", D("119.00"), MARCH_12)
    payment_entry = CustomerLedgerEntry.objects.get(document_type="payment")
    assert (payment_entry.description, payment_entry.currency, payment_entry.posting_date,
            payment_entry.shopify_order_id) == ("Payment #1001", "EUR", MARCH_12, gid(1001))


def test_a_payment_entered_before_the_invoice_waits_open_and_the_invoice_takes_it_when_posted():
    # given order #1001 made as a sales order, not posted yet, and its payment entered
    merchant = documents_shop()
    make(merchant, vat_order())
    pay(merchant, payment(day=date(2025, 3, 11)))
    assert entries(merchant) == [("C00001", "payment", "901", "#1001", D("-119.00"), D("-119.00"), True)]
    # when the order ships and invoices
    post(merchant, DocumentType.ORDER, "SO00001")
    # then its invoice is closed by the payment at once
    assert entries(merchant) == [
        ("C00001", "payment", "901", "#1001", D("-119.00"), D("0.00"), False),
        ("C00001", "invoice", "PSI00001", "#1001", D("119.00"), D("0.00"), False)]
    assert CustomerLedgerApplication.objects.values_list("amount", "posting_date").get() == (
        D("119.00"), date(2025, 3, 11))


def test_a_partial_payment_leaves_the_invoice_open_for_the_rest_and_a_second_one_closes_it():
    merchant = documents_shop()
    invoiced(merchant)

    pay(merchant, payment(amount="50.01"))

    assert entries(merchant) == [
        ("C00001", "invoice", "PSI00001", "#1001", D("119.00"), D("68.99"), True),
        ("C00001", "payment", "901", "#1001", D("-50.01"), D("0.00"), False)]

    pay(merchant, payment(amount="68.99", journal="902", day=date(2025, 3, 13)))

    assert entries(merchant)[0] == ("C00001", "invoice", "PSI00001", "#1001", D("119.00"), D("0.00"), False)
    assert list(CustomerLedgerApplication.objects.order_by("pk").values_list("paid_entry__document_no", "amount")) == [
        ("901", D("50.01")), ("902", D("68.99"))]


def test_a_payment_of_more_than_the_invoice_leaves_the_customer_in_credit_by_the_difference():
    merchant = documents_shop()
    invoiced(merchant)

    pay(merchant, payment(amount="120.50"))

    assert [e[4:] for e in entries(merchant)] == [(D("119.00"), D("0.00"), False), (D("-120.50"), D("-1.50"), True)]
    assert balance_is_kept(merchant)


def test_a_refund_paid_back_after_the_credit_memo_closes_it_and_the_paid_invoice_stays_closed():
    # given order #1001 invoiced and paid, then a refund of 66.00 posted as a credit memo
    merchant = documents_shop()
    invoiced(merchant)
    pay(merchant, payment())
    [memo] = make(merchant, vat_order(type=DocumentType.CREDIT_MEMO, lines=REFUNDED))
    post(merchant, DocumentType.CREDIT_MEMO, memo)
    assert entries(merchant)[2] == ("C00001", "credit_memo", "PSCM00001", "#1001", D("-66.00"), D("-66.00"), True)
    # when the day's payments journal 905 enters the money paid back
    made = pay(merchant, payment(amount="-66.00", journal="905", day=date(2025, 3, 20), description="Refund #1001"))
    # then a refund entry closes the credit memo; nothing is left open
    assert made == 1
    assert entries(merchant)[2:] == [
        ("C00001", "credit_memo", "PSCM00001", "#1001", D("-66.00"), D("0.00"), False),
        ("C00001", "refund", "905", "#1001", D("66.00"), D("0.00"), False)]
    assert not CustomerLedgerEntry.objects.filter(open=True).exists()


def test_a_refund_paid_back_before_its_credit_memo_posts_is_closed_by_the_credit_memo():
    merchant = documents_shop()
    invoiced(merchant)
    pay(merchant, payment(), payment(order=1001, amount="-66.00", journal="902"))   # refund entered first
    assert entries(merchant)[-1] == ("C00001", "refund", "902", "#1001", D("66.00"), D("66.00"), True)

    [memo] = make(merchant, vat_order(type=DocumentType.CREDIT_MEMO, lines=REFUNDED))
    post(merchant, DocumentType.CREDIT_MEMO, memo)

    assert not CustomerLedgerEntry.objects.filter(open=True).exists()
    assert CustomerLedgerApplication.objects.filter(owed_entry__document_type="refund").values_list(
        "paid_entry__document_no", "amount").get() == ("PSCM00001", D("66.00"))


def test_a_credit_memo_of_an_invoice_not_paid_yet_lowers_what_is_left_of_it():
    merchant = documents_shop()
    invoiced(merchant)
    [memo] = make(merchant, vat_order(type=DocumentType.CREDIT_MEMO, lines=REFUNDED))

    post(merchant, DocumentType.CREDIT_MEMO, memo)
    pay(merchant, payment(amount="53.00"))

    assert [e[1:2] + e[5:] for e in entries(merchant)] == [
        ("invoice", D("0.00"), False), ("credit_memo", D("0.00"), False), ("payment", D("0.00"), False)]


def test_two_orders_of_one_customer_are_never_mixed():
    # given orders #1001 and #1002 of customer C00001, both invoiced for 119.00
    merchant = documents_shop()
    invoiced(merchant, 1001)
    invoiced(merchant, 1002)
    # when #1002 alone is paid, and more than it owes
    pay(merchant, payment(order=1002, amount="130.00"))
    # then #1001 is still owed in full; #1002's overpayment stays on #1002
    assert entries(merchant) == [
        ("C00001", "invoice", "PSI00001", "#1001", D("119.00"), D("119.00"), True),
        ("C00001", "invoice", "PSI00002", "#1002", D("119.00"), D("0.00"), False),
        ("C00001", "payment", "901", "#1002", D("-130.00"), D("-11.00"), True)]
    assert balance_is_kept(merchant)


def test_orders_of_two_shops_with_the_same_gid_are_never_mixed():
    mine, theirs = documents_shop(), documents_shop()
    invoiced(mine)
    invoiced(theirs)

    pay(mine, payment())

    assert [e[5:] for e in entries(mine)] == [(D("0.00"), False), (D("0.00"), False)]
    assert [e[5:] for e in entries(theirs)] == [(D("119.00"), True)]


def test_the_payment_goes_to_the_invoices_customer_else_the_documents_else_the_one_named_else_the_shops_default():
    # given #1001 invoiced to C00002, #1002 an open order of C00003, #1003 and #1004 not in the books
    merchant = documents_shop(default_customer_no="WEB")
    for number in ("C00002", "C00003", "C00004", "WEB"):
        CustomerFactory(merchant=merchant, number=number)
    invoiced(merchant, 1001, customer="C00002")
    make(merchant, vat_order(shopify_order_id=gid(1002), shopify_order_no="#1002", customer="C00003"))
    # when
    pay(merchant, payment(1001, customer_no="C00004"), payment(1002, customer_no="C00004"),
        payment(1003, customer_no="C00004"), payment(1004))
    # then
    assert list(CustomerLedgerEntry.objects.filter(document_type="payment").order_by("shopify_order_no").values_list(
        "shopify_order_no", "customer__number")) == [
        ("#1001", "C00002"), ("#1002", "C00003"), ("#1003", "C00004"), ("#1004", "WEB")]


def test_payments_that_cannot_be_entered_are_refused_plainly_and_nothing_is_written():
    merchant = documents_shop()   # no default customer
    invoiced(merchant)
    before = entries(merchant)

    with pytest.raises(PaymentRefused) as refused:
        pay(merchant, payment(1001), payment(1005), payment(1006, customer_no="C09999"),
            payment(1001, amount="1.005", journal="902"))

    assert str(refused.value) == (
        "the payment of order #1001: 1.005 is not an amount in cents")
    with pytest.raises(PaymentRefused) as refused:
        pay(merchant, payment(1001), payment(1005), payment(1006, customer_no="C09999"))
    assert str(refused.value) == "the payment of order #1006: customer C09999 is not in the books"
    assert entries(merchant) == before
    assert not CustomerLedgerApplication.objects.exists() and not WaitingCustomerPayment.objects.exists()


def test_a_payment_of_an_order_whose_customer_is_not_known_yet_waits_and_is_entered_when_its_invoice_posts():
    merchant = documents_shop()   # no default customer, and order #1001 has no document yet
    pay(merchant, payment(1001, amount="119.00"))

    assert not CustomerLedgerEntry.objects.exists()
    assert list(WaitingCustomerPayment.objects.values_list("shopify_order_no", "amount")) == [("#1001", D("119.00"))]

    invoiced(merchant)

    assert not WaitingCustomerPayment.objects.exists()
    invoice = CustomerLedgerEntry.objects.get(document_type="invoice")
    paid = CustomerLedgerEntry.objects.get(document_type="payment")
    assert (paid.customer_id, paid.amount, paid.document_no) == (invoice.customer_id, D("-119.00"), "901")
    assert (invoice.remaining_amount, invoice.open, paid.open) == (D("0.00"), False, False)


def test_a_journal_enters_an_orders_payment_once():
    merchant = documents_shop()
    invoiced(merchant)
    pay(merchant, payment(amount="100.00"))

    with pytest.raises(PaymentRefused, match="the payment of order #1001 is already entered from journal 901"):
        pay(merchant, payment(amount="19.00"))
    with pytest.raises(PaymentRefused, match="the payment of order #1001 is given twice for journal 902"):
        pay(merchant, payment(amount="10.00", journal="902"), payment(amount="9.00", journal="902"))

    assert entries(merchant)[0][5:] == (D("19.00"), True)


def test_a_payment_of_nothing_enters_nothing():
    merchant = documents_shop()
    invoiced(merchant)

    assert pay(merchant, payment(amount="0.00")) == 0
    assert pay(merchant) == 0
    assert [e[1] for e in entries(merchant)] == ["invoice"]


def invoices_of(merchant, count: int, *, first: int) -> None:
    """`count` orders of one customer invoiced for 119.00 each, #first onwards."""
    customer = CustomerFactory(merchant=merchant, number=f"K{first}")
    PostedSalesInvoice.objects.bulk_create(
        PostedSalesInvoiceFactory.build(merchant=merchant, number=f"PSI{n:05d}", sell_to=customer, bill_to=customer,
                                        shopify_order_id=gid(n), shopify_order_no=f"#{n}")
        for n in range(first, first + count))
    CustomerLedgerEntry.objects.bulk_create(
        CustomerLedgerEntryFactory.build(merchant=merchant, customer=customer, document_no=f"PSI{n:05d}",
                                         amount=D("119.00"), remaining_amount=D("119.00"), shopify_order_id=gid(n),
                                         shopify_order_no=f"#{n}")
        for n in range(first, first + count))


def test_500_payments_take_as_many_queries_as_5():
    # given 5 invoiced orders in one shop and 500 in another
    few, many = documents_shop(), documents_shop()
    invoices_of(few, 5, first=1)
    invoices_of(many, 500, first=1)
    # when each order is paid: in part, in full, or more than it owes
    amounts = ("100.00", "119.00", "119.01")

    with CaptureQueriesContext(connection) as for_few:
        pay(few, *[payment(n, amounts[n % 3]) for n in range(1, 6)])
    with CaptureQueriesContext(connection) as for_many:
        pay(many, *[payment(n, amounts[n % 3]) for n in range(1, 501)])

    # then every invoice got its payment, to the cent
    open_invoices = CustomerLedgerEntry.objects.filter(merchant=many, document_type="invoice", open=True)
    assert open_invoices.count() == 166 and {e.remaining_amount for e in open_invoices} == {D("19.00")}
    assert CustomerLedgerEntry.objects.filter(merchant=many, document_type="payment", open=True).count() == 167
    assert balance_is_kept(many)
    # four reads and two savepoints, then one insert of entries, one of applications, one update of
    # the entries applied, each in batches of 500 rows (833 entries applied: two updates); SQLite caps
    # a statement's parameters (999), so it splits the long writes further
    assert len(for_few) - len(writes(for_few)) == len(for_many) - len(writes(for_many)) == 8
    assert len(writes(for_few)) == 3
    assert len(writes(for_many)) <= (4 if connection.vendor == "postgresql" else 16)


def writes(queries) -> list:
    return [q for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE"))]


def test_a_customer_ledger_entry_shows_what_it_is_applied_to(login):
    merchant = documents_shop()
    invoiced(merchant)
    pay(merchant, payment(amount="50.00"), payment(1002, amount="5.00", customer_no="C00001"))
    pay(merchant, payment(amount="69.00", journal="902"))
    client = login(merchant_user(merchant))
    invoice = CustomerLedgerEntry.objects.get(document_type="invoice")

    listed = client.get(reverse("admin:ledger_customerledgerentry_changelist"))
    page = client.get(reverse("admin:ledger_customerledgerentry_change", args=[invoice.pk]))

    text = listed.content.decode()
    assert listed.status_code == 200 and "Payment 901</a>: 50.00 EUR; " in text and "Payment 902</a>: 69.00 EUR" in text
    assert "Invoice PSI00001</a>: 69.00 EUR" in text
    assert page.status_code == 200 and "Payment 902</a>: 69.00 EUR" in page.content.decode()


def test_the_in_memory_target_keeps_no_customer_ledger():
    merchant = documents_shop()

    with pytest.raises(LedgerError, match="the in-memory target keeps no customer ledger entries"):
        InMemoryTarget().apply_customer_payments(merchant, [payment()])


@pytest.mark.migration_history
@pytest.mark.django_db(transaction=True)
def test_entries_posted_before_payments_existed_are_keyed_by_their_order():
    """The invoices and credit memos posted before this issue take the Shopify order of their document,
    so a payment entered later applies to them."""
    # given a database before customer payments, holding an invoice's entry
    old = migrate([("ledger", "0012_item_journal")])
    merchant = old.get_model("merchants", "Merchant").objects.create(
        code="OLD", name="Old shop", shop_domain="old.myshopify.com", time_zone="Europe/Paris", shop_currency="EUR")
    customer = old.get_model("ledger", "Customer").objects.create(merchant=merchant, number="C00001", name="Martin")
    old.get_model("ledger", "PostedSalesInvoice").objects.create(
        merchant=merchant, number="PSI00001", order_no="SO00001", sell_to=customer, bill_to=customer,
        currency="EUR", document_date=MARCH_12, posting_date=MARCH_12, amount=D("99.17"),
        amount_including_tax=D("119.00"), shopify_order_id=gid(1001), shopify_order_no="#1001")
    old.get_model("ledger", "CustomerLedgerEntry").objects.create(
        merchant=merchant, customer=customer, posting_date=MARCH_12, document_type="invoice", document_no="PSI00001",
        currency="EUR", amount=D("119.00"), remaining_amount=D("119.00"), shopify_order_no="#1001")
    try:
        # when
        new = migrate([("ledger", "0013_customer_payments")])
        # then
        entry = new.get_model("ledger", "CustomerLedgerEntry").objects.get(merchant_id=merchant.pk)
        assert entry.shopify_order_id == gid(1001)
    finally:
        migrate_to_latest()
