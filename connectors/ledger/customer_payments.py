"""Customer payments in the built-in ledger (documents-mode shops): what a Shopify order's
transactions brought in on a day becomes a payment entry in its customer's ledger (what they paid
back, a refund entry), and the open entries of one Shopify order are applied to each other, as
Business Central applies a payment to its invoice: the invoice's remaining amount falls by what was
paid, to the cent, and an entry with nothing left is closed.

Entries of one order apply to each other only within one customer: invoice ← payment and refund ←
credit memo first, then whatever is left of either side to the other (an invoice ← its credit memo,
a refund ← a payment), oldest first. An order paid before its invoice is posted keeps its payment
open until the invoice comes (sales_posting applies it then). A payment of an order the books
cannot yet name a customer for (no document, no linked customer, no default customer) waits,
outside the customer ledger, until its invoice or credit memo is posted (WaitingCustomerPayment)."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import IntegrityError, transaction

from connectors.ledger.errors import LedgerError
from connectors.ledger.locks import lock_sales_documents_of_orders, locked_open_entries_of_orders
from connectors.ledger.models import (
    Customer,
    CustomerDocumentType,
    CustomerLedgerEntry,
    PostedSalesInvoice,
    SalesDocument,
    SalesDocumentType,
)
from connectors.ledger.models.sales import CustomerLedgerApplication, WaitingCustomerPayment
from connectors.ledger.records import CENT, ZERO, CustomerPaymentData

BATCH = 500
MAX_LISTED = 5
INVOICING = (SalesDocumentType.ORDER, SalesDocumentType.INVOICE)
# Which entries apply to which first: (owed, paid) document types; None is any.
PASSES = ((CustomerDocumentType.INVOICE, CustomerDocumentType.PAYMENT),
          (CustomerDocumentType.REFUND, CustomerDocumentType.CREDIT_MEMO),
          (None, None))
DOCUMENT_NO_LENGTH = CustomerLedgerEntry._meta.get_field("document_no").max_length


class PaymentRefused(LedgerError):
    """Customer payments that cannot be entered; nothing of the call was written."""


def apply_customer_payments(merchant, payments: list[CustomerPaymentData]) -> int:
    """One payment (amount > 0) or refund (amount < 0) entry per order, on the customer of the order's
    posted invoice, else of its sales document, else `customer_no`, else the shop's default customer;
    then each order's open entries applied to each other. A payment with none of these waits for its
    order's document (WaitingCustomerPayment). All or none: PaymentRefused names every payment that
    cannot be entered. A payment of 0.00 enters nothing. Returns the number of entries made. Meant to
    run inside the transaction that posts the payments' journal; a fixed number of queries for any
    number of payments (the writes in batches of 500)."""
    _check(payments)
    payments = [payment for payment in payments if payment.amount]
    if not payments:
        return 0
    with transaction.atomic():
        lock_sales_documents_of_orders(merchant, {payment.shopify_order_id for payment in payments})
        customers = _customers_of(merchant, payments)
        _check_not_entered(merchant, payments)
        entries = [_entry(merchant, payment, *customers[payment.shopify_order_id]) for payment in payments
                   if payment.shopify_order_id in customers]
        waiting = [_waiting(merchant, payment) for payment in payments if payment.shopify_order_id not in customers]
        try:
            with transaction.atomic():
                CustomerLedgerEntry.objects.bulk_create(entries, batch_size=BATCH)
                WaitingCustomerPayment.objects.bulk_create(waiting, batch_size=BATCH)
        except IntegrityError as exc:   # ledger_one_payment_per_order_and_journal: entered meanwhile
            raise PaymentRefused(f"the payments of journal {payments[0].document_no} are already entered") from exc
        apply_open_entries(merchant, [payment.shopify_order_id for payment in payments])
    return len(entries)


def apply_open_entries(merchant, order_ids) -> int:
    """Apply the open customer ledger entries of each Shopify order (and customer) to each other;
    the number of applications made. Four queries, whatever the number of orders (the writes in
    batches); the entries locked until the transaction ends."""
    order_ids = sorted({order_id for order_id in order_ids if order_id})
    if not order_ids:
        return 0
    groups: dict[tuple[int, str], list[CustomerLedgerEntry]] = defaultdict(list)
    for entry in locked_open_entries_of_orders(merchant, order_ids):
        groups[entry.customer_id, entry.shopify_order_id].append(entry)
    applications, changed = [], {}
    for entries in groups.values():
        for made in _applied(merchant, entries):
            applications.append(made)
            changed[made.owed_entry.pk] = made.owed_entry
            changed[made.paid_entry.pk] = made.paid_entry
    if not applications:
        return 0
    for entry in changed.values():
        entry.open = entry.remaining_amount != ZERO
    CustomerLedgerApplication.objects.bulk_create(applications, batch_size=BATCH)
    CustomerLedgerEntry.objects.bulk_update(list(changed.values()), ["remaining_amount", "open"], batch_size=BATCH)
    return len(applications)


def _applied(merchant, entries: list[CustomerLedgerEntry]) -> list[CustomerLedgerApplication]:
    """The applications that close what they can of one order's open entries (oldest first), their
    remaining amounts updated in place."""
    entries = sorted(entries, key=lambda entry: (entry.posting_date, entry.pk))
    made = []
    for owed_type, paid_type in PASSES:
        owed = [e for e in entries if e.remaining_amount > ZERO and owed_type in (None, e.document_type)]
        paid = [e for e in entries if e.remaining_amount < ZERO and paid_type in (None, e.document_type)]
        while owed and paid:
            amount = min(owed[0].remaining_amount, -paid[0].remaining_amount)
            owed[0].remaining_amount -= amount
            paid[0].remaining_amount += amount
            made.append(CustomerLedgerApplication(
                merchant=merchant, owed_entry=owed[0], paid_entry=paid[0], amount=amount,
                posting_date=max(owed[0].posting_date, paid[0].posting_date)))
            if not owed[0].remaining_amount:
                owed.pop(0)
            if not paid[0].remaining_amount:
                paid.pop(0)
    return made


def _check(payments: list[CustomerPaymentData]) -> None:
    problems, seen = [], set()
    for payment in payments:
        name = _what(payment)
        if not payment.shopify_order_id:
            problems.append(f"{name} names no Shopify order")
        if not isinstance(payment.amount, Decimal) or payment.amount != payment.amount.quantize(CENT):
            problems.append(f"{name}: {payment.amount} is not an amount in cents")
        if not payment.document_no:
            problems.append(f"{name} names no journal")
        elif len(payment.document_no) > DOCUMENT_NO_LENGTH:
            problems.append(f"{name}: journal no. {payment.document_no} is longer than {DOCUMENT_NO_LENGTH}")
        key = (payment.shopify_order_id, payment.document_no)
        if key in seen:
            problems.append(f"{name} is given twice for journal {payment.document_no}")
        seen.add(key)
    _refuse(problems)


def _check_not_entered(merchant, payments: list[CustomerPaymentData]) -> None:
    """A journal pays or pays back an order once: one query."""
    entered = set(CustomerLedgerEntry.objects.filter(
        merchant=merchant, document_type__in=[CustomerDocumentType.PAYMENT, CustomerDocumentType.REFUND],
        document_no__in={payment.document_no for payment in payments},
        shopify_order_id__in={payment.shopify_order_id for payment in payments},
    ).values_list("shopify_order_id", "document_no"))
    _refuse([f"{_what(payment)} is already entered from journal {payment.document_no}" for payment in payments
             if (payment.shopify_order_id, payment.document_no) in entered])


def _customers_of(merchant, payments: list[CustomerPaymentData]) -> dict[str, tuple[int, str]]:
    """(customer id, currency) per Shopify order: its posted invoice's bill-to customer, else its sales
    document's (an order or invoice before a credit memo), else the payment's customer_no, else the
    shop's default customer. At most three queries."""
    order_ids = {payment.shopify_order_id for payment in payments}
    found: dict[str, tuple[int, str]] = {}
    invoices = (PostedSalesInvoice.objects.filter(merchant=merchant, shopify_order_id__in=order_ids)
                .order_by("posting_date", "pk").values_list("shopify_order_id", "bill_to_id", "currency"))
    for order_id, customer_id, currency in invoices:
        found.setdefault(order_id, (customer_id, currency))
    if order_ids - set(found):
        documents = (SalesDocument.objects.filter(merchant=merchant, shopify_order_id__in=order_ids - set(found))
                     .values_list("shopify_order_id", "bill_to_id", "currency", "type", "pk"))
        for order_id, customer_id, currency, _, _ in sorted(
                documents, key=lambda row: (row[3] not in INVOICING, row[4])):
            found.setdefault(order_id, (customer_id, currency))
    rest = [payment for payment in payments if payment.shopify_order_id not in found]
    if not rest:
        return found
    default = merchant.default_customer_no
    numbers = {payment.customer_no or default for payment in rest} - {""}
    known = dict(Customer.objects.filter(merchant=merchant, number__in=numbers).values_list("number", "pk"))
    problems = []
    for payment in rest:
        number = payment.customer_no or default
        if not number:
            continue            # waits for its order's document
        if number not in known:
            whose = f"customer {number}" if payment.customer_no else f"the shop's default customer {number}"
            problems.append(f"{_what(payment)}: {whose} is not in the books")
        else:
            found.setdefault(payment.shopify_order_id, (known[number], merchant.shop_currency))
    _refuse(problems)
    return found


def enter_waiting_payments(merchant, order_id: str, customer, currency: str) -> int:
    """Enter the payments of the Shopify order that waited for its customer, now that a document
    of the order is posted to `customer`; the number entered. Before its entries are applied."""
    if not order_id:
        return 0
    waiting = list(WaitingCustomerPayment.objects.select_for_update().filter(merchant=merchant,
                                                                           shopify_order_id=order_id))
    if not waiting:
        return 0
    CustomerLedgerEntry.objects.bulk_create(
        _entry(merchant, CustomerPaymentData(
            shopify_order_id=row.shopify_order_id, shopify_order_no=row.shopify_order_no, amount=row.amount,
            posting_date=row.posting_date, document_no=row.document_no, description=row.description),
            customer.pk, currency) for row in waiting)
    WaitingCustomerPayment.objects.filter(pk__in=[row.pk for row in waiting]).delete()
    return len(waiting)


def _waiting(merchant, payment: CustomerPaymentData) -> WaitingCustomerPayment:
    return WaitingCustomerPayment(
        merchant=merchant, shopify_order_id=payment.shopify_order_id, shopify_order_no=payment.shopify_order_no[:30],
        amount=payment.amount, posting_date=payment.posting_date, document_no=payment.document_no,
        description=payment.description[:250])


def _entry(merchant, payment: CustomerPaymentData, customer_id: int, currency: str) -> CustomerLedgerEntry:
    """A payment credits the customer (a negative amount, as in Business Central), a refund debits them."""
    amount = -payment.amount.quantize(CENT)
    return CustomerLedgerEntry(
        merchant=merchant, customer_id=customer_id, posting_date=payment.posting_date,
        document_type=CustomerDocumentType.PAYMENT if amount < ZERO else CustomerDocumentType.REFUND,
        document_no=payment.document_no, description=payment.description[:250], currency=currency,
        amount=amount, remaining_amount=amount, open=True, shopify_order_id=payment.shopify_order_id,
        shopify_order_no=payment.shopify_order_no[:30])


def _what(payment: CustomerPaymentData) -> str:
    kind = "the refund" if isinstance(payment.amount, Decimal) and payment.amount < ZERO else "the payment"
    return f"{kind} of order {payment.shopify_order_no or payment.shopify_order_id or '(none)'}"


def _refuse(problems: list[str]) -> None:
    if problems:
        more = f"; and {len(problems) - MAX_LISTED} more" if len(problems) > MAX_LISTED else ""
        raise PaymentRefused("; ".join(problems[:MAX_LISTED]) + more)
