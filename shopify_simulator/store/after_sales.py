"""The after-sale half of a generated order: its refunds (whole, partial, on cancellation, their money
given back through the gateways that took it, settling later for card and PayPal), and the return the
plan gives a shipped order (store.returns decides its kind) with an even exchange's refund.

`AfterSales` is a base of `GeneratedOrder` (store.orders), which calls these steps in order as it is
built: they draw on the order's content stream and child IDs, so the generated order stays the same
byte for byte. They read the order's plan, profile, lines, shipping, transactions and return desk.
"""
from __future__ import annotations

from shopify_simulator.store.money import (
    ZERO,
    Money,
    cents,
    total,
)
from shopify_simulator.store.random_source import RandomSource
from shopify_simulator.store.records import (
    LineRecord,
    RefundLineRecord,
    RefundRecord,
    ReturnRecord,
    TransactionRecord,
)
from shopify_simulator.store.timeline import (
    CANCELLED,
    FULL_REFUND,
    TWO_REFUNDS,
)

PENDING_REFUND_GATEWAYS = frozenset({"shopify_payments", "paypal"})   # a gift card or manual refund is at once
_REFUND_NOTES = ("Returned: wrong size", "Damaged in transit", "Customer changed their mind", None,
                 "Item out of stock", None)


class AfterSales:
    """Refunds, returns and exchanges of a `GeneratedOrder`."""

    # Refunds ------------------------------------------------------------------------------------
    def _refund(self, rng: RandomSource) -> None:
        plan = self.plan
        if plan.story == CANCELLED:
            self._add_refund(plan.cancelled, rng, whole=True, is_cancellation=True)
        elif plan.story == FULL_REFUND:
            self._add_refund(plan.refunds[0], rng, whole=True, settled=plan.refund_settled(0))
        elif plan.refunds:
            for position, moment in enumerate(plan.refunds):
                self._add_refund(moment, rng, whole=False, with_shipping=position == 0 and rng.chance(0.15),
                                 settled=plan.refund_settled(position))

    def _shipped_by(self, line: LineRecord, moment: int) -> bool:
        shipments = self.plan.shipments
        if line.item.is_gift_card:
            return True
        return len(shipments) > line.location and 0 < shipments[line.location] <= moment

    def _add_refund(self, moment: int, rng: RandomSource, *, whole: bool, with_shipping: bool = False,
                    is_cancellation: bool = False, settled: int = 0) -> None:
        """A refund at `moment`; its card or PayPal money settles at `settled` (at once when earlier)."""
        note = None if is_cancellation else rng.choice(_REFUND_NOTES)
        returned: list[tuple[RefundLineRecord, str]] = []
        refund = RefundRecord(self._child_id("refund", 10), moment, note, is_cancellation)
        done = self._refunded_so_far()
        lines = self.lines_at(moment)
        if whole:
            chosen = [(line, line.quantity - done.get(line.index, 0)) for line in lines]
        else:
            open_lines = [line for line in lines if line.quantity > done.get(line.index, 0)]
            goods = [line for line in open_lines if not line.item.is_gift_card] or open_lines
            line = rng.choice(goods)
            left = line.quantity - done.get(line.index, 0)
            # The first of two refunds takes one unit, so the second has something left.
            single = left == 1 or rng.chance(0.7) or self.plan.story == TWO_REFUNDS
            chosen = [(line, 1 if single else rng.between(1, left))]
        for line, quantity in chosen:
            if quantity <= 0:
                continue
            left = line.quantity - done.get(line.index, 0)
            if quantity == left:
                # The last units take what is left, so refunds of a line sum to it exactly.
                earlier = self._refund_lines_of(line)
                subtotal = line.discounted - total(r.subtotal for r in earlier)
                taxes = [(rate, amount - total(a for r in earlier for t, a in r.taxes if t == rate))
                         for rate, amount in line.taxes]
            else:
                subtotal = line.discounted.share(quantity, line.quantity)
                taxes = [(rate, amount.share(quantity, line.quantity)) for rate, amount in line.taxes]
            reason = None
            if line.item.is_gift_card:
                restock = "NO_RESTOCK"
            elif self._shipped_by(line, moment):
                reason = self._returns.reason(note)      # shipped goods come back: a return
                restock = self._returns.restock_type(reason)
            else:
                restock = "CANCEL"
            refund.lines.append(RefundLineRecord(refund.id * 1000 + len(refund.lines) + 1, line, quantity, restock,
                                                 subtotal, taxes))
            if reason is not None:
                returned.append((refund.lines[-1], reason))
        shipping = self.shipping
        if shipping is not None and (whole or with_shipping) and not shipping.discounted.is_zero \
                and not any(r.shipping for r in self.refunds):
            refund.shipping = (refund.id * 10 + 1, shipping, shipping.discounted, list(shipping.taxes))
        included = self.profile.taxes_included
        due = ZERO
        for record in refund.lines:
            due = due + record.subtotal + (ZERO if included else record.tax)
        if refund.shipping is not None:
            _, _, subtotal, taxes = refund.shipping
            due = due + subtotal + (ZERO if included else total(a for _, a in taxes))
        refund.amount_due = due
        self.refunds.append(refund)
        self._refund_money(refund, due)
        for record in refund.transactions:
            if record.gateway in PENDING_REFUND_GATEWAYS:
                record.settled = max(record.time, settled)
        self._returns.refunded_return(refund, returned)

    def _refund_lines_of(self, line: LineRecord) -> list[RefundLineRecord]:
        return [record for refund in self.refunds for record in refund.lines if record.line is line]

    def _refunded_so_far(self) -> dict[int, int]:
        done: dict[int, int] = {}
        for refund in self.refunds:
            for record in refund.lines:
                done[record.line.index] = done.get(record.line.index, 0) + record.quantity
        return done

    def _refund_money(self, refund: RefundRecord, due: Money) -> None:
        """Give `due` back through the gateways that took money: the card (or other) first, gift cards last."""
        received: dict[str, Money] = {}
        last_payment: dict[str, TransactionRecord] = {}
        for record in self.transactions:
            if record.time > refund.time or record.status != "SUCCESS":
                continue
            if record.kind in ("SALE", "CAPTURE"):
                received[record.gateway] = received.get(record.gateway, ZERO) + record.amount
                last_payment[record.gateway] = record
            elif record.kind == "REFUND":
                received[record.gateway] = received.get(record.gateway, ZERO) - record.amount
        left = due
        for gateway in sorted(received, key=lambda name: name == "gift_card"):
            if left.shop <= 0:
                break
            available = received[gateway]
            if available.shop <= 0:
                continue
            amount = left if left.shop <= available.shop else available
            record = TransactionRecord(self._child_id("transaction", 100), "REFUND", "SUCCESS", gateway,
                                       refund.time, amount, last_payment[gateway])
            if gateway == "shopify_payments" and self.profile.fee.refunds_fees:
                record.fee_rate = self.profile.fee.rate
                record.fee = -cents(amount.shop * record.fee_rate)
            refund.transactions.append(record)
            self.transactions.append(record)
            left = left - amount

    # Returns ------------------------------------------------------------------------------------
    def _own_return(self) -> None:
        """The return the plan gives a shipped order with no story (store.returns decides its kind)."""
        moment = self.plan.return_opened
        if not moment:
            return
        shipped = [line for line in self.lines if not line.item.is_gift_card and self._shipped_by(line, moment)]
        record = self._returns.own_return(moment=moment, shipped=shipped, goods=self.generator._goods,
                                          next_index=len(self.lines) + (1 if self.edit_line else 0),
                                          fulfillment_orders=self.fulfillment_orders,
                                          fulfillment_id=self.legacy_id * 10 + len(self.fulfillment_orders) + 1)
        if record is not None and record.exchange_lines:
            self._exchange_refund(record)

    def _exchange_refund(self, record: ReturnRecord) -> None:
        """The refund of an even exchange, as Shopify records one: the returned units as refund lines
        (back on the shelf of the location that shipped them) with their value and tax, and no
        transaction: that value pays for the exchange's new line, so no money moves."""
        refund = RefundRecord(self._child_id("refund", 10), record.time, None, False)
        for returned in record.lines:
            line, quantity = returned.line, returned.quantity
            taxes = [(rate, amount.share(quantity, line.quantity)) for rate, amount in line.taxes]
            refund_line = RefundLineRecord(refund.id * 1000 + len(refund.lines) + 1, line, quantity, "RETURN",
                                           line.discounted.share(quantity, line.quantity), taxes)
            refund.lines.append(refund_line)
            returned.refund_line = refund_line
        included = self.profile.taxes_included
        refund.amount_due = total(r.subtotal + (ZERO if included else r.tax) for r in refund.lines)
        refund.return_record, record.refund = record, refund
        self.refunds.append(refund)

    def exchange_lines_at(self, now_s: int) -> list[LineRecord]:
        """Lines that exchanges added to the order by `now_s`."""
        return [line for record in self.returns if record.time <= now_s for line in record.exchange_lines]
