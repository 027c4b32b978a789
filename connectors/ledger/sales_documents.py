"""Creating sales documents from drafts (30103), a batch at a time: every draft is checked against
the books, read once for the whole batch, and the drafts that pass are written together.

A refused draft writes nothing and says why, in words the merchant can act on. Release and reopen
are here too: a released document is one the batch posting reports may post.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import NamedTuple

from django.db import transaction
from django.db.models import QuerySet

from connectors.ledger.locks import locked_sales_document
from connectors.ledger.models import (
    Customer,
    Item,
    ItemType,
    ItemVariant,
    Location,
    SalesDocument,
    SalesDocumentStatus,
    SalesLine,
    SeriesCode,
)
from connectors.ledger.money_kinds import MONEY_KINDS
from connectors.ledger.numbering import next_numbers
from connectors.ledger.records import (
    DocumentOutcome,
    DocumentType,
    LineType,
    LocationData,
    SalesDocumentData,
    SalesLineData,
)
from connectors.ledger.sales_accounts import AccountBook, needed_mappings
from connectors.ledger.sales_rows import fit, line_fields, sold_to_fields, what
from connectors.ledger.shipments import shipping_agents
from core.sentences import joined

NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,19}\Z")
SERIES = {DocumentType.ORDER: SeriesCode.SALES_ORDERS, DocumentType.INVOICE: SeriesCode.SALES_INVOICES,
          DocumentType.CREDIT_MEMO: SeriesCode.SALES_CREDIT_MEMOS,
          DocumentType.RETURN_ORDER: SeriesCode.SALES_RETURN_ORDERS}
ONE_PER_ORDER = (DocumentType.ORDER, DocumentType.INVOICE)
DEFAULT_LOCATION = LocationData("MAIN", "Main warehouse")
LINE_STEP = 10000


@dataclass
class _Books:
    """What the checks of a batch read: one query each, whatever the number of drafts."""
    customers: dict[str, Customer]
    items: dict[str, Item]
    variants: set[tuple[str, str]]
    accounts: AccountBook
    locations: dict[str, Location]
    taken: set[tuple[str, str]]          # (type, number) of the open documents the drafts' numbers name
    shipping_agents: set[str]            # the codes of those the drafts name that exist (none named: no query)


def create_sales_documents(merchant, drafts: list[SalesDocumentData]) -> list[DocumentOutcome]:
    """One outcome per draft, in order: the document as created (numbered, its lines numbered 10000,
    20000 …, account lines given their mapped account, its location chosen), or why it was refused.

    The created documents are written in one transaction. When a run working at the same moment made
    a document of one of the same Shopify orders, or took a number given here, the write raises
    IntegrityError after the transaction is rolled back, nothing of the batch written: the caller
    reads what is left and tries again."""
    if not drafts:
        return []
    books = _read_books(merchant, drafts)
    claimed: set[tuple[str, str]] = set()
    orders: set[str] = set()
    problems: list[list[str]] = []
    locations: list[str] = []
    for draft in drafts:
        found, location = _problems(draft, books)
        if not found:
            found = _clashes(draft, books, claimed, orders)
        problems.append(found)
        locations.append(location)
    accepted = [(i, replace(draft, location=locations[i])) for i, draft in enumerate(drafts) if not problems[i]]
    created = _write(merchant, [draft for _, draft in accepted], books) if accepted else []
    outcomes = [DocumentOutcome(error="; ".join(dict.fromkeys(found))) for found in problems]
    for (index, _), document in zip(accepted, created, strict=True):
        outcomes[index] = DocumentOutcome(document=document)
    return outcomes


def _read_books(merchant, drafts: list[SalesDocumentData]) -> _Books:
    lines = [line for draft in drafts for line in draft.lines]
    item_nos = {line.number for line in lines if line.type == LineType.ITEM}
    numbers = {draft.number for draft in drafts if draft.number}
    return _Books(
        customers={c.number: c for c in Customer.objects.filter(
            merchant=merchant, number__in={n for d in drafts for n in (d.customer, d.bill_to) if n})},
        items={i.number: i for i in Item.objects.filter(merchant=merchant, number__in=item_nos)},
        variants=set(ItemVariant.objects.filter(item__merchant=merchant, item__number__in=item_nos)
                     .values_list("item__number", "code")),
        accounts=AccountBook(merchant),
        locations={loc.code: loc for loc in Location.objects.filter(merchant=merchant)},
        taken=set(SalesDocument.objects.filter(merchant=merchant, number__in=numbers).values_list("type", "number")),
        shipping_agents=set(shipping_agents(merchant, {draft.shipping_agent for draft in drafts})))


def _problems(draft: SalesDocumentData, books: _Books) -> tuple[list[str], str]:
    """What refuses the draft, and the location code its shipped items leave from ("": none)."""
    if draft.type not in DocumentType.ALL:
        return [f"{draft.type!r} is not a kind of sales document: an order, invoice, credit memo or return "
                "order"], ""
    if not draft.lines:
        return [f"{what(draft.type, draft.number)} has no lines: a sales document needs at least one"], ""
    problems = []
    for number in dict.fromkeys((draft.customer, draft.bill_to or draft.customer)):
        customer = books.customers.get(number)
        if customer is None:
            problems.append(f"customer {number} does not exist" if number else "no customer is given")
        elif customer.blocked:
            problems.append(f"customer {number} is blocked")
    lines = [problem for line in draft.lines for problem in _line_problems(line, books)]
    problems += lines
    if draft.number and not NUMBER.match(draft.number):
        problems.append(f"{draft.number} cannot be a document no.: a document no. is 1 to 20 letters, digits and "
                        ". _ / - starting with a letter or digit")
    if not lines:   # a line that names nothing usable has no mapping to ask for yet
        problems += books.accounts.resolve(needed_mappings(draft, returns=books.accounts.returns_need()))[1]
    if draft.shipping_agent and draft.shipping_agent not in books.shipping_agents:
        problems.append(f"shipping agent {draft.shipping_agent} does not exist")
    location, why = _location(draft, books)
    return problems + ([why] if why else []), location


def _line_problems(line: SalesLineData, books: _Books) -> list[str]:
    if line.type == LineType.ITEM:
        item = books.items.get(line.number)
        if item is None:
            return [f"item {line.number} does not exist" if line.number else f"line {line.description!r} names "
                                                                             "no item"]
        if item.blocked:
            return [f"item {line.number} is blocked"]
        if line.variant_code and (line.number, line.variant_code) not in books.variants:
            return [f"item {line.number} has no variant {line.variant_code}"]
        return []
    if line.type != LineType.ACCOUNT:
        return [f"line {line.description!r}: {line.type!r} is not a line type (item or account)"]
    if line.money_kind and line.money_kind not in MONEY_KINDS:
        return [f"line {line.description!r}: {line.money_kind!r} is not a kind of money syncsite maps"]
    if line.number:
        account = books.accounts.accounts.get(line.number)
        if account is None:
            return [f"account {line.number} does not exist"]
        if not account.is_active:
            return [f"account {account} is inactive; activate it or pick an active account"]
    elif not line.money_kind:
        return [f"line {line.description!r} names no account and no kind of money"]
    return []


def _location(draft: SalesDocumentData, books: _Books) -> tuple[str, str]:
    """The draft's location code and, when there is none to choose, why."""
    if draft.location:
        return (draft.location, "") if draft.location in books.locations else (
            "", f"location {draft.location} does not exist")
    if not any(line.type == LineType.ITEM and getattr(books.items.get(line.number), "type", "") == ItemType.INVENTORY
               for line in draft.lines):
        return "", ""
    if len(books.locations) > 1:
        return "", f"choose a location: the books hold {joined(sorted(books.locations))}"
    return next(iter(books.locations), DEFAULT_LOCATION.code), ""


def _clashes(draft: SalesDocumentData, books: _Books, claimed: set, orders: set) -> list[str]:
    """A number or Shopify order an earlier draft of the batch, or an open document, has already."""
    key = (draft.type, draft.number)
    if draft.number and (key in books.taken or key in claimed):
        return [f"{what(*key)} already exists"]
    if draft.type in ONE_PER_ORDER and draft.shopify_order_id:
        if draft.shopify_order_id in orders:
            return [f"Shopify order {draft.shopify_order_no or draft.shopify_order_id} has two documents in this "
                    "batch"]
        orders.add(draft.shopify_order_id)
    claimed.add(key)
    return []


def _write(merchant, drafts: list[SalesDocumentData], books: _Books) -> list[SalesDocumentData]:
    with transaction.atomic():
        drafts = _numbered(merchant, drafts, books)
        locations = _with_default_location(merchant, drafts, books)
        rows = SalesDocument.objects.bulk_create([
            SalesDocument(merchant=merchant, type=d.type, **sold_to_fields(d),
                          sell_to=books.customers[d.customer], bill_to=books.customers[d.bill_to or d.customer],
                          location=locations.get(d.location), prices_include_tax=d.prices_include_tax,
                          shipping_agent=d.shipping_agent,
                          package_tracking_no=fit(SalesDocument, "package_tracking_no", d.package_tracking_no),
                          status=SalesDocumentStatus.RELEASED if d.released else SalesDocumentStatus.OPEN)
            for d in drafts], batch_size=500)
        if not all(row.pk for row in rows):   # backends that do not return keys from bulk_create
            ids = {(t, n): pk for t, n, pk in SalesDocument.objects.filter(
                merchant=merchant, number__in=[d.number for d in drafts]).values_list("type", "number", "pk")}
            for row in rows:
                row.pk = ids[(row.type, row.number)]
        created = [_filled(d, books) for d in drafts]
        SalesLine.objects.bulk_create([SalesLine(document=row, **line_fields(line, d.prices_include_tax))
                                       for row, d in zip(rows, created, strict=True) for line in d.lines],
                                      batch_size=500)
    return created


def _numbered(merchant, drafts: list[SalesDocumentData], books: _Books) -> list[SalesDocumentData]:
    """Drafts without a number take their type's series, skipping numbers typed by hand."""
    given = {(d.type, d.number) for d in drafts if d.number}
    numbers = {}
    for type, series in SERIES.items():
        count = sum(1 for d in drafts if d.type == type and not d.number)
        numbers[type] = iter(next_numbers(merchant, series, count, taken=lambda batch, type=type: {
            n for n in batch if (type, n) in given} | set(SalesDocument.objects.filter(
                merchant=merchant, type=type, number__in=batch).values_list("number", flat=True))))
    return [d if d.number else replace(d, number=next(numbers[d.type])) for d in drafts]


def _with_default_location(merchant, drafts: list[SalesDocumentData], books: _Books) -> dict[str, Location]:
    """The locations by code, the default one made on first need (once, even with two runs at once)."""
    if any(d.location == DEFAULT_LOCATION.code for d in drafts) and DEFAULT_LOCATION.code not in books.locations:
        Location.objects.bulk_create([Location(merchant=merchant, code=DEFAULT_LOCATION.code,
                                               name=DEFAULT_LOCATION.name)], ignore_conflicts=True)
        return {loc.code: loc for loc in Location.objects.filter(merchant=merchant)}
    return books.locations


def _filled(draft: SalesDocumentData, books: _Books) -> SalesDocumentData:
    """The draft as the books hold it: lines numbered, account lines naming their mapped account."""
    lines = []
    for index, line in enumerate(draft.lines, start=1):
        number = line.number
        if line.type == LineType.ACCOUNT and not number:
            number = books.accounts.resolve({(line.money_kind, "")})[0][(line.money_kind, "")].code
        lines.append(replace(line, number=number, line_no=index * LINE_STEP))
    return replace(draft, lines=tuple(lines), bill_to=draft.bill_to or draft.customer, shipped=False,
                   package_tracking_no=fit(SalesDocument, "package_tracking_no", draft.package_tracking_no))


class StatusChanged(NamedTuple):
    changed: int      # documents whose status was changed
    unchanged: int    # documents that had that status already, left as they were


def release_documents(*, documents: QuerySet[SalesDocument]) -> StatusChanged:
    """Release the open documents among `documents`; how many were, and how many were released already."""
    return _set_status(documents, SalesDocumentStatus.RELEASED)


def reopen_documents(*, documents: QuerySet[SalesDocument]) -> StatusChanged:
    """Reopen the released documents among `documents`; how many were, and how many were open already."""
    return _set_status(documents, SalesDocumentStatus.OPEN)


def _set_status(documents: QuerySet[SalesDocument], status: str) -> StatusChanged:
    with transaction.atomic():
        unchanged = documents.filter(status=status).count()
        return StatusChanged(documents.exclude(status=status).update(status=status), unchanged)


class _Refused(Exception):
    pass


def replace_sales_documents(merchant, drafts: list[SalesDocumentData]) -> list[DocumentOutcome]:
    """Each open document named by a draft's type and number made again from the draft (its order
    changed in Shopify): all of it or none, one document at a time. One posted, shipped or gone is
    refused: the books keep what was posted."""
    outcomes = []
    for draft in drafts:
        name = what(draft.type, draft.number)
        try:
            with transaction.atomic():
                row = locked_sales_document(merchant, draft.type, draft.number)
                if row is None:
                    raise _Refused(f"{name} is not open any more (posted or deleted): the books keep what was "
                                   "posted")
                if row.shipped_shipment_no:
                    raise _Refused(f"{name} is shipped already (posted shipment {row.shipped_shipment_no})")
                row.delete()
                (outcome,) = create_sales_documents(merchant, [draft])
                if outcome.document is None:
                    raise _Refused(outcome.error)
        except _Refused as exc:
            outcome = DocumentOutcome(error=str(exc))
        outcomes.append(outcome)
    return outcomes
