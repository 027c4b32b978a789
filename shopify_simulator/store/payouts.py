"""Shopify Payments payouts and balance transactions of a generated store.

One payout per local day with Shopify Payments activity: it holds that day's movements, and its
net is their sum. From the orders: a CHARGE for each successful SALE or CAPTURE, with its fee; a
REFUND, negative, for each successful refund, with any fee given back as a negative fee (net =
amount − fee), on the day it settled (a pending refund's is later than the refund's own). From the
account, each from a stream of its own so the orders' movements stay as they are:
- disputes (store.disputes): DISPUTE_WITHDRAWAL and CHARGEBACK_FEE when the bank opens one,
  DISPUTE_REVERSAL and CHARGEBACK_FEE_REFUND when the merchant wins it;
- a rolling reserve (store.reserves): RESERVED_FUNDS_WITHDRAWAL, then RESERVED_FUNDS_REVERSAL;
- ADJUSTMENTs, some days with card payments, either way, with their reason (a fee correction names
  its order);
- one failed payout a month: the first payout from a drawn day of the month whose orders' movements
  net positive is IN_TRANSIT, then FAILED when it would have been paid; its net comes back as a
  TRANSFER_FAILURE (source type TRANSFER, source ID the failed payout's) in the payout of that day.
The summary sorts them: charges, refunds, adjustments (disputes included), reserved funds, retried
payouts, each gross and fee, so that gross − fee over all of them is the net, to the cent. The
payout's own transfer to the bank is not among its balance transactions.

The payout is issued the next day at 09:00 local time; it is SCHEDULED until then, IN_TRANSIT from
then, PAID (or FAILED) two days later. Test orders never reach a payout.

A day's order movements come from the orders created in [day start − MAX_EVENT_DELAY, day end),
found by binary search on creation time; orders whose plan moves no card money that day are skipped
without building them. Account movements build only the orders they name (a disputed one), and the
charges of the days a reserve holds. Ended days are cached: nothing can change them any more.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable, Iterable, Iterator
from zoneinfo import ZoneInfo

from shopify_simulator.store.disputes import DisputeBook
from shopify_simulator.store.money import money_v2
from shopify_simulator.store.orders import GeneratedOrder, OrderGenerator
from shopify_simulator.store.profiles import ShopProfile
from shopify_simulator.store.random_source import RandomSource, stream_key
from shopify_simulator.store.reserves import ReserveSchedule
from shopify_simulator.store.timeline import (
    MAX_EVENT_DELAY,
    to_datetime,
    to_seconds,
)
from shopify_simulator.store.view_writer import iso

PAYOUT_HOUR = 9                       # local time of the day after
PAID_AFTER = timedelta(days=2)        # from issuedAt to the money in the bank
_FAST_PATH_TRIES = 64
_ZERO = Decimal("0.00")
_CENT = Decimal("0.01")
ADJUSTMENT_CHANCE = 0.15             # per day
FAILURE_LATEST_START = 25            # the failed payout is sought from a day of the month up to this
# Where each kind of balance transaction goes in a payout's summary (its gross and fee fields).
SUMMARY_OF = {
    "CHARGE": ("chargesGross", "chargesFee"),
    "REFUND": ("refundsFeeGross", "refundsFee"),
    "ADJUSTMENT": ("adjustmentsGross", "adjustmentsFee"),
    "DISPUTE_WITHDRAWAL": ("adjustmentsGross", "adjustmentsFee"),
    "DISPUTE_REVERSAL": ("adjustmentsGross", "adjustmentsFee"),
    "CHARGEBACK_FEE": ("adjustmentsGross", "adjustmentsFee"),
    "CHARGEBACK_FEE_REFUND": ("adjustmentsGross", "adjustmentsFee"),
    "RESERVED_FUNDS_WITHDRAWAL": ("reservedFundsGross", "reservedFundsFee"),
    "RESERVED_FUNDS_REVERSAL": ("reservedFundsGross", "reservedFundsFee"),
    "TRANSFER_FAILURE": ("retriedPayoutsGross", "retriedPayoutsFee"),
}
SUMMARY_FIELDS = ("chargesGross", "chargesFee", "refundsFeeGross", "refundsFee", "adjustmentsGross",
                  "adjustmentsFee", "reservedFundsGross", "reservedFundsFee", "retriedPayoutsGross",
                  "retriedPayoutsFee", "advanceGross", "advanceFees")


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
        self.disputes = DisputeBook(generator, profile.currency, self.zone)
        shop_offset = (profile.id_base - 5_000_000_000) // 10
        self.reserves = ReserveSchedule(seed=generator.seed, handle=profile.handle, zone=self.zone,
                                        id_base=20_000_000 + shop_offset)
        self._adjustment_id_base = 10_000_000 + shop_offset
        # Balance transactions of the account (not of an order transaction): base + day × 1000 + index.
        self._account_id_base = 900_000_000_000 + (profile.id_base - 5_000_000_000) * 10
        self._adjustment_key = stream_key(generator.seed, profile.handle, "adjustments")
        self._failure_key = stream_key(generator.seed, profile.handle, "payout failures")
        self._has_activity: dict[date, bool] = {}
        self._has_order_activity: dict[date, bool] = {}
        self._generated: dict[date, list[dict]] = {}
        self._movements: dict[date, list[dict]] = {}
        self._failed_days: dict[tuple[int, int], date | None] = {}

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
            return "FAILED" if self.is_failed(day) else "PAID"
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
            if self._day_has_activity(day, now):
                days.append(day)
            day -= timedelta(days=1)
        return days

    def _day_has_activity(self, day: date, now: datetime) -> bool:
        known = self._has_activity.get(day)
        if known is not None:
            return known
        found = self._day_has_order_activity(day) or any(True for _ in self._extra_movements(*self._bounds_s(day))) \
            or bool(self._account_movements(day, now))
        if now >= self.day_bounds(day)[1]:
            self._has_activity[day] = found
        return found

    def _bounds_s(self, day: date) -> tuple[int, int]:
        start, end = self.day_bounds(day)
        return to_seconds(start), to_seconds(end)

    def _day_has_order_activity(self, day: date) -> bool:
        """Whether generated orders move Shopify Payments money on `day`."""
        known = self._has_order_activity.get(day)
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
            found = any(self._order_moves_money(number, start_s, end_s) for number in candidates)
        self._has_order_activity[day] = found
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

    def _generated_movements(self, day: date) -> list[dict]:
        """The movements of the generated orders on `day` (fixed by the seed, so always cached)."""
        cached = self._generated.get(day)
        if cached is not None:
            return cached
        start, end = self.day_bounds(day)
        start_s, end_s = to_seconds(start), to_seconds(end)
        generator = self.generator
        first_today = generator.first_number_created_at_or_after(start)
        last_today = generator.first_number_created_at_or_after(end)
        movements = []
        if self._day_has_order_activity(day):
            for number in self._numbers_moving_money(start_s, end_s, first_today, last_today):
                order = GeneratedOrder(generator, generator.planner.plan(number))
                movements.extend(event for event in order.balance_events(end)
                                 if start_s <= to_seconds(event["time"]) < end_s)
        self._generated[day] = movements
        return movements

    def _order_movements(self, day: date) -> list[dict]:
        return self._generated_movements(day) + list(self._extra_movements(*self._bounds_s(day)))

    def _day_movements(self, day: date, now: datetime) -> list[dict]:
        cached = self._movements.get(day)
        if cached is not None:
            return cached
        movements = self._order_movements(day) + self._account_movements(day, now)
        movements.sort(key=lambda event: (event["time"], event["transaction_id"]))
        if now >= self.day_bounds(day)[1]:
            self._movements[day] = movements
        return movements

    # Movements of the account -------------------------------------------------------------------
    def _account_movements(self, day: date, now: datetime) -> list[dict]:
        """Disputes, reserves, adjustments and a failed payout coming back, on local `day`."""
        def charges_gross(held_day: date) -> Decimal:
            return sum((e["amount"] for e in self._order_movements(held_day) if e["kind"] == "CHARGE"), _ZERO)

        found = [*self.disputes.movements(day), *self.reserves.movements(day, charges_gross),
                 *self._adjustments(day), *self._retried_payouts(day, now)]
        found.sort(key=lambda event: (event["time"], event["kind"], event["source_id"]))
        for index, event in enumerate(found):
            event["transaction_id"] = self._account_id_base + day.toordinal() * 1000 + index
        return found

    def _adjustments(self, day: date) -> list[dict]:
        """Now and then, on a day with card payments, an ADJUSTMENT: a fee given back on a charge of
        the day, a currency conversion correction (either way), or a balance correction (a debit)."""
        rng = RandomSource(self._adjustment_key, day.toordinal())
        if not rng.chance(ADJUSTMENT_CHANCE) or not self._day_has_order_activity(day):
            return []
        start, _ = self.day_bounds(day)
        moment = start + timedelta(hours=12, seconds=rng.below(10 * 3600))
        kind = rng.weighted((("fee", 0.5), ("conversion", 0.3), ("balance", 0.2)))
        event = {"kind": "ADJUSTMENT", "time": moment, "fee": _ZERO, "source_type": "ADJUSTMENT",
                 "source_id": self._adjustment_id_base + day.toordinal(), "order_gid": None, "order_name": None}
        charges = [e for e in self._generated_movements(day) if e["kind"] == "CHARGE" and e["fee"] > 0
                   and e["time"] < moment]
        if kind == "fee" and charges:
            charge = rng.choice(charges)
            amount = max(_CENT, (charge["fee"] * rng.between(20, 100) / 100).quantize(_CENT, ROUND_HALF_UP))
            event.update(adjustment_reason="Processing fee correction", order_gid=charge["order_gid"],
                         order_name=charge["order_name"], order_transaction_id=charge["transaction_id"],
                         adjustment_orders=[{
                             "amount": money_v2(amount, self.profile.currency),
                             "link": f"https://{self.profile.domain}/admin/orders/"
                                     f"{charge['order_gid'].rsplit('/', 1)[1]}",
                             "name": charge["order_name"], "orderTransactionId": str(charge["transaction_id"])}])
        elif kind == "balance":
            amount = -Decimal(rng.between(100, 5000)) / 100
            event["adjustment_reason"] = "Balance correction"
        else:
            amount = Decimal(rng.between(100, 2500)) / 100 * (1 if rng.chance(0.5) else -1)
            event["adjustment_reason"] = "Currency conversion correction"
        event.update(amount=amount, net=amount)
        return [event]

    # Failed payouts -----------------------------------------------------------------------------
    def failed_day(self, year: int, month: int) -> date | None:
        """The local day of the month whose payout fails: from a drawn day, the first whose orders'
        movements net positive (the generated orders only, so it never moves)."""
        known = self._failed_days.get((year, month), False)
        if known is not False:
            return known
        rng = RandomSource(self._failure_key, year * 12 + month - 1)
        day = date(year, month, rng.between(1, FAILURE_LATEST_START))
        found = None
        while day.month == month:
            if self._day_has_order_activity(day) \
                    and sum((e["net"] for e in self._generated_movements(day)), _ZERO) > 0:
                found = day
                break
            day += timedelta(days=1)
        self._failed_days[(year, month)] = found
        return found

    def is_failed(self, day: date) -> bool:
        return self.failed_day(day.year, day.month) == day

    def failed_at(self, day: date) -> datetime:
        """When the bank sends a failing payout back: when it would have been paid."""
        return self.issued_at(day) + PAID_AFTER

    def _retried_payouts(self, day: date, now: datetime) -> list[dict]:
        """The net of a payout that failed on local `day`, back on the balance for the next payout."""
        found = []
        for back in (3, 2, 4):       # issued the next morning, failed two days on (DST moves an hour)
            failed = day - timedelta(days=back)
            if not self.is_failed(failed) or self.failed_at(failed).astimezone(self.zone).date() != day:
                continue
            net = sum((e["net"] for e in self._day_movements(failed, now)), _ZERO)
            found.append({"kind": "TRANSFER_FAILURE", "time": self.failed_at(failed), "amount": net, "fee": _ZERO,
                          "net": net, "source_type": "TRANSFER", "source_id": self._payout_number(failed),
                          "order_gid": None, "order_name": None})
        return found

    # Answers ------------------------------------------------------------------------------------
    def _payout_number(self, day: date) -> int:
        return self.profile.payout_id_base + day.toordinal()

    def payout_gid(self, day: date) -> str:
        return f"gid://shopify/ShopifyPaymentsPayout/{self._payout_number(day)}"

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
        """The local day of a balance transaction GID (the day its order transaction settled, or the
        day in an account movement's ID), without searching."""
        transaction_id = _gid_number(gid, "ShopifyPaymentsBalanceTransaction")
        if transaction_id is None:
            return None
        if 0 <= transaction_id - self._account_id_base < 1_000_000_000:
            try:
                return date.fromordinal((transaction_id - self._account_id_base) // 1000)
            except (ValueError, OverflowError):
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
                    return to_datetime(record.settled).astimezone(self.zone).date()
        return None

    def payout(self, day: date, now: datetime) -> dict:
        """The ShopifyPaymentsPayout of `day` as GraphQL answers at `now`."""
        if now < self.day_bounds(day)[1] or not self._day_has_activity(day, now):
            raise NoPayout(day)
        movements = self._day_movements(day, now)
        currency = self.profile.currency
        totals = dict.fromkeys(SUMMARY_FIELDS, _ZERO)
        for event in movements:
            gross, fee = SUMMARY_OF[event["kind"]]
            totals[gross] += event["amount"]
            totals[fee] += event["fee"]
        net = sum((event["net"] for event in movements), _ZERO)
        legacy_id = self._payout_number(day)
        return {
            "id": f"gid://shopify/ShopifyPaymentsPayout/{legacy_id}",
            "legacyResourceId": str(legacy_id),
            "issuedAt": iso(to_seconds(self.issued_at(day))),
            "status": self.status(day, now),
            "transactionType": "DEPOSIT" if net >= 0 else "WITHDRAWAL",
            "net": money_v2(net, currency),
            "summary": {name: money_v2(total, currency) for name, total in totals.items()},
        }

    def balance_transactions(self, day: date, now: datetime) -> list[dict]:
        """The ShopifyPaymentsBalanceTransactions of the payout of `day`, oldest first."""
        if now < self.day_bounds(day)[1] or not self._day_has_activity(day, now):
            raise NoPayout(day)
        currency = self.profile.currency
        payout = {"id": self.payout_gid(day), "status": self.status(day, now)}
        return [_balance_transaction(event, currency, payout) for event in self._day_movements(day, now)]


def _balance_transaction(event: dict, currency: str, payout: dict) -> dict:
    """A ShopifyPaymentsBalanceTransaction of a movement: an order's (CHARGE, REFUND) names its order
    transaction; an account's names its source (a dispute, a reserve, an adjustment, a payout)."""
    of_order = event["kind"] in ("CHARGE", "REFUND")
    order_transaction = event["transaction_id"] if of_order else event.get("order_transaction_id")
    return {
        "id": f"gid://shopify/ShopifyPaymentsBalanceTransaction/{event['transaction_id']}",
        "type": event["kind"],
        "test": False,
        "transactionDate": iso(to_seconds(event["time"])),
        "sourceType": event["kind"] if of_order else event["source_type"],
        "sourceId": str(event["transaction_id"] if of_order else event["source_id"]),
        "sourceOrderTransactionId": str(order_transaction) if order_transaction is not None else None,
        "amount": money_v2(event["amount"], currency),
        "fee": money_v2(event["fee"], currency),
        "net": money_v2(event["net"], currency),
        "adjustmentReason": event.get("adjustment_reason"),
        "adjustmentsOrders": event.get("adjustment_orders", []),
        "associatedPayout": dict(payout),
        "associatedOrder": {"id": event["order_gid"], "name": event["order_name"]} if event["order_gid"] else None,
    }


def _gid_number(gid: str, kind: str) -> int | None:
    prefix = f"gid://shopify/{kind}/"
    if not gid.startswith(prefix) or not gid[len(prefix):].isdigit():
        return None
    return int(gid[len(prefix):])
