"""Sales price lists (Business Central's sales prices): what the syncs read through the target (a
list's currency; the price it gives an item or a variant on a day), the rules a price line keeps
whether typed in the admin or imported from a CSV file, the import itself, and what uses a list.

A price file is CSV, comma or semicolon separated, UTF-8 with or without a BOM, its first line the
header `item_no,variant_code,unit_price,starting_date,ending_date` (variant_code and the dates may be
left out or blank; dates written YYYY-MM-DD; in a semicolon-separated file a price may be written
with a decimal comma, 12,50). A file with any mistake imports nothing.
"""
from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from connectors.ledger.errors import PriceFileRefused, UnknownPriceList
from connectors.ledger.locks import lock_price_list
from connectors.ledger.models import Customer, Item, ItemVariant, PriceList, PriceListLine
from connectors.ledger.records import PriceLineData, PriceListData
from core.sentences import joined
from merchants.models import Merchant

PRICE_FILE_COLUMNS = ("item_no", "variant_code", "unit_price", "starting_date", "ending_date")
REQUIRED_COLUMNS = ("item_no", "unit_price")
PRICE_FILE_MAX_BYTES = 20 * 1024 * 1024
# Up to this many items a price lookup names them; beyond, reading all the list's lines valid that day
# is as quick and keeps the lookup one query.
_ITEMS_NAMED_AT_MOST = 5000
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_AMOUNT = re.compile(r"-?\d+(?:\.\d+)?\Z")
_LARGEST_PRICE = Decimal("1e16")   # the column holds 18 digits, 2 of them decimals
_CENT = Decimal("0.01")
_BATCH = 500


# Reading: the target's price-list methods
def get_price_lists(merchant, codes) -> dict[str, PriceListData]:
    rows = PriceList.objects.filter(merchant=merchant, code__in=set(codes))
    return {row.code: PriceListData(code=row.code, currency=row.currency, description=row.description)
            for row in rows}


def price_list_prices(merchant, code: str, keys, *, on: date) -> dict[tuple[str, str], Decimal]:
    """(item no., variant code) -> the unit price list `code` gives it on day `on`: the variant's own
    line valid that day, else the item's (blank variant code); of several, the latest starting. One
    query, whatever the number of keys."""
    keys = {(item, variant or "") for item, variant in keys}
    if not keys:
        return {}
    lines = (PriceListLine.objects.filter(_valid_on(on), price_list__merchant=merchant, price_list__code=code)
             .order_by())
    items = {item for item, _ in keys}
    if len(items) <= _ITEMS_NAMED_AT_MOST:
        lines = lines.filter(item_no__in=items)
    rows = lines.values_list("item_no", "unit_price", "variant_code", "starting_date", "ending_date")
    return prices_on((PriceLineData(*row) for row in rows.iterator(chunk_size=5000)), keys, on=on)   # its field order


def prices_on(lines: Iterable[PriceLineData], keys: Collection[tuple[str, str]], *, on: date
              ) -> dict[tuple[str, str], Decimal]:
    """The rule of `price_list_prices` over lines in hand (the in-memory target keeps its lines so)."""
    latest: dict[tuple[str, str], PriceLineData] = {}
    for line in lines:
        if not is_valid_on(line, on):
            continue
        held = latest.get((line.item_no, line.variant_code))
        if held is None or _start(line) > _start(held):
            latest[(line.item_no, line.variant_code)] = line
    prices = {}
    for item, variant in keys:
        line = (latest.get((item, variant)) if variant else None) or latest.get((item, ""))
        if line is not None:
            prices[(item, variant)] = line.unit_price
    return prices


def is_valid_on(line: PriceLineData, on: date) -> bool:
    return (line.starting_date is None or line.starting_date <= on) and (line.ending_date is None
                                                                          or line.ending_date >= on)


def _start(line: PriceLineData) -> date:
    return line.starting_date or date.min   # no starting date: valid always, so the earliest


def _valid_on(on: date) -> Q:
    return ((Q(starting_date__isnull=True) | Q(starting_date__lte=on))
            & (Q(ending_date__isnull=True) | Q(ending_date__gte=on)))


# What a customer's price list may be
def check_price_list_code(merchant, code: str) -> str:
    """The code of the merchant's price list `code` names (its case aside when no list has it as
    typed); UnknownPriceList when none does."""
    code = code.strip()
    found = list(PriceList.objects.filter(merchant=merchant, code__iexact=code).values_list("code", flat=True)[:10])
    if code in found:
        return code
    if len(found) == 1:
        return found[0]
    raise UnknownPriceList(merchant.code, code)


# The rules of a price line
@dataclass(frozen=True)
class PriceProblem:
    """Why a price line cannot be: on `line` of a file (None: a line typed in the admin), about
    `field` (a column; "" for the whole line)."""
    reason: str
    line: int | None = None
    field: str = ""

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}" if self.line is not None else self.reason


def price_line_problems(*, merchant, lines: list[tuple[int | None, PriceLineData]]) -> list[PriceProblem]:
    """Each line's problems, in line order: an item the shop does not have, a variant its item does not
    have, a price below 0 or of more than 2 decimals, an ending date before the starting date, and a
    line whose item, variant and starting date an earlier line has already. Two queries."""
    items = {line.item_no for _, line in lines}
    known_items = set(Item.objects.filter(merchant=merchant, number__in=items).values_list("number", flat=True))
    wanted_variants = {(line.item_no, line.variant_code) for _, line in lines if line.variant_code}
    known_variants = set(ItemVariant.objects.filter(
        item__merchant=merchant, item__number__in={item for item, _ in wanted_variants}).values_list(
        "item__number", "code")) if wanted_variants else set()
    problems, first_line_of = [], {}
    for number, line in lines:
        found = []   # (field, reason)
        if line.item_no not in known_items:
            found.append(("item_no", f"there is no item {line.item_no}"))
        elif line.variant_code and (line.item_no, line.variant_code) not in known_variants:
            found.append(("variant_code", f"item {line.item_no} has no variant {line.variant_code}"))
        if price_problem(line.unit_price):
            found.append(("unit_price", price_problem(line.unit_price)))
        if line.starting_date and line.ending_date and line.ending_date < line.starting_date:
            found.append(("ending_date", f"the price ends on {line.ending_date}, before it starts on "
                                         f"{line.starting_date}"))
        if line.key in first_line_of:
            found.append(("", f"{_describe(line)} is on line {first_line_of[line.key]} already"))
        else:
            first_line_of[line.key] = number
        problems += [PriceProblem(reason, number, field) for field, reason in found]
    return problems


def price_problem(price: Decimal) -> str:
    """Why `price` cannot be a unit price ("" when it can)."""
    if not price.is_finite():
        return f"the unit price {price} is not a number"
    if price < 0:
        return f"the unit price {price} is below 0"
    if price >= _LARGEST_PRICE:
        return f"the unit price {price} is too large"
    if price != price.quantize(_CENT):
        return f"the unit price {price} has more than 2 decimals"
    return ""


def _describe(line: PriceLineData) -> str:
    what = f"item {line.item_no}" + (f" variant {line.variant_code}" if line.variant_code else "")
    return what + (f" from {line.starting_date}" if line.starting_date else " with no starting date")


# Price files
def read_price_file(*, merchant, content: bytes) -> list[PriceLineData]:
    """The price lines of a CSV file (the module's docstring says its form), each checked as a typed
    line is; PriceFileRefused listing every mistake, by line, when there is one."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PriceFileRefused([PriceProblem(
            f"the file is not UTF-8 text (byte {exc.start + 1}); save it as CSV UTF-8")]) from None
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    problems: list[PriceProblem] = []
    lines: list[tuple[int, PriceLineData]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        columns = None
        for row in reader:
            if not any(value.strip() for value in row):
                continue
            if columns is None:
                columns = _columns(row, reader.line_num, problems)
                if problems:
                    break
                continue
            line = _line(row, columns, reader.line_num, delimiter, problems)
            if line is not None:
                lines.append((reader.line_num, line))
    except csv.Error as exc:
        problems.append(PriceProblem(f"the file cannot be read as CSV ({exc})", max(reader.line_num, 1)))
    if not problems and not lines:
        problems.append(PriceProblem("the file holds no prices: after the header line, one line per price"))
    if lines:
        problems += price_line_problems(merchant=merchant, lines=lines)
    if problems:
        raise PriceFileRefused(sorted(problems, key=lambda p: p.line or 0))
    return [line for _, line in lines]


def _columns(header: list[str], line_no: int, problems: list[PriceProblem]) -> dict[str, int]:
    """Column name -> its place in a row; a column nobody knows or twice, or one missing, is a problem."""
    columns: dict[str, int] = {}
    for place, name in enumerate(header):
        name = name.strip().lower()
        if not name:
            continue
        if name not in PRICE_FILE_COLUMNS:
            problems.append(PriceProblem(f"the header's column “{name}” is none of {', '.join(PRICE_FILE_COLUMNS)}",
                                         line_no))
        elif name in columns:
            problems.append(PriceProblem(f"the header names the column {name} twice", line_no))
        columns[name] = place
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        problems.append(PriceProblem(f"the header has no column {joined(missing)}: the first line names the "
                                     f"columns, e.g. {','.join(PRICE_FILE_COLUMNS)}", line_no))
    return columns


def _line(row: list[str], columns: dict[str, int], line_no: int, delimiter: str,
          problems: list[PriceProblem]) -> PriceLineData | None:
    """The price line of a row, or None with its problems added."""
    found = len(problems)
    strays = [value for place, value in enumerate(row) if value.strip() and place not in columns.values()]
    if strays:
        problems.append(PriceProblem(f"the value “{strays[0].strip()}” is in no column of the header", line_no))

    def value(name: str) -> str:
        place = columns.get(name)
        return row[place].strip() if place is not None and place < len(row) else ""

    item_no, variant_code = value("item_no"), value("variant_code")
    if not item_no:
        problems.append(PriceProblem("the item no. is blank", line_no, "item_no"))
    unit_price = _amount(value("unit_price"), delimiter, line_no, problems)
    starting_date = _date(value("starting_date"), "starting date", line_no, problems)
    ending_date = _date(value("ending_date"), "ending date", line_no, problems)
    if len(problems) > found:
        return None
    return PriceLineData(item_no=item_no, unit_price=unit_price, variant_code=variant_code,
                         starting_date=starting_date, ending_date=ending_date)


def _amount(text: str, delimiter: str, line_no: int, problems: list[PriceProblem]) -> Decimal | None:
    written = text
    if delimiter == ";" and text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")   # a decimal comma, as a semicolon-separated file writes it
    if not written:
        problems.append(PriceProblem("the unit price is blank", line_no, "unit_price"))
    elif not _AMOUNT.match(text):
        problems.append(PriceProblem(f"the unit price “{written}” is not a number such as 12.50", line_no,
                                     "unit_price"))
    else:
        return Decimal(text)   # its own problems (below 0, decimals) are a typed line's too
    return None


def _date(text: str, what: str, line_no: int, problems: list[PriceProblem]) -> date | None:
    if not text:
        return None
    if _ISO_DATE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    problems.append(PriceProblem(f"the {what} “{text}” is not a date written YYYY-MM-DD, such as 2025-03-01",
                                 line_no, what.replace(" ", "_")))
    return None


@dataclass(frozen=True)
class PriceImport:
    """What an import did to a price list's lines."""
    added: int
    changed: int
    unchanged: int
    removed: int = 0


def import_prices(*, price_list: PriceList, lines: list[PriceLineData], replace_all: bool = False) -> PriceImport:
    """Write checked `lines` (read_price_file) into the list, in one transaction: a line of the same
    item, variant and starting date as one of the list's replaces it when its price or ending date
    differ, any other is added; with `replace_all`, the list's lines the file does not have are
    deleted. A fixed number of queries per 500 lines (a changed line is deleted and written again:
    nothing refers to a price line, and two statements per batch beat an UPDATE per row)."""
    with transaction.atomic():
        lock_price_list(price_list.pk)
        held = {(item, variant, start): (pk, price, end) for pk, item, variant, start, price, end in
                PriceListLine.objects.filter(price_list=price_list).order_by().values_list(
                    "pk", "item_no", "variant_code", "starting_date", "unit_price", "ending_date").iterator(
                    chunk_size=5000)}
        written, replaced, unchanged = [], [], 0
        for line in lines:
            if line.key in held and held[line.key][1:] == (line.unit_price, line.ending_date):
                unchanged += 1
                continue
            if line.key in held:
                replaced.append(held[line.key][0])
            written.append(PriceListLine(price_list=price_list, item_no=line.item_no, variant_code=line.variant_code,
                                         unit_price=line.unit_price, starting_date=line.starting_date,
                                         ending_date=line.ending_date))
        kept = {line.key for line in lines}
        gone = [pk for key, (pk, _, _) in held.items() if key not in kept] if replace_all else []
        deleted = sorted(replaced + gone)
        for start in range(0, len(deleted), _BATCH):
            PriceListLine.objects.filter(pk__in=deleted[start:start + _BATCH]).delete()
        PriceListLine.objects.bulk_create(written, batch_size=_BATCH)
        if written or gone:
            PriceList.objects.filter(pk=price_list.pk).update(updated_at=timezone.now())
    return PriceImport(added=len(written) - len(replaced), changed=len(replaced), unchanged=unchanged,
                       removed=len(gone))


# What uses a price list (core.in_use, kind "price list"; the catalogs register their own uses)
def price_list_uses(merchant_id: int, codes: Collection[str]) -> list[str]:
    """One sentence per list and what names it: its customers, the shop card. Two queries."""
    customers: dict[str, list[str]] = defaultdict(list)
    for code, number in (Customer.objects.filter(merchant_id=merchant_id, price_list_code__in=codes)
                         .order_by("price_list_code", "number").values_list("price_list_code", "number")):
        customers[code].append(number)
    uses = [f"price list {code} is the price list of {_customers(numbers)}" for code, numbers in customers.items()]
    for shop, code in Merchant.objects.filter(pk=merchant_id, catalog_price_list_code__in=codes).values_list(
            "code", "catalog_price_list_code"):
        uses.append(f"price list {code} prices {shop}'s catalogs (the shop card's price list for catalog prices)")
    return uses


def _customers(numbers: list[str]) -> str:
    if len(numbers) == 1:
        return f"customer {numbers[0]}"
    shown = numbers[:3] + ([f"{len(numbers) - 3} more"] if len(numbers) > 3 else [])
    return f"customers {joined(shown)}"
