"""Refunds of an order made to a specification, as a merchant makes them in the admin (the control
API's POST /_simulator/orders/custom/refund reads them here; store.custom_orders applies them):

    {"lines"?: [{"id": LineItem GID, "quantity", "restock_type": "RETURN" | "NO_RESTOCK" | "CANCEL",
                 "subtotal"? (default: the line's discounted price share), "tax"? (default: its tax share)}],
     "shipping"?: {"subtotal"? (default: what is left of the shipping price), "tax"? (default: its tax left)},
     "amount"? (paid back; default: lines and shipping, with their tax when prices exclude it),
     "pending"?: false, "exchange"?: [new lines, as the specification's "lines" without discounts]}

Amounts are in the order's currency. A refund is kept as its `RefundSpec` and made again each time the
order is (CustomOrder applies its refunds in order after the sale), so it is the generated orders'
records (RefundRecord, RefundLineRecord, their REFUND transactions; an exchange's ReturnRecord) and
every view serves it unchanged. The last units of a line refunded take what is left of its value and
tax, so refunds of a line sum to it exactly.

- The money goes back through the gateways that took it (AfterSales._refund_money); a pending
  refund's transactions are PENDING until settled (`settled_at`), and count as refunded from then.
- An even exchange takes shipped units back (restocked, RETURN, or written off, NO_RESTOCK) and adds
  its new lines, shipped at once, worth what comes back: a CLOSED return with the new lines, its
  refund with the returned units and no transaction (no money moves).
- Refused with OrderSpecError (nothing changes): a line the order does not have, more units than
  are left to refund of it, more of a line's or the shipping's value or tax than is left, a negative
  amount, more money than the order has left to pay back, an uneven exchange.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from shopify_simulator.store.money import ZERO, Money, split_proportionally, total
from shopify_simulator.store.order_spec import LineSpec, OrderSpecError, check_fields, read_amount, read_line
from shopify_simulator.store.records import (
    FulfillmentOrderRecord,
    LineRecord,
    RefundLineRecord,
    RefundRecord,
    ReturnLineRecord,
    ReturnRecord,
)

if TYPE_CHECKING:
    from shopify_simulator.store.catalog import Catalog
    from shopify_simulator.store.profiles import ShopProfile, TaxRate

RESTOCK_TYPES = ("RETURN", "NO_RESTOCK", "CANCEL")
NOT_SETTLED = 253_402_300_799     # 9999-12-31T23:59:59Z: a pending refund's transactions settle when told
# Refund, return and fulfillment order IDs are the order's ID × 10 + a count below 10; a custom order
# has two fulfillment orders at most, and each exchange adds one.
MAX_REFUNDS = 7
_REFUND_FIELDS = {"lines", "shipping", "amount", "pending", "exchange"}
_LINE_FIELDS = {"id", "quantity", "restock_type", "subtotal", "tax"}
_SHIPPING_FIELDS = {"subtotal", "tax"}


class NoSuchRefund(OrderSpecError):
    """The order has no refund of that ID."""

    status = 404


@dataclass(frozen=True)
class RefundLineSpec:
    line_index: int               # the LineRecord's index (its LineItem GID's count)
    gid: str
    quantity: int
    restock_type: str
    subtotal: Decimal | None      # None: the line's share
    tax: Decimal | None


@dataclass(frozen=True)
class RefundSpec:
    time: int                                             # epoch seconds
    lines: tuple[RefundLineSpec, ...]
    shipping: tuple[Decimal | None, Decimal | None] | None   # (subtotal, tax); None: no shipping refunded
    amount: Decimal | None                                # None: what the lines and shipping are worth
    is_pending: bool
    exchange: tuple[LineSpec, ...] = ()
    exchange_indexes: tuple[int, ...] = ()                # the new lines' indexes, given when read
    settled_at: int = 0                                   # a pending refund's, once settled

    def settled(self, at: int) -> "RefundSpec":
        return replace(self, settled_at=at)


def read_refund_spec(given, *, line_index_of, fresh_index: int, profile: "ShopProfile", catalog: "Catalog",
                     at: int) -> RefundSpec:
    """The refund `given` describes, at `at` (epoch seconds). `line_index_of(gid)` is the index of the
    order's line with that LineItem GID (None: no such line); an exchange's new lines take indexes
    from `fresh_index` on. What only the order can tell (what is left) is checked when it is applied."""
    check_fields(given, _REFUND_FIELDS, "the refund")
    lines = given.get("lines") or []
    if not isinstance(lines, list):
        raise OrderSpecError("the refund's \"lines\" is a list")
    line_specs = tuple(_line(entry, position, line_index_of) for position, entry in enumerate(lines))
    shipping = _shipping(given["shipping"]) if given.get("shipping") is not None else None
    amount = read_amount(given["amount"], "the refund's amount") if given.get("amount") is not None else None
    is_pending = given.get("pending", False)
    if not isinstance(is_pending, bool):
        raise OrderSpecError(f"\"pending\" is true or false, not {is_pending!r}")
    exchange = given.get("exchange") or []
    if not isinstance(exchange, list):
        raise OrderSpecError("\"exchange\" is a list of new lines")
    new_lines = tuple(read_line(entry, position, profile=profile, catalog=catalog, what="exchange line")
                      for position, entry in enumerate(exchange))
    if any(line.item.is_gift_card for line in new_lines):
        raise OrderSpecError("an exchange's new lines are goods, not gift cards")
    if new_lines:
        if not line_specs:
            raise OrderSpecError("an exchange takes lines back: give them in \"lines\"")
        if shipping is not None or is_pending:
            raise OrderSpecError("an exchange moves no money: it refunds no shipping and is never pending")
        if any(line.restock_type == "CANCEL" for line in line_specs):
            raise OrderSpecError("an exchange takes back shipped units: RETURN or NO_RESTOCK, not CANCEL")
        amount = None     # ignored: the exchange's refund has no transaction
    elif not line_specs and shipping is None and amount is None:
        raise OrderSpecError("a refund needs \"lines\", \"shipping\", an \"amount\" or an \"exchange\"")
    return RefundSpec(at, line_specs, shipping, amount, is_pending, new_lines,
                      tuple(range(fresh_index, fresh_index + len(new_lines))))


def _line(given, position: int, line_index_of) -> RefundLineSpec:
    where = f"refund line {position + 1}"
    check_fields(given, _LINE_FIELDS, where)
    gid = given.get("id")
    index = line_index_of(gid) if isinstance(gid, str) else None
    if index is None:
        raise OrderSpecError(f"{where}: the order has no line {gid!r}")
    quantity = given.get("quantity")
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        raise OrderSpecError(f"{where}: the quantity is a whole number from 1, not {quantity!r}")
    restock_type = given.get("restock_type")
    if restock_type not in RESTOCK_TYPES:
        raise OrderSpecError(f"{where}: \"restock_type\" is one of {', '.join(RESTOCK_TYPES)}, not {restock_type!r}")
    subtotal = read_amount(given["subtotal"], f"{where}'s subtotal") if given.get("subtotal") is not None else None
    tax = read_amount(given["tax"], f"{where}'s tax") if given.get("tax") is not None else None
    return RefundLineSpec(index, gid, quantity, restock_type, subtotal, tax)


def _shipping(given) -> tuple[Decimal | None, Decimal | None]:
    check_fields(given, _SHIPPING_FIELDS, "the refund's \"shipping\"")
    subtotal, tax = given.get("subtotal"), given.get("tax")
    return (None if subtotal is None else read_amount(subtotal, "the refunded shipping's subtotal"),
            None if tax is None else read_amount(tax, "the refunded shipping's tax"))


class CustomRefunds:
    """How a CustomOrder applies its refunds: on the records the generated orders' refunds use."""

    def _apply_refund(self, spec: RefundSpec) -> None:
        if len(self.refunds) >= MAX_REFUNDS:
            raise OrderSpecError(f"the order {self.name} has {MAX_REFUNDS} refunds: the simulator keeps no more")
        refund = RefundRecord(self._child_id("refund", 10), spec.time, None, False)
        done = self._refunded_so_far()
        lines = {line.index: line for line in self.lines + self.exchange_lines_at(spec.time)}
        for position, given in enumerate(spec.lines):
            where = f"refund line {position + 1}"
            line = lines.get(given.line_index)
            if line is None:
                raise OrderSpecError(f"{where}: the order {self.name} has no line {given.gid!r}")
            left = line.quantity - done.get(line.index, 0)
            if given.quantity > left:
                raise OrderSpecError(f"{where}: {given.quantity} of {line.item.name} is more than the {left} "
                                     f"left to refund")
            earlier = self._refund_lines_of(line) + [record for record in refund.lines if record.line is line]
            value_left = line.discounted - total(record.subtotal for record in earlier)
            taxes_left = [(rate, amount - total(a for record in earlier for t, a in record.taxes if t == rate))
                          for rate, amount in line.taxes]
            is_last = given.quantity == left
            subtotal = self._given_or(given.subtotal, value_left if is_last
                                      else line.discounted.share(given.quantity, line.quantity))
            taxes = self._taxes(given.tax, taxes_left if is_last
                                else [(rate, amount.share(given.quantity, line.quantity))
                                      for rate, amount in line.taxes], where)
            self._within(subtotal, value_left, f"{where}: its subtotal")
            self._within(total(amount for _, amount in taxes), total(amount for _, amount in taxes_left),
                         f"{where}: its tax")
            refund.lines.append(RefundLineRecord(refund.id * 1000 + len(refund.lines) + 1, line, given.quantity,
                                                 given.restock_type, subtotal, taxes))
            done[line.index] = done.get(line.index, 0) + given.quantity
        if spec.shipping is not None:
            refund.shipping = self._shipping_refund(refund.id, *spec.shipping)
        included = self.profile.taxes_included
        due = total(record.subtotal + (ZERO if included else record.tax) for record in refund.lines)
        if refund.shipping is not None:
            _, _, subtotal, taxes = refund.shipping
            due = due + subtotal + (ZERO if included else total(amount for _, amount in taxes))
        refund.amount_due = due
        if spec.exchange:
            self._exchange(refund, spec)
            return
        amount = due if spec.amount is None else self._money(spec.amount)
        refundable = self._refundable(spec.time)
        if amount.presentment > refundable.presentment:
            raise OrderSpecError(f"the refund pays back {amount.presentment}, more than the "
                                 f"{refundable.presentment} the order has left to pay back")
        self.refunds.append(refund)
        self._refund_money(refund, amount)
        if spec.is_pending:
            if not refund.transactions:
                raise OrderSpecError("a pending refund pays money back: this one pays nothing")
            for record in refund.transactions:
                record.settled = spec.settled_at or NOT_SETTLED

    def _given_or(self, given: Decimal | None, default: Money) -> Money:
        return default if given is None else self._money(given)

    def _taxes(self, given: Decimal | None, default: list[tuple["TaxRate", Money]],
               where: str) -> list[tuple["TaxRate", Money]]:
        """`given` split over the tax lines in proportion to `default` (None: `default`)."""
        if given is None:
            return default
        if not default:
            if given:
                raise OrderSpecError(f"{where}: there is no tax to refund, not {given}")
            return []
        weights = [amount.presentment for _, amount in default]
        if not any(weights):
            weights = [Decimal(1)] * len(default)
        return list(zip([rate for rate, _ in default], split_proportionally(self._money(given), weights)))

    @staticmethod
    def _within(amount: Money, left: Money, what: str) -> None:
        if amount.presentment > left.presentment:
            raise OrderSpecError(f"{what}, {amount.presentment}, is more than the {left.presentment} left to refund")

    def _shipping_refund(self, refund_id: int, subtotal: Decimal | None, tax: Decimal | None):
        shipping = self.shipping
        if shipping is None:
            raise OrderSpecError(f"the order {self.name} has no shipping line to refund")
        earlier = [refund.shipping for refund in self.refunds if refund.shipping is not None]
        value_left = shipping.discounted - total(part[2] for part in earlier)
        taxes_left = [(rate, amount - total(a for part in earlier for t, a in part[3] if t == rate))
                      for rate, amount in shipping.taxes]
        refunded = self._given_or(subtotal, value_left)
        taxes = self._taxes(tax, taxes_left, "the refunded shipping")
        self._within(refunded, value_left, "the refunded shipping")
        self._within(total(amount for _, amount in taxes), total(amount for _, amount in taxes_left),
                     "the refunded shipping's tax")
        return refund_id * 10 + 1, shipping, refunded, taxes

    def _refundable(self, moment: int) -> Money:
        """What the order has taken by `moment` and not yet paid back (pending refunds paid back too)."""
        left = ZERO
        for record in self.transactions:
            if record.time > moment or record.status != "SUCCESS":
                continue
            if record.kind in ("SALE", "CAPTURE"):
                left = left + record.amount
            elif record.kind == "REFUND":
                left = left - record.amount
        return left

    def _exchange(self, refund: RefundRecord, spec: RefundSpec) -> None:
        """An even exchange: a CLOSED return of the refund's units, the new lines shipped at once, and
        the refund with no transaction (as AfterSales._exchange_refund makes a generated one)."""
        new_lines = []
        for index, given in zip(spec.exchange_indexes, spec.exchange):
            line = self._line(index, given)
            line.added_at = spec.time
            new_lines.append(line)
        worth = self.total_for(new_lines) - self.total_for([])    # the new lines with their tax, as sold
        if worth != refund.amount_due:
            raise OrderSpecError(f"an even exchange's new lines are worth what comes back: "
                                 f"{worth.presentment} given for {refund.amount_due.presentment}")
        for position, record in enumerate(refund.lines):
            if not self._is_shipped(record.line, spec.time):
                raise OrderSpecError(f"refund line {position + 1}: an exchange takes back shipped units, and "
                                     f"{record.line.item.name} has not shipped")
        returned = ReturnRecord(self._child_id("return", 10), f"{self.name}-R{len(self.returns) + 1}", spec.time,
                                "CLOSED")
        for record in refund.lines:
            line = ReturnLineRecord(returned.id * 1000 + len(returned.lines) + 1, record.line, record.quantity,
                                    "UNKNOWN", "", None, is_restocked=record.restock_type == "RETURN")
            line.refund_line = record
            returned.lines.append(line)
        returned.exchange_lines.extend(new_lines)
        returned.refund, refund.return_record = refund, returned
        self.fulfillment_orders.append(FulfillmentOrderRecord(
            self.legacy_id * 10 + len(self.fulfillment_orders) + 1, 0, new_lines, spec.time, spec.time))
        self.returns.append(returned)
        self.refunds.append(refund)

    def _is_shipped(self, line: LineRecord, moment: int) -> bool:
        return any(line in record.lines and 0 < record.shipped <= moment for record in self.fulfillment_orders)
