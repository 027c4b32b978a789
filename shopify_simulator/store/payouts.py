"""Shopify Payments payouts and balance transactions of a generated store.

One payout per local day with Shopify Payments activity: it holds that day's movements (a CHARGE
for each successful SALE or CAPTURE, with its fee; a REFUND, negative, for each successful refund,
with any fee given back as a negative fee; net = amount − fee). The payout is issued the next day at
09:00 local time; it is SCHEDULED until then, IN_TRANSIT from then, PAID two days later. Test
orders never reach a payout.

A day's movements come from the orders created in [day start − MAX_EVENT_DELAY, day end), found by
binary search on creation time; orders whose plan moves no card money that day are skipped without
building them. Ended days are cached: nothing can change them any more.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Callable, Iterable, Iterator
from zoneinfo import ZoneInfo

from shopify_simulator.store.money import money_v2
from shopify_simulator.store.order_view import iso
from shopify_simulator.store.orders import GeneratedOrder, OrderGenerator
from shopify_simulator.store.profiles import ShopProfile
from shopify_simulator.store.timeline import (
    MAX_EVENT_DELAY,
    to_datetime,
    to_seconds,
)

PAYOUT_HOUR = 9                       # local time of the day after
PAID_AFTER = timedelta(days=2)        # from issuedAt to the money in the bank
_FAST_PATH_TRIES = 64
_ZERO = Decimal("0.00")


class NoPayout(LookupError):
    """There is no payout for this day (yet)."""

    def __init__(self, day: date) -> None:
        super().__init__(f"there is no Shopify Payments payout for {day.isoformat()}")


class PayoutBook:
    """The payouts of one shop, one per local day with Shopify Payments activity."""

    def __init__(self, generator: OrderGenerator, profile: ShopProfile, *,
                 extra_orders: Callable[[], Iterable[GeneratedOrder]] | None = None) -> None:
        """`extra_orders` returns the orders created after start (numbers >= total), if any."""
        self.generator = generator
        self.profile = profile
        self.zone = ZoneInfo(profile.time_zone)
        self._extra_orders = extra_orders
        self._has_activity: dict[date, bool] = {}
        self._movements: dict[date, list[dict]] = {}

    # Days ---------------------------------------------------------------------------------------
    def day_bounds(self, day: date) -> tuple[datetime, datetime]:
        """[start, end) of a local day, in UTC (23 or 25 hours on DST days)."""
        start = datetime.combine(day, time.min, tzinfo=self.zone).astimezone(timezone.utc)
        end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=self.zone).astimezone(timezone.utc)
        return start, end

    def issued_at(self, day: date) -> datetime:
        return datetime.combine(day + timedelta(days=1), time(PAYOUT_HOUR), tzinfo=self.zone).astimezone(timezone.utc)

    def status(self, day: date, now: datetime) -> str:
        issued = self.issued_at(day)
        if now >= issued + PAID_AFTER:
            return "PAID"
        if now >= issued:
            return "IN_TRANSIT"
        return "SCHEDULED"

    def payout_days(self, now: datetime) -> list[date]:
        """Local days whose payout shows at `now` (every ended day with activity), newest first."""
        generator = self.generator
        if generator.total == 0 and not self._extra_orders:
            return []
        today = now.astimezone(self.zone).date()
        first = generator.created_at(0).astimezone(self.zone).date() if generator.total else today
        days = []
        day = today - timedelta(days=1)
        while day >= first:
            if self._day_has_activity(day):
                days.append(day)
            day -= timedelta(days=1)
        return days

    def _day_has_activity(self, day: date) -> bool:
        known = self._has_activity.get(day)
        if known is not None:
            return known
        start, end = self.day_bounds(day)
        start_s, end_s = to_seconds(start), to_seconds(end)
        generator = self.generator
        first_today = generator.first_number_created_at_or_after(start)
        last_today = generator.first_number_created_at_or_after(end)
        # Most days are settled by the first orders created that day (a card charged at checkout).
        candidates = self._numbers_moving_money(start_s, end_s, first_today, last_today,
                                                from_number=first_today, limit=_FAST_PATH_TRIES)
        found = any(self._order_moves_money(number, start_s, end_s) for number in candidates)
        if not found:
            candidates = self._numbers_moving_money(start_s, end_s, first_today, last_today)
            found = any(self._order_moves_money(number, start_s, end_s) for number in candidates) \
                or any(True for _ in self._extra_movements(start_s, end_s))
        self._has_activity[day] = found
        return found

    def _order_moves_money(self, number: int, start_s: int, end_s: int) -> bool:
        """Whether the order's plan is borne out (a later refund may go to a gift card, not the card)."""
        order = GeneratedOrder(self.generator, self.generator.planner.plan(number))
        return any(start_s <= to_seconds(event["time"]) < end_s
                   for event in order.balance_events(to_datetime(end_s)))

    def _numbers_moving_money(self, start_s: int, end_s: int, first_today: int, last_today: int, *,
                              from_number: int | None = None, limit: int | None = None) -> Iterator[int]:
        """Orders whose plan moves Shopify Payments money in [start_s, end_s): only orders created in
        the MAX_EVENT_DELAY before can, and of those created before the day, only ones with later events."""
        generator, planner = self.generator, self.generator.planner
        if from_number is None:
            from_number = generator.first_number_created_at_or_after(to_datetime(start_s) - MAX_EVENT_DELAY)
        stop = last_today if limit is None else min(last_today, from_number + limit)
        for number in range(from_number, stop):
            if number < first_today and not planner.has_later_events(number):
                continue
            if any(start_s <= moment < end_s for moment in planner.plan(number).card_money_seconds()):
                yield number

    def _extra_movements(self, start_s: int, end_s: int) -> Iterable[dict]:
        if not self._extra_orders:
            return
        end = to_datetime(end_s)
        for order in self._extra_orders():
            for event in order.balance_events(end):
                if start_s <= to_seconds(event["time"]) < end_s:
                    yield event

    def _day_movements(self, day: date, now: datetime) -> list[dict]:
        cached = self._movements.get(day)
        if cached is not None:
            return cached
        start, end = self.day_bounds(day)
        start_s, end_s = to_seconds(start), to_seconds(end)
        generator = self.generator
        first_today = generator.first_number_created_at_or_after(start)
        last_today = generator.first_number_created_at_or_after(end)
        movements = []
        for number in self._numbers_moving_money(start_s, end_s, first_today, last_today):
            order = GeneratedOrder(generator, generator.planner.plan(number))
            movements.extend(event for event in order.balance_events(end)
                             if start_s <= to_seconds(event["time"]) < end_s)
        movements.extend(self._extra_movements(start_s, end_s))
        movements.sort(key=lambda event: (event["time"], event["transaction_id"]))
        if now >= end:
            self._movements[day] = movements
        return movements

    # Answers ------------------------------------------------------------------------------------
    def payout_gid(self, day: date) -> str:
        return f"gid://shopify/ShopifyPaymentsPayout/{self.profile.payout_id_base + day.toordinal()}"

    def day_of_payout(self, gid: str) -> date | None:
        """The local day a payout GID stands for, without searching (it may have no payout)."""
        number = _gid_number(gid, "ShopifyPaymentsPayout")
        if number is None:
            return None
        try:
            return date.fromordinal(number - self.profile.payout_id_base)
        except (ValueError, OverflowError):
            return None

    def day_of_balance_transaction(self, gid: str) -> date | None:
        """The local day of a balance transaction GID (its order transaction's day), without searching."""
        transaction_id = _gid_number(gid, "ShopifyPaymentsBalanceTransaction")
        if transaction_id is None:
            return None
        legacy_id = transaction_id // 100
        number = legacy_id - self.generator.order_id_base
        if 0 <= number < self.generator.total:
            orders: Iterable[GeneratedOrder] = [self.generator.order(number)]
        else:
            orders = [order for order in (self._extra_orders() if self._extra_orders else ())
                      if order.legacy_id == legacy_id]
        for order in orders:
            for record in order.transactions:
                if record.id == transaction_id:
                    return to_datetime(record.time).astimezone(self.zone).date()
        return None

    def payout(self, day: date, now: datetime) -> dict:
        """The ShopifyPaymentsPayout of `day` as GraphQL answers at `now`."""
        if now < self.day_bounds(day)[1] or not self._day_has_activity(day):
            raise NoPayout(day)
        movements = self._day_movements(day, now)
        currency = self.profile.currency
        charges = [event for event in movements if event["kind"] == "CHARGE"]
        refunds = [event for event in movements if event["kind"] == "REFUND"]
        net = sum((event["net"] for event in movements), _ZERO)
        zero = money_v2(_ZERO, currency)
        legacy_id = self.profile.payout_id_base + day.toordinal()
        return {
            "id": f"gid://shopify/ShopifyPaymentsPayout/{legacy_id}",
            "legacyResourceId": str(legacy_id),
            "issuedAt": iso(to_seconds(self.issued_at(day))),
            "status": self.status(day, now),
            "transactionType": "DEPOSIT" if net >= 0 else "WITHDRAWAL",
            "net": money_v2(net, currency),
            "summary": {
                "chargesGross": money_v2(sum((e["amount"] for e in charges), _ZERO), currency),
                "chargesFee": money_v2(sum((e["fee"] for e in charges), _ZERO), currency),
                "refundsFeeGross": money_v2(sum((e["amount"] for e in refunds), _ZERO), currency),
                "refundsFee": money_v2(sum((e["fee"] for e in refunds), _ZERO), currency),
                "adjustmentsGross": zero, "adjustmentsFee": dict(zero),
                "reservedFundsGross": dict(zero), "reservedFundsFee": dict(zero),
                "retriedPayoutsGross": dict(zero), "retriedPayoutsFee": dict(zero),
                "advanceGross": dict(zero), "advanceFees": dict(zero),
            },
        }

    def balance_transactions(self, day: date, now: datetime) -> list[dict]:
        """The ShopifyPaymentsBalanceTransactions of the payout of `day`, oldest first."""
        if now < self.day_bounds(day)[1] or not self._day_has_activity(day):
            raise NoPayout(day)
        currency = self.profile.currency
        payout = {"id": self.payout_gid(day), "status": self.status(day, now)}
        return [{
            "id": f"gid://shopify/ShopifyPaymentsBalanceTransaction/{event['transaction_id']}",
            "type": event["kind"],
            "test": False,
            "transactionDate": iso(to_seconds(event["time"])),
            "sourceType": event["kind"],
            "sourceId": str(event["transaction_id"]),
            "sourceOrderTransactionId": str(event["transaction_id"]),
            "amount": money_v2(event["amount"], currency),
            "fee": money_v2(event["fee"], currency),
            "net": money_v2(event["net"], currency),
            "adjustmentReason": None,
            "adjustmentsOrders": [],
            "associatedPayout": dict(payout),
            "associatedOrder": {"id": event["order_gid"], "name": event["order_name"]},
        } for event in self._day_movements(day, now)]


def _gid_number(gid: str, kind: str) -> int | None:
    prefix = f"gid://shopify/{kind}/"
    if not gid.startswith(prefix) or not gid[len(prefix):].isdigit():
        return None
    return int(gid[len(prefix):])
