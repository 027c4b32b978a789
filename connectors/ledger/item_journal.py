"""The item journal (Business Central's): a bookkeeper types lines of stock coming in (positive
adjustments, purchases) or going out (negative adjustments) and posts them as item ledger entries,
all or none; the posted lines leave the journal. A physical inventory makes the lines that bring the
stock on hand to what was counted.

Batch-shaped: checking and posting any number of lines takes the same few queries."""
from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet

from connectors.ledger.errors import JournalLinesNotPostable, UnknownRecords
from connectors.ledger.locks import locked_journal_lines
from connectors.ledger.models import (
    JOURNAL_ENTRY_TYPES,
    EntryType,
    Item,
    ItemJournalLine,
    ItemLedgerEntry,
    ItemType,
    ItemVariant,
    Location,
)
from connectors.ledger.stock import stock

logger = logging.getLogger(__name__)

PHYSICAL_INVENTORY = "Physical inventory"


@dataclass(frozen=True)
class LineProblem:
    """Why one line cannot be posted; `field` is the line's field at fault (None: the line as a whole)."""
    line: str                              # "line 12 (item I00001 BLUE at MAIN)"
    reason: str                            # "item I00001 has no variant RED (its variants: BLUE)"
    field: str | None = None

    def __str__(self) -> str:
        return f"{self.line}: {self.reason}"


@dataclass(frozen=True)
class PostedJournal:
    """What posting made: one item ledger entry per line, the lines gone from the journal."""
    entry_ids: tuple[int, ...]
    quantity_in: Decimal
    quantity_out: Decimal

    @property
    def entries(self) -> int:
        return len(self.entry_ids)


def signed_quantity(line: ItemJournalLine) -> Decimal:
    """The line's quantity as its entry moves stock: a negative adjustment takes it out."""
    return -line.quantity if line.entry_type == EntryType.NEGATIVE_ADJUSTMENT else line.quantity


def line_label(line: ItemJournalLine) -> str:
    """"line 12 (item I00001 BLUE at MAIN)": how a refusal names a line ("item …" for a line not saved)."""
    item = line.item.number if line.item_id else "?"
    variant = f" {line.variant_code}" if line.variant_code else ""
    location = f" at {line.location.code}" if line.location_id else ""
    what = f"item {item}{variant}{location}"
    return f"line {line.pk} ({what})" if line.pk else what


def journal_line_problems(*, merchant, lines: list[ItemJournalLine]) -> list[LineProblem]:
    """Why each of `lines` (with their items and locations loaded) cannot be posted for `merchant`, in
    the order of the lines; [] when all can. One query, for the variants of the lines' items."""
    variant_items = {line.item_id for line in lines if line.variant_code and line.item_id}
    variants: dict[int, list[str]] = {}
    if variant_items:
        for item_id, code in ItemVariant.objects.filter(item_id__in=variant_items).order_by("code").values_list(
                "item_id", "code"):
            variants.setdefault(item_id, []).append(code)
    problems = []
    for line in lines:
        label = line_label(line)
        problems += [LineProblem(label, reason, field) for field, reason in _reasons(merchant, line, variants)]
    return problems


def _reasons(merchant, line: ItemJournalLine, variants: dict[int, list[str]]) -> Iterable[tuple[str | None, str]]:
    if line.merchant_id != merchant.pk:
        yield None, f"the line is another shop's, not {merchant.code}'s"
        return
    if line.entry_type not in JOURNAL_ENTRY_TYPES:
        labels = [str(t.label).lower() for t in JOURNAL_ENTRY_TYPES]
        yield "entry_type", (f"{line.entry_type} is not an entry type of the item journal: choose "
                             f"{', '.join(labels[:-1])} or {labels[-1]}")
    if line.item_id:
        item = line.item
        if item.merchant_id != merchant.pk:
            yield "item", f"item {item.number} is another shop's"
        elif item.type != ItemType.INVENTORY:
            yield "item", f"item {item.number} is a service, and a service keeps no stock"
        elif item.blocked:
            yield "item", f"item {item.number} is blocked"
        elif line.variant_code and line.variant_code not in variants.get(item.pk, []):
            known = variants.get(item.pk)
            has = f"its variants: {', '.join(known)}" if known else "it has none"
            yield "variant_code", f"item {item.number} has no variant {line.variant_code} ({has})"
    if line.location_id and line.location.merchant_id != merchant.pk:
        yield "location", f"location {line.location.code} is another shop's"
    if line.quantity is not None and line.quantity == 0:
        yield "quantity", "the quantity is 0: enter how many to post"
    elif line.quantity is not None and line.quantity < 0:
        yield "quantity", ("the quantity is negative: enter it as a positive number (a negative adjustment "
                           "takes stock out)")


def post_item_journal(*, merchant, lines: QuerySet[ItemJournalLine] | Iterable[ItemJournalLine]) -> PostedJournal:
    """Post `lines` of `merchant`'s item journal as item ledger entries and delete them, all or none.

    Raises JournalLinesNotPostable naming each line that cannot be posted and why (a variant its
    item does not have, a service or blocked item, a quantity of 0, a line another posting took
    meanwhile); then nothing is posted and every line stays. The lines are locked while they post,
    so two people posting the same lines post them once. The same queries for 1 line as for 1,000
    (the entries are written 500 to a statement)."""
    ids = (list(lines.order_by().values_list("pk", flat=True)) if isinstance(lines, QuerySet)
           else [line.pk for line in lines])
    if not ids:
        return PostedJournal((), Decimal("0"), Decimal("0"))
    with transaction.atomic():
        held = locked_journal_lines(ids)
        found = {line.pk for line in held}
        problems = [LineProblem(f"line {pk}", "it is no longer in the journal: posted or deleted meanwhile")
                    for pk in sorted(set(ids) - found)]
        problems += journal_line_problems(merchant=merchant, lines=held)
        if problems:
            raise JournalLinesNotPostable(problems)
        entries = ItemLedgerEntry.objects.bulk_create([
            ItemLedgerEntry(merchant=merchant, item_id=line.item_id, variant_code=line.variant_code,
                            location_id=line.location_id, posting_date=line.posting_date, entry_type=line.entry_type,
                            quantity=signed_quantity(line), document_no=line.document_no,
                            description=line.description or line.item.description[:100])
            for line in held], batch_size=500)
        ItemJournalLine.objects.filter(pk__in=found).delete()
    moves = [signed_quantity(line) for line in held]
    logger.info("item journal posted: merchant=%s lines=%d", merchant.code, len(held))
    return PostedJournal(tuple(entry.pk for entry in entries), sum((q for q in moves if q > 0), Decimal("0")),
                         -sum((q for q in moves if q < 0), Decimal("0")))


def counted_lines(*, merchant, location: Location, counts: dict[tuple[str, str], Decimal | int | str],
                  posting_date: date, document_no: str = "") -> list[ItemJournalLine]:
    """The item journal lines that bring the stock on hand at `location` to what was counted there
    (Business Central's physical inventory journal), saved for a person to look over and post.

    `counts` maps (item no., variant code) to the quantity counted. Where more was counted than the
    item ledger entries hold, a positive adjustment of the difference; where less, a negative one;
    where they agree, no line. Raises UnknownRecords for an item the books do not hold and
    JournalLinesNotPostable (no line made) for a count that could not be posted: a service, a blocked
    item, a variant the item does not have, a negative count. Three queries, and one to save."""
    counted = {key: Decimal(str(quantity)) for key, quantity in counts.items()}
    numbers = {number for number, _ in counted}
    items = {item.number: item for item in Item.objects.filter(merchant=merchant, number__in=numbers)}
    if numbers - set(items):
        raise UnknownRecords("item", numbers - set(items))
    on_hand = {(key.item, key.variant): quantity
               for key, quantity in stock(merchant, items=numbers, location=location.code).items()}
    lines, problems = [], []
    for (number, variant), quantity in sorted(counted.items()):
        difference = quantity - on_hand.get((number, variant), Decimal("0"))
        line = ItemJournalLine(merchant=merchant, posting_date=posting_date, item=items[number], variant_code=variant,
                               location=location, quantity=abs(difference), document_no=document_no,
                               description=PHYSICAL_INVENTORY,
                               entry_type=EntryType.POSITIVE_ADJUSTMENT if difference > 0
                               else EntryType.NEGATIVE_ADJUSTMENT)
        if quantity < 0:
            problems.append(LineProblem(line_label(line), f"the count is {quantity}: a count cannot be negative",
                                        "quantity"))
        elif difference:
            lines.append(line)
    problems += journal_line_problems(merchant=merchant, lines=lines)
    if problems:
        raise JournalLinesNotPostable(problems, outcome="no line was made")
    return ItemJournalLine.objects.bulk_create(lines, batch_size=500)


def item_journal_uses(merchant_id: int, numbers: Collection[str]) -> list[str]:
    """core.in_use: an item on lines of the item journal is not deleted (the lines are, or posted,
    first). One query."""
    named = (ItemJournalLine.objects.filter(merchant_id=merchant_id, item__number__in=numbers)
             .values_list("item__number", flat=True).distinct().order_by("item__number"))
    return [f"item {number} is on lines of the item journal" for number in named]
