"""Returns of a generated order: which shipped goods come back, why, and whether they go back on the shelf.

Two kinds, as a merchant meets them in Shopify's admin:
- a refund of shipped goods (not a cancellation) pays back a return: the return holds the refund's
  shipped goods lines, each with a reason; it shows from the refund on, CLOSED. Goods returned
  DEFECTIVE are written off (the refund line's restockType NO_RESTOCK, no location); the others go
  back on the shelf of the location that shipped them (RETURN, that location).
- a shipped order with no after-sale story may get a return of its own (its plan's
  `return_opened`): half of those whose goods include a line with another variant of the same
  product at the same price (another size), undiscounted, become exchanges: one unit comes back and
  one unit of the other variant ships at once, CLOSED, no money moving (the order makes the return's
  refund: the returned unit as a refund line, restocked, worth what the new line costs, with no
  transaction); the rest are waiting, OPEN (approved, goods on their way back) or, one in three,
  REQUESTED (not yet approved), never refunded.

Reasons and notes come from a stream of their own ("returns"), so an order's content and money
stay what they were without returns.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from shopify_simulator.store.random_source import RandomSource
from shopify_simulator.store.records import (
    FulfillmentOrderRecord,
    LineRecord,
    RefundLineRecord,
    RefundRecord,
    ReturnLineRecord,
    ReturnRecord,
)

if TYPE_CHECKING:
    from shopify_simulator.store.profiles import CatalogItem

RETURN_REASONS = (("SIZE_TOO_SMALL", 13), ("SIZE_TOO_LARGE", 13), ("UNWANTED", 22), ("NOT_AS_DESCRIBED", 10),
                  ("WRONG_ITEM", 6), ("DEFECTIVE", 16), ("STYLE", 8), ("COLOR", 7), ("OTHER", 5))
NOT_RESELLABLE = frozenset({"DEFECTIVE"})
EXCHANGE_CHANCE = 0.5            # of own returns with a line that can be swapped for another size
REQUESTED_CHANCE = 1 / 3         # of the waiting ones: not yet approved
# A refund's note says why, when it says it.
_REASONS_OF_NOTE = {
    "Returned: wrong size": ("SIZE_TOO_SMALL", "SIZE_TOO_LARGE"),
    "Damaged in transit": ("DEFECTIVE",),
    "Customer changed their mind": ("UNWANTED",),
}
_REASON_NOTES = {
    "OTHER": ("Bought two by mistake", "Arrived after the event", "A gift they already had"),
    "DEFECTIVE": ("Seam came apart", "Arrived damaged", "Stopped working after a week"),
    "NOT_AS_DESCRIBED": ("Colour differs from the photos", "Smaller than described"),
}
_CUSTOMER_NOTES = ("Box unopened", "Sorry for the trouble", "Can I get the other size?")


class ReturnDesk:
    """Decides the returns of one order as its refunds are made, then its own return, if any."""

    def __init__(self, *, key: int, number: int, order_name: str, next_id: Callable[[], int]) -> None:
        self._rng = RandomSource(key, number)
        self._order_name = order_name
        self._next_id = next_id
        self.returns: list[ReturnRecord] = []

    def reason(self, note: str | None) -> str:
        """Why one refunded line of shipped goods came back (its refund's note says, if it does)."""
        known = _REASONS_OF_NOTE.get(note or "")
        return self._rng.choice(known) if known else self._rng.weighted(RETURN_REASONS)

    @staticmethod
    def restock_type(reason: str) -> str:
        return "NO_RESTOCK" if reason in NOT_RESELLABLE else "RETURN"

    def refunded_return(self, refund: RefundRecord, reasons: list[tuple[RefundLineRecord, str]]) -> None:
        """The CLOSED return a refund pays back: its lines of shipped goods with their reasons."""
        if not reasons:
            return
        record = self._new(refund.time, "CLOSED")
        for refund_line, reason in reasons:
            line = self._line(record, refund_line.line, refund_line.quantity, reason,
                              is_restocked=refund_line.restock_type == "RETURN")
            line.refund_line = refund_line
        record.refund = refund
        refund.return_record = record

    def own_return(self, *, moment: int, shipped: list[LineRecord], goods: tuple["CatalogItem", ...],
                   next_index: int, fulfillment_orders: list[FulfillmentOrderRecord],
                   fulfillment_id: int) -> ReturnRecord | None:
        """A return of its own at `moment` from the goods `shipped` by then: an exchange when one can
        be made, else waiting (OPEN or REQUESTED); returns it. An exchange's new line ships at once, in
        a fulfillment order of its own (appended to `fulfillment_orders`); its refund is the order's to
        make (GeneratedOrder)."""
        if not shipped:
            return None
        rng = self._rng
        swappable = [(line, other) for line in shipped if not line.allocations
                     for other in [_other_size(line.item, goods)] if other is not None]
        if swappable and rng.chance(EXCHANGE_CHANCE):
            line, other = rng.choice(swappable)
            record = self._new(moment, "CLOSED")
            self._line(record, line, 1, rng.choice(("SIZE_TOO_SMALL", "SIZE_TOO_LARGE")), is_restocked=True)
            new = LineRecord(next_index, other, 1, line.unit, line.location, moment)
            new.taxes = [(rate, amount.share(1, line.quantity)) for rate, amount in line.taxes]
            record.exchange_lines.append(new)
            fulfillment_orders.append(FulfillmentOrderRecord(fulfillment_id, line.location, [new], moment, moment))
            return record
        record = self._new(moment, "REQUESTED" if rng.chance(REQUESTED_CHANCE) else "OPEN")
        line = rng.choice(shipped)
        quantity = 1 if line.quantity == 1 or rng.chance(0.7) else rng.between(1, line.quantity)
        reason = self.reason(None)
        self._line(record, line, quantity, reason, is_restocked=reason not in NOT_RESELLABLE)
        return record

    def _new(self, moment: int, status: str) -> ReturnRecord:
        record = ReturnRecord(self._next_id(), f"{self._order_name}-R{len(self.returns) + 1}", moment, status)
        self.returns.append(record)
        return record

    def _line(self, record: ReturnRecord, line: LineRecord, quantity: int, reason: str, *,
              is_restocked: bool) -> ReturnLineRecord:
        rng = self._rng
        notes = _REASON_NOTES.get(reason)
        reason_note = rng.choice(notes) if notes and (reason == "OTHER" or rng.chance(0.5)) else ""
        customer_note = rng.choice(_CUSTOMER_NOTES) if rng.chance(0.2) else None
        returned = ReturnLineRecord(record.id * 1000 + len(record.lines) + 1, line, quantity, reason, reason_note,
                                    customer_note, is_restocked)
        record.lines.append(returned)
        return returned


def _other_size(item: "CatalogItem", goods: tuple["CatalogItem", ...]) -> "CatalogItem | None":
    """Another variant of the same product at the same price and tax, if the catalog has one."""
    return next((other for other in goods if other.title == item.title and other.key != item.key
                 and other.price == item.price and other.tax_class == item.tax_class), None)
