"""Shopify Payments disputes (chargebacks) of a generated store, and the money they move.

A dispute belongs to the local day its order was created (its source day): each source day, with
a chance of DISPUTE_CHANCE, one order created that day is disputed, so no order is disputed twice and
a day's disputes are found without building any order but the disputed ones. The cardholder's bank
opens it 10 to 45 days later (never before the charge): the disputed amount is the order's largest
charge, less what was refunded to the card by then.

Its course, drawn from a stream of its own (existing orders and payouts are unchanged):
- NEEDS_RESPONSE from initiatedAt; evidence is due 7 to 14 days later (evidenceDueBy);
- the merchant accepts it (ACCEPTED a few days later), or sends evidence (evidenceSentOn, then
  UNDER_REVIEW) and the bank decides 14 to 60 days later: WON or LOST (finalizedOn).
Money, in the payout of the local day it happens: when opened, a DISPUTE_WITHDRAWAL of the amount
and a CHARGEBACK_FEE (amount 0, the fee as its fee); when WON, a DISPUTE_REVERSAL of the amount and
a CHARGEBACK_FEE_REFUND (the fee given back as a negative fee, as refunds give fees back). LOST and
ACCEPTED move nothing more.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Iterator
from zoneinfo import ZoneInfo

from shopify_simulator.store.money import money_v2
from shopify_simulator.store.orders import OrderGenerator
from shopify_simulator.store.random_source import RandomSource, stream_key
from shopify_simulator.store.timeline import to_seconds
from shopify_simulator.store.view_writer import iso

DISPUTE_CHANCE = 0.15                 # per source day
OPENED_AFTER = (10, 45)               # days from the source day to the bank opening the dispute
EVIDENCE_DUE = (7, 14)                # days from opening
DECIDED_AFTER = (14, 60)              # days from the evidence to the bank's decision
LONGEST = OPENED_AFTER[1] + EVIDENCE_DUE[1] + DECIDED_AFTER[1]   # source day to a reversal, at most
OUTCOMES = (("WON", 0.40), ("LOST", 0.45), ("ACCEPTED", 0.15))
# The reason the bank gives, and a Visa reason code for it.
REASONS = (("FRAUDULENT", "10.4", 0.35), ("PRODUCT_NOT_RECEIVED", "13.1", 0.25),
           ("PRODUCT_UNACCEPTABLE", "13.3", 0.15), ("UNRECOGNIZED", "10.4", 0.08),
           ("CREDIT_NOT_PROCESSED", "13.6", 0.07), ("DUPLICATE", "12.6.1", 0.05), ("GENERAL", "13.7", 0.05))
# Shopify Payments' chargeback fee, by payout currency (a simulator choice; the real fee varies).
CHARGEBACK_FEES = {"USD": Decimal("15.00"), "EUR": Decimal("15.00"), "GBP": Decimal("15.00"),
                   "AUD": Decimal("25.00"), "CAD": Decimal("15.00")}
_ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Dispute:
    legacy_id: int
    source_day: date
    order_number: int
    order_gid: str
    order_name: str
    charge_transaction_id: int
    amount: Decimal
    fee: Decimal
    reason: str
    network_reason_code: str
    outcome: str                        # WON, LOST or ACCEPTED
    initiated_at: datetime
    evidence_due_by: date
    evidence_sent_on: date | None
    finalized_on: date
    decided_at: datetime                # when the outcome shows (finalizedOn, local morning)

    @property
    def gid(self) -> str:
        return f"gid://shopify/ShopifyPaymentsDispute/{self.legacy_id}"

    def status(self, now: datetime, zone: ZoneInfo) -> str:
        if now >= self.decided_at:
            return self.outcome
        if self.evidence_sent_on is not None and now >= _local(self.evidence_sent_on, time(8), zone):
            return "UNDER_REVIEW"
        return "NEEDS_RESPONSE"

    def view(self, now: datetime, zone: ZoneInfo, currency: str) -> dict:
        """The ShopifyPaymentsDispute as GraphQL answers at `now` (its order is added by the resolver)."""
        decided = now >= self.decided_at
        sent = self.evidence_sent_on if self.evidence_sent_on is not None \
            and now >= _local(self.evidence_sent_on, time(8), zone) else None
        return {
            "__typename": "ShopifyPaymentsDispute",
            "id": self.gid,
            "legacyResourceId": str(self.legacy_id),
            "amount": money_v2(self.amount, currency),
            "initiatedAt": iso(to_seconds(self.initiated_at)),
            "evidenceDueBy": self.evidence_due_by.isoformat(),
            "evidenceSentOn": sent.isoformat() if sent else None,
            "finalizedOn": self.finalized_on.isoformat() if decided else None,
            "reasonDetails": {"reason": self.reason, "networkReasonCode": self.network_reason_code},
            "status": self.status(now, zone),
            "type": "CHARGEBACK",
        }


class DisputeBook:
    """The disputes of one shop, found by source day, opening day or decision day."""

    def __init__(self, generator: OrderGenerator, currency: str, zone: ZoneInfo) -> None:
        self.generator = generator
        self.zone = zone
        self.fee = CHARGEBACK_FEES.get(currency, Decimal("15.00"))
        self._key = stream_key(generator.seed, generator.profile.handle, "disputes")
        self.id_base = 30_000_000 + (generator.order_id_base - 5_000_000_000) // 10
        self._found: dict[date, Dispute | None] = {}

    # The draws of a source day, without building its order ---------------------------------------
    def _plan(self, source_day: date) -> tuple | None:
        rng = RandomSource(self._key, source_day.toordinal())
        if not rng.chance(DISPUTE_CHANCE):
            return None
        pick = rng.random()
        opened = source_day + timedelta(days=rng.between(*OPENED_AFTER))
        opened_at = _local(opened, time(8), self.zone) + timedelta(seconds=rng.below(12 * 3600))
        due = opened + timedelta(days=rng.between(*EVIDENCE_DUE))
        outcome = rng.weighted(OUTCOMES)
        if outcome == "ACCEPTED":
            sent, finalized = None, opened + timedelta(days=rng.between(1, (due - opened).days))
        else:
            sent = opened + timedelta(days=rng.between(1, (due - opened).days))
            finalized = sent + timedelta(days=rng.between(*DECIDED_AFTER))
        reason, code = rng.weighted([((r, c), w) for r, c, w in REASONS])
        decided_at = _local(finalized, time(9), self.zone) + timedelta(seconds=rng.below(3 * 3600))
        return pick, opened_at, due, sent, finalized, decided_at, outcome, reason, code

    def opening_day(self, source_day: date) -> date | None:
        plan = self._plan(source_day)
        return None if plan is None else plan[1].astimezone(self.zone).date()

    def decision_day(self, source_day: date) -> date | None:
        plan = self._plan(source_day)
        return None if plan is None else plan[4]

    # Disputes ---------------------------------------------------------------------------------------
    def of_source_day(self, source_day: date) -> Dispute | None:
        """The dispute of an order created on `source_day`, if any (builds that one order)."""
        if source_day in self._found:
            return self._found[source_day]
        found = self._build(source_day)
        self._found[source_day] = found
        return found

    def _build(self, source_day: date) -> Dispute | None:
        plan = self._plan(source_day)
        if plan is None:
            return None
        pick, opened_at, due, sent, finalized, decided_at, outcome, reason, code = plan
        generator = self.generator
        start = _local(source_day, time.min, self.zone)
        first = generator.first_number_created_at_or_after(start)
        last = generator.first_number_created_at_or_after(_local(source_day + timedelta(days=1), time.min, self.zone))
        if first >= last:
            return None
        order = generator.order(first + int(pick * (last - first)))
        events = order.balance_events(opened_at)
        charges = [event for event in events if event["kind"] == "CHARGE"]
        if not charges:
            return None
        charge = max(charges, key=lambda event: event["amount"])
        # The charge, less what was refunded to the card by then (refunds are negative).
        amount = min(charge["amount"], sum((event["amount"] for event in events), _ZERO))
        if amount <= 0:
            return None
        return Dispute(
            legacy_id=self.id_base + source_day.toordinal(), source_day=source_day, order_number=order.number,
            order_gid=order.gid, order_name=order.name, charge_transaction_id=charge["transaction_id"],
            amount=amount, fee=self.fee, reason=reason, network_reason_code=code, outcome=outcome,
            initiated_at=opened_at, evidence_due_by=due, evidence_sent_on=sent, finalized_on=finalized,
            decided_at=decided_at)

    def source_day_of(self, gid: str) -> date | None:
        prefix = "gid://shopify/ShopifyPaymentsDispute/"
        if not gid.startswith(prefix) or not gid[len(prefix):].isdigit():
            return None
        try:
            return date.fromordinal(int(gid[len(prefix):]) - self.id_base)
        except (ValueError, OverflowError):
            return None

    def opened_on(self, day: date) -> Iterator[Dispute]:
        """Disputes the bank opened on local `day`."""
        for back in range(OPENED_AFTER[0], OPENED_AFTER[1] + 1):
            source = day - timedelta(days=back)
            if self.opening_day(source) == day:
                dispute = self.of_source_day(source)
                if dispute is not None:
                    yield dispute

    def won_on(self, day: date) -> Iterator[Dispute]:
        """Disputes decided in the merchant's favour on local `day`."""
        for back in range(OPENED_AFTER[0] + 1, LONGEST + 1):
            source = day - timedelta(days=back)
            plan = self._plan(source)
            if plan is None or plan[6] != "WON" or plan[5].astimezone(self.zone).date() != day:
                continue
            dispute = self.of_source_day(source)
            if dispute is not None:
                yield dispute

    def opened_by(self, now: datetime) -> list[Dispute]:
        """Every dispute opened by `now`, oldest first."""
        generator = self.generator
        if generator.total == 0:
            return []
        first = generator.created_at(0).astimezone(self.zone).date()
        last = now.astimezone(self.zone).date()
        found = []
        day = first
        while day <= last:
            if self._plan(day) is not None and self._plan(day)[1] <= now:
                dispute = self.of_source_day(day)
                if dispute is not None:
                    found.append(dispute)
            day += timedelta(days=1)
        found.sort(key=lambda dispute: (dispute.initiated_at, dispute.legacy_id))
        return found

    # Money --------------------------------------------------------------------------------------
    def movements(self, day: date) -> list[dict]:
        """The balance movements disputes make on local `day`."""
        found = []
        for dispute in self.opened_on(day):
            found.append(_movement(dispute, "DISPUTE_WITHDRAWAL", dispute.initiated_at, -dispute.amount, _ZERO))
            found.append(_movement(dispute, "CHARGEBACK_FEE", dispute.initiated_at, _ZERO, dispute.fee))
        for dispute in self.won_on(day):
            found.append(_movement(dispute, "DISPUTE_REVERSAL", dispute.decided_at, dispute.amount, _ZERO))
            found.append(_movement(dispute, "CHARGEBACK_FEE_REFUND", dispute.decided_at, _ZERO, -dispute.fee))
        return found


def _movement(dispute: Dispute, kind: str, moment: datetime, amount: Decimal, fee: Decimal) -> dict:
    return {"kind": kind, "time": moment, "amount": amount, "fee": fee, "net": amount - fee,
            "source_type": "DISPUTE", "source_id": dispute.legacy_id,
            "order_transaction_id": dispute.charge_transaction_id,
            "order_gid": dispute.order_gid, "order_name": dispute.order_name}


def _local(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone).astimezone(timezone.utc)

