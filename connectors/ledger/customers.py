"""The ledger's customers, in batches: found by contact or tax ID, read, created with numbers from the
series, updated. Plain values in and out (connectors.ledger.records)."""
from __future__ import annotations

from dataclasses import fields

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from connectors.ledger.errors import UnknownRecords
from connectors.ledger.models import Customer, SeriesCode
from connectors.ledger.numbering import next_numbers, numbered
from connectors.ledger.records import BillTo, CustomerData
from core.contacts import e164_phone, normalized_email, normalized_tax_id

_FIELDS = [f.name for f in fields(CustomerData) if f.name != "number"]
_SEARCH_KEYS = ["search_email", "search_phone", "search_tax_id"]


def _data(row: Customer) -> CustomerData:
    return CustomerData(number=row.number, **{name: getattr(row, name) for name in _FIELDS})


def _search_keys(data: CustomerData) -> dict:
    return {"search_email": normalized_email(data.email), "search_phone": e164_phone(data.phone, data.country),
            "search_tax_id": normalized_tax_id(data.tax_registration_no)}


def find_customers(merchant, *, emails=(), phones=()) -> list[CustomerData]:
    """Customers whose email (lower-cased) or phone (E.164) is one of those given, exactly."""
    emails = {e for e in emails if e}
    phones = {p for p in phones if p}
    if not emails and not phones:
        return []
    rows = Customer.objects.filter(Q(search_email__in=emails) | Q(search_phone__in=phones), merchant=merchant)
    return [_data(row) for row in rows.order_by("number")]


def find_customers_by_tax_id(merchant, tax_ids) -> list[CustomerData]:
    """Customers whose tax registration no. is one of `tax_ids`, both compared normalised (upper case,
    no spaces, dots or dashes): one indexed lookup."""
    wanted = {normalized_tax_id(t) for t in tax_ids} - {""}
    if not wanted:
        return []
    rows = Customer.objects.filter(merchant=merchant, search_tax_id__in=wanted).order_by("number")
    return [_data(row) for row in rows]


def b2b_customer_numbers(merchant) -> list[str]:
    """The customers marked "B2B company" that are not blocked, in number order."""
    rows = Customer.objects.filter(merchant=merchant, b2b_company=True, blocked=False)
    return list(rows.order_by("number").values_list("number", flat=True))


def find_customers_billed_to(merchant, bill_tos: list[BillTo]) -> list[CustomerData]:
    """Customers whose name and address are one of `bill_tos` (case and spaces aside)."""
    wanted = {b.key() for b in bill_tos if any(b.key())}
    if not wanted:
        return []
    condition = Q()
    for name, address, post_code, city, country in wanted:
        condition |= Q(name__iexact=name, address__iexact=address, post_code__iexact=post_code, city__iexact=city,
                       country__iexact=country)
    rows = Customer.objects.filter(condition, merchant=merchant).order_by("number")
    return [customer for customer in map(_data, rows) if BillTo.of(customer).key() in wanted]


def get_customers(merchant, numbers) -> dict[str, CustomerData]:
    return {row.number: _data(row) for row in Customer.objects.filter(merchant=merchant, number__in=set(numbers))}


def customer_numbers(merchant, *, changed_since=None) -> list[str]:
    rows = Customer.objects.filter(merchant=merchant)
    if changed_since is not None:
        rows = rows.filter(updated_at__gte=changed_since)
    return list(rows.order_by("number").values_list("number", flat=True))


def create_customers(merchant, drafts: list[CustomerData]) -> list[CustomerData]:
    """Create every draft in one transaction; a draft without a number gets the series' next one."""
    with transaction.atomic():
        created = numbered(merchant, SeriesCode.CUSTOMERS, drafts, what="customer",
                           in_use=lambda numbers: _taken(merchant, numbers))
        Customer.objects.bulk_create(
            Customer(merchant=merchant, number=d.number, **{n: getattr(d, n) for n in _FIELDS}, **_search_keys(d))
            for d in created)
    return created


def update_customers(merchant, records: list[CustomerData]) -> list[str]:
    """Write the records' values; the numbers of those that changed."""
    with transaction.atomic():
        rows = {row.number: row for row in
                Customer.objects.select_for_update().filter(merchant=merchant, number__in=[r.number for r in records])}
        missing = {r.number for r in records} - set(rows)
        if missing:
            raise UnknownRecords("customer", missing)
        changed, now = [], timezone.now()
        for record in records:
            row = rows[record.number]
            wanted = {name: getattr(record, name) for name in _FIELDS} | _search_keys(record)
            if any(getattr(row, name) != value for name, value in wanted.items()):
                for name, value in wanted.items():
                    setattr(row, name, value)
                row.updated_at = now   # bulk_update skips auto_now
                changed.append(row)
        if changed:
            Customer.objects.bulk_update(changed, [*_FIELDS, *_SEARCH_KEYS, "updated_at"])
    return [row.number for row in changed]


def _taken(merchant, numbers: list[str]) -> set[str]:
    return set(Customer.objects.filter(merchant=merchant, number__in=numbers).values_list("number", flat=True))


def prepare_row(row: Customer) -> None:
    """Before a customer typed in the admin is saved: a number from the series when left blank, and
    its search keys."""
    if not row.number:
        row.number = next_numbers(row.merchant, SeriesCode.CUSTOMERS, 1,
                                  taken=lambda batch: _taken(row.merchant, batch))[0]
    for name, value in _search_keys(_data(row)).items():
        setattr(row, name, value)
