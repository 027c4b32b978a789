"""When orders happen: creation times and the plan of later events, without any money.

Creation times. Order `number` sits at a position on an "activity clock" that runs faster by day
than by night (a fixed local offset, the zone's standard one, is enough for that), and positions are
linear in the number between knots: the start of the period (400 days before the anchor), the start
of the recent month (half of the orders), the anchor, and pinned orders at chosen local moments:
minutes either side of local midnight, and either side of, and inside, each DST change of the
period. A little jitter makes the spacing look random, kept small enough that times, in whole
seconds, strictly increase.

Plans. From 64 bits per order the plan picks a payment flow (card sale, authorization captured
later, PayPal, manual paid later or never, gift card in part or in full, a declined card then a
sale, test), at most one after-sale story (cancellation, full refund, partial refunds, an edit),
and when each event happens. Everything stays within MAX_EVENT_DELAY of the creation.

Two streams of their own add to a plan without moving anything the others decide: one refund in
REFUND_PENDING_IN (not a cancellation) is paid back PENDING and settles hours to days later (its
settle time is an event); and RETURN_SHARE of the shipped orders with no story get a return of
their own after shipping (requested, in progress, or an exchange; store.returns decides which).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import NamedTuple
from zoneinfo import ZoneInfo

from shopify_simulator.store.random_source import GOLDEN, MASK64, mix64

DAY = 86_400
HOUR = 3_600
REFUND_PENDING_IN = 6              # one refund in 6 settles later
RETURN_SHARE = 40                  # of 1024 shipped orders with no story: a return of their own (~4 %)
MAX_EVENT_DELAY = timedelta(days=10)
PERIOD = 400 * DAY                 # orders cover the last 400 days before the anchor
RECENT = 30 * DAY                  # ... half of them in the last 30 days
SHIPPED_BEFORE = 30 * DAY          # orders created this long before the anchor have been shipped
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

# Payment flows
TEST, CARD_SALE, CARD_AUTH, PAYPAL, MANUAL_LATER, MANUAL_UNPAID, GIFT_CARD_SPLIT, GIFT_CARD_FULL, \
    CARD_RETRY, MANUAL_PAID = range(10)
FLOW_WEIGHTS = (
    (TEST, 2.0), (CARD_SALE, 56.0), (CARD_AUTH, 9.0), (PAYPAL, 14.0), (MANUAL_LATER, 4.0),
    (MANUAL_UNPAID, 2.0), (GIFT_CARD_SPLIT, 5.0), (GIFT_CARD_FULL, 1.5), (CARD_RETRY, 1.5), (MANUAL_PAID, 5.0),
)
CARD_FLOWS = frozenset({CARD_SALE, CARD_AUTH, GIFT_CARD_SPLIT, CARD_RETRY})   # Shopify Payments takes money
SALE_FLOWS = frozenset({CARD_SALE, PAYPAL, CARD_RETRY, MANUAL_PAID})          # may be edited

# After-sale stories
NO_STORY, CANCELLED, FULL_REFUND, PARTIAL_REFUND, TWO_REFUNDS, EDITED = range(6)
STORY_WEIGHTS = (
    (NO_STORY, 80.0), (CANCELLED, 4.0), (FULL_REFUND, 3.0), (PARTIAL_REFUND, 6.0), (TWO_REFUNDS, 2.0),
    (EDITED, 5.0),
)

# Activity clock: quiet nights (0-7 h), busy days (7-19 h), evenings between; the densities
# (activity seconds per real second) average to 1 over a day.
_NIGHT_END, _EVENING_START = 7 * HOUR, 19 * HOUR
_NIGHT, _DAYTIME = 0.35, 1.3
_EVENING = (DAY - _NIGHT_END * _NIGHT - (_EVENING_START - _NIGHT_END) * _DAYTIME) / (DAY - _EVENING_START)
_ACTIVITY_AT_DAYTIME = _NIGHT_END * _NIGHT
_ACTIVITY_AT_EVENING = _ACTIVITY_AT_DAYTIME + (_EVENING_START - _NIGHT_END) * _DAYTIME
_SAFETY = 1.05                      # spacing margin over one second
_MAX_JITTER = 0.8                   # an order moves by up to 0.8 of the spacing


def _table(weights: tuple[tuple[int, float], ...]) -> bytes:
    """A 1024-entry lookup table: 10 random bits pick a value with its weight."""
    total = sum(weight for _, weight in weights)
    table = bytearray()
    cumulative = 0.0
    for value, weight in weights:
        cumulative += weight
        while len(table) < round(cumulative / total * 1024):
            table.append(value)
    return bytes(table.ljust(1024, bytes([weights[-1][0]])))


_FLOW_TABLE = _table(FLOW_WEIGHTS)
_STORY_TABLE = _table(STORY_WEIGHTS)


_from_timestamp = datetime.fromtimestamp


def to_datetime(seconds: int) -> datetime:
    return _from_timestamp(seconds, timezone.utc)


def to_seconds(moment: datetime) -> int:
    """Whole seconds since the epoch (sub-seconds are dropped, as Shopify's timestamps have none)."""
    delta = moment - EPOCH
    return delta.days * DAY + delta.seconds


@dataclass(frozen=True)
class OrderTimeline:
    number: int                  # 0-based position in the store
    created_at: datetime         # aware UTC
    event_times: tuple[datetime, ...]   # every later event, sorted, all <= created_at + MAX_EVENT_DELAY

    def updated_at(self, now: datetime) -> datetime:
        """The latest event at or before `now`, else the creation."""
        for moment in reversed(self.event_times):
            if moment <= now:
                return moment
        return self.created_at


class OrderPlan(NamedTuple):
    """What happens to one order and when (epoch seconds; 0 means never)."""

    number: int
    created: int
    flow: int
    story: int
    settled: int                  # the risk check is done
    captured: int                 # an authorization is captured
    paid_later: int               # a manual payment is received
    edited: int                   # a line is added
    cancelled: int
    refunds: tuple[int, ...]
    shipments: tuple[int, ...]    # per location of the order; 0: not shipped
    gift_card_only: bool
    multi_location: bool
    refunds_settled: tuple[int, ...] = ()   # per refund: when its payment settles (its own time: at once)
    return_opened: int = 0        # a return of its own, not refunded (store.returns)

    @property
    def is_test(self) -> bool:
        return self.flow == TEST

    def event_seconds(self) -> list[int]:
        times = [self.settled]
        for moment in (self.captured, self.paid_later, self.edited, self.cancelled):
            if moment:
                times.append(moment)
        times.extend(self.refunds)
        times.extend(settled for settled, moment in zip(self.refunds_settled, self.refunds) if settled != moment)
        times.extend(moment for moment in self.shipments if moment)
        if self.return_opened:
            times.append(self.return_opened)
        times.sort()
        return times

    def refund_settled(self, position: int) -> int:
        """When the money of refund `position` settles (a pending refund's is later than the refund)."""
        return self.refunds_settled[position] if self.refunds_settled else self.refunds[position]

    def card_money_seconds(self) -> list[int]:
        """When Shopify Payments moves money for this order (charges and refunds), test orders excluded."""
        flow = self.flow
        if flow not in CARD_FLOWS:
            return []
        times = []
        if flow == CARD_AUTH:
            if self.captured:
                times.append(self.captured)
        else:
            times.append(self.created)
        if self.edited:
            times.append(self.edited)
        if self.cancelled and flow != CARD_AUTH:
            times.append(self.cancelled)
        times.extend(self.refunds_settled or self.refunds)   # a pending refund moves money when it settles
        return times


class Planner:
    """Creation times and event plans of one store."""

    def __init__(self, *, time_zone: str, anchor: datetime, total: int, key: int, delay_key: int,
                 special: dict[int, tuple[int, int, bool]], settle_key: int = 0, return_key: int = 0) -> None:
        """`special` fixes (flow, story, multi-location) of some numbers (the worked example, the big order);
        `settle_key` and `return_key` seed the streams of pending refunds and of returns."""
        self.zone = ZoneInfo(time_zone)
        self.anchor = to_seconds(anchor)
        self.total = total
        self.key, self.delay_key = key, delay_key
        self.settle_key, self.return_key = settle_key, return_key
        self.special = special
        self.shipped_before = self.anchor - SHIPPED_BEFORE
        self._build_layout()

    # Creation times -----------------------------------------------------------------------------
    def _build_layout(self) -> None:
        total, anchor = self.total, self.anchor
        start, recent, end = anchor - PERIOD, anchor - RECENT, anchor - 60
        half = total // 2
        self._offset, self._warped, self._max_density = 0, False, 1.0
        if total == 0:
            self._knot_numbers, self._knot_activity, self._slopes = [0], [float(end)], [0.0]
            self._pinned, self._jitter = {}, 0.0
            return
        # Local "day" of the activity clock: the zone's standard (smallest) offset.
        year = to_datetime(anchor).year
        self._offset = min(int(datetime(year, month, 1, tzinfo=self.zone).utcoffset().total_seconds())
                           for month in (1, 7))
        recent_spacing = RECENT / max(1, total - half)
        self._warped = recent_spacing >= 3.0
        self._max_density = _DAYTIME if self._warped else 1.0

        base = [(0, start), (half, recent)] if half > 0 else [(0, recent)]
        base.append((total, end))
        base_numbers = [n for n, _ in base]
        base_activity = [self._activity(t) for _, t in base]
        pinned = {n: t for n, t in base[:-1] if n < total}
        numbers, activity = [base_numbers[0]], [base_activity[0]]
        for seconds in self._pin_moments(start, end):
            a = self._activity(seconds)
            segment = bisect.bisect_right(base_activity, a) - 1
            if not 0 <= segment < len(base) - 1:
                continue
            for index in range(segment + 1):        # the base knots up to this segment's start
                if base_numbers[index] > numbers[-1]:
                    numbers.append(base_numbers[index])
                    activity.append(base_activity[index])
            n0, n1 = base_numbers[segment], base_numbers[segment + 1]
            a0, a1 = base_activity[segment], base_activity[segment + 1]
            slope = (a1 - a0) / (n1 - n0)
            # Spacing that keeps whole seconds strictly increasing with full jitter, or what the
            # store's density allows.
            required = max(min(0.6 * slope, _SAFETY * self._max_density / (1 - _MAX_JITTER)),
                           _SAFETY * self._max_density)
            number = max(round(n0 + (a - a0) / slope), numbers[-1] + 1)
            if not (number < n1 and a > activity[-1]):
                continue
            if (a - activity[-1]) / (number - numbers[-1]) < required or (a1 - a) / (n1 - number) < required:
                continue
            numbers.append(number)
            activity.append(a)
            pinned[number] = seconds
        for index in range(len(base_numbers)):
            if base_numbers[index] > numbers[-1]:
                numbers.append(base_numbers[index])
                activity.append(base_activity[index])
        self._knot_numbers = numbers
        self._knot_activity = activity
        self._slopes = [(activity[i + 1] - activity[i]) / (numbers[i + 1] - numbers[i])
                        for i in range(len(numbers) - 1)]
        self._pinned = pinned
        smallest = min(self._slopes) if self._slopes else 1e9
        self._jitter = max(0.0, min(_MAX_JITTER, 1 - _SAFETY * self._max_density / smallest)) / 65536

    def _pin_moments(self, start: int, end: int) -> list[int]:
        """Chosen local moments: around midnights, and around and inside each DST change."""
        zone = self.zone
        moments = set()
        last_local = to_datetime(end - 15 * 60).astimezone(zone)
        midnights = []
        day = last_local.date()
        for days_back in (0, 1, 2, 7, 45, 100, 200, 300):
            local = datetime.combine(day - timedelta(days=days_back), datetime.min.time(), tzinfo=zone)
            midnights.append(to_seconds(local.astimezone(timezone.utc)))
        for midnight in midnights:
            moments.update((midnight - 150, midnight + 120))
        for change in self.dst_changes(start, end):
            moments.update((change - 30 * 60, change - 90, change + 90, change + 30 * 60))
        return sorted(m for m in moments if start < m < end)

    def dst_changes(self, start: int, end: int) -> list[int]:
        """Instants (epoch seconds) in [start, end) where the zone's UTC offset changes."""
        changes = []

        def offset(seconds: int) -> timedelta:
            return to_datetime(seconds).astimezone(self.zone).utcoffset()

        step = 6 * HOUR
        moment = start
        previous = offset(moment)
        while moment < end:
            following = min(moment + step, end)
            current = offset(following)
            if current != previous:
                low, high = moment, following
                while high - low > 1:
                    middle = (low + high) // 2
                    if offset(middle) == previous:
                        low = middle
                    else:
                        high = middle
                changes.append(high)
                previous = current
            moment = following
        return changes

    def _activity(self, seconds: float) -> float:
        if not self._warped:
            return float(seconds)
        day, into = divmod(seconds + self._offset, DAY)
        if into < _NIGHT_END:
            clock = into * _NIGHT
        elif into < _EVENING_START:
            clock = _ACTIVITY_AT_DAYTIME + (into - _NIGHT_END) * _DAYTIME
        else:
            clock = _ACTIVITY_AT_EVENING + (into - _EVENING_START) * _EVENING
        return day * DAY + clock

    def created(self, number: int, bits: int | None = None) -> int:
        """Creation time of `number` in epoch seconds."""
        if number >= self.total:
            return self.anchor + (number - self.total) * 60
        pinned = self._pinned.get(number)
        if pinned is not None:
            return pinned
        if bits is None:
            bits = mix64((self.key + number * GOLDEN) & MASK64)
        numbers = self._knot_numbers
        index = bisect.bisect_right(numbers, number) - 1
        activity = self._knot_activity[index] + (number + (bits & 0xFFFF) * self._jitter - numbers[index]) \
            * self._slopes[index]
        if not self._warped:
            return int(activity)              # positive: int() is floor
        day, clock = divmod(activity, DAY)    # the inverse of _activity(), inlined: it runs for every order
        if clock < _ACTIVITY_AT_DAYTIME:
            into = clock / _NIGHT
        elif clock < _ACTIVITY_AT_EVENING:
            into = _NIGHT_END + (clock - _ACTIVITY_AT_DAYTIME) / _DAYTIME
        else:
            into = _EVENING_START + (clock - _ACTIVITY_AT_EVENING) / _EVENING
        return int(day * DAY + into - self._offset)

    def pinned_numbers(self) -> dict[int, int]:
        return dict(self._pinned)

    # Plans --------------------------------------------------------------------------------------
    def plan(self, number: int, created: int | None = None, bits: int | None = None) -> OrderPlan:
        """The plan of `number`; with `created`, the same plan moved to that creation time."""
        if bits is None:
            bits = mix64((self.key + number * GOLDEN) & MASK64)
        if created is None:
            created = self.created(number, bits)
        misc = bits >> 48
        gift_card_only = (misc >> 7) & 0x7F == 0
        multi_location = 1 <= (misc >> 7) & 0x7F <= 26
        special = self.special.get(number)
        if special is None:
            flow, story, quiet = _CLASSES[_class_index(bits, gift_card_only)]
        else:
            (flow, story, multi_location), gift_card_only = special, False
            quiet = flow in _QUIET_FLOWS and story == NO_STORY
        settled = created + 5 + (misc & 0x7F)
        if quiet and (gift_card_only or created >= self.shipped_before):
            # The common case, kept cheap: nothing after the risk check.
            return OrderPlan(number, created, flow, story, settled, 0, 0, 0, 0, (), (), gift_card_only,
                             multi_location)
        delays = mix64((self.delay_key + number * GOLDEN) & MASK64)
        # d0: the first event; bits 16-31 and 48-58: shipping (_shipments); d2, bits 59-63: refunds.
        d0, d2, d3 = delays & 0xFFFF, (delays >> 32) & 0xFFFF, delays >> 48
        captured = paid_later = edited = cancelled = 0
        if story == CANCELLED:
            cancelled = created + 600 + d0 * (DAY - 600) // 65536
        elif flow == CARD_AUTH:
            captured = created + HOUR + d0 * (4 * DAY - HOUR) // 65536
        elif flow == MANUAL_LATER:
            paid_later = created + DAY + d0 * (6 * DAY) // 65536
        if story == EDITED:
            edited = created + 1800 + d0 * (20 * HOUR) // 65536
        shipments: tuple[int, ...] = ()
        if not cancelled and not gift_card_only and flow not in (TEST, MANUAL_UNPAID) \
                and created < self.shipped_before:
            ready = max(captured, paid_later + HOUR if paid_later else 0)
            shipments = _shipments(created, delays, multi_location, ready)
        refunds: tuple[int, ...] = ()
        if story in (FULL_REFUND, PARTIAL_REFUND, TWO_REFUNDS):
            earliest = max(created + 2 * DAY, captured + HOUR, paid_later + HOUR, *(s + HOUR for s in shipments))
            latest = created + 9 * DAY + 12 * HOUR
            first_refund = earliest + d2 * (latest - earliest) // 65536
            if story == TWO_REFUNDS:
                room = created + 9 * DAY + 21 * HOUR - first_refund - HOUR
                refunds = (first_refund, first_refund + HOUR + (d3 >> 11) * room // 32)
            else:
                refunds = (first_refund,)
        refunds_settled = self._settlements(number, created, refunds) if refunds else ()
        return_opened = self._return_opened(number, created, shipments) if story == NO_STORY else 0
        return OrderPlan(number, created, flow, story, settled, captured, paid_later, edited, cancelled,
                         refunds, shipments, gift_card_only, multi_location, refunds_settled, return_opened)

    def _settlements(self, number: int, created: int, refunds: tuple[int, ...]) -> tuple[int, ...]:
        """When each refund's money settles: one in REFUND_PENDING_IN two hours to three days later
        (within MAX_EVENT_DELAY of the creation), the others at once."""
        bits = mix64((self.settle_key + number * GOLDEN) & MASK64)
        latest = created + int(MAX_EVENT_DELAY.total_seconds()) - 60
        settled = []
        for position, moment in enumerate(refunds):
            chunk = (bits >> (32 * position)) & 0xFFFFFFFF
            room = min(3 * DAY, latest - moment)
            if (chunk & 0xFF) * REFUND_PENDING_IN < 256 and room > 2 * HOUR:
                settled.append(moment + 2 * HOUR + (chunk >> 8) * (room - 2 * HOUR) // (1 << 24))
            else:
                settled.append(moment)
        return tuple(settled)

    def _return_opened(self, number: int, created: int, shipments: tuple[int, ...]) -> int:
        """When a shipped order with no story gets a return of its own (0: never): half a day to six
        days after its last shipment, within MAX_EVENT_DELAY of the creation."""
        if number in self.special or not any(shipments):
            return 0
        bits = mix64((self.return_key + number * GOLDEN) & MASK64)
        if bits & 0x3FF >= RETURN_SHARE:
            return 0
        earliest = max(shipments) + 12 * HOUR
        room = min(6 * DAY, created + int(MAX_EVENT_DELAY.total_seconds()) - HOUR - earliest)
        if room <= 0:
            return 0
        return earliest + ((bits >> 10) & 0xFFFF) * room // 65536

    def has_later_events(self, number: int) -> bool:
        """Whether anything but the risk check and shipping happens after the creation (cheap)."""
        bits = mix64((self.key + number * GOLDEN) & MASK64)
        return number in self.special or not _CLASSES[_class_index(bits, (bits >> 55) & 0x7F == 0)][2]

    def timeline(self, number: int) -> OrderTimeline:
        bits = mix64((self.key + number * GOLDEN) & MASK64)
        created = self.created(number, bits)
        misc = bits >> 48
        gift_card_only = (misc >> 7) & 0x7F == 0
        utc = timezone.utc
        flow, _, quiet = _CLASSES[_class_index(bits, gift_card_only)]
        if quiet and number not in self.special:
            # Quiet orders, as plan() has them without building it: the risk check, then shipping if old.
            settled = _from_timestamp(created + 5 + (misc & 0x7F), utc)
            if gift_card_only or flow == TEST or created >= self.shipped_before:
                return OrderTimeline(number, _from_timestamp(created, utc), (settled,))
            delays = mix64((self.delay_key + number * GOLDEN) & MASK64)
            shipments = _shipments(created, delays, 1 <= (misc >> 7) & 0x7F <= 26, 0)
            later = [moment for moment in shipments if moment]
            returned = self._return_opened(number, created, shipments)
            if returned:
                later.append(returned)
            return OrderTimeline(number, _from_timestamp(created, utc),
                                 (settled, *[_from_timestamp(moment, utc) for moment in later]))
        plan = self.plan(number, created, bits)
        return OrderTimeline(number, _from_timestamp(created, utc),
                             tuple([_from_timestamp(moment, utc) for moment in plan.event_seconds()]))


def _shipments(created: int, delays: int, multi_location: bool, ready: int) -> tuple[int, ...]:
    """Shipping times per location: a day to four days on (not before `ready`); a second location
    ships hours later, or (one time in eight) never."""
    first = max(created + DAY + ((delays >> 16) & 0xFFFF) * (3 * DAY) // 65536, ready)
    if not multi_location:
        return (first,)
    last = delays >> 48
    return (first, 0 if (last >> 8) & 7 == 0 else first + 2 * HOUR + (last & 0xFF) * (28 * HOUR) // 256)


def _class_index(bits: int, gift_card_only: bool) -> int:
    return _FLOW_TABLE[(bits >> 16) & 0x3FF] * 12 + _STORY_TABLE[(bits >> 32) & 0x3FF] * 2 + gift_card_only


def _classify(flow: int, story: int, gift_card_only: bool) -> tuple[int, int, bool]:
    """(flow, story, quiet) once the combinations that cannot happen are turned into ones that can."""
    if gift_card_only and flow in (GIFT_CARD_SPLIT, GIFT_CARD_FULL):
        flow = CARD_SALE            # gift cards are not bought with gift cards
    if flow == TEST or (flow == MANUAL_UNPAID and story != CANCELLED):
        story = NO_STORY
    if story == EDITED and (flow not in SALE_FLOWS or gift_card_only):
        story = NO_STORY
    return flow, story, flow in _QUIET_FLOWS and story == NO_STORY


_QUIET_FLOWS = frozenset({CARD_SALE, MANUAL_PAID, PAYPAL, TEST, GIFT_CARD_FULL})   # no event of their own
_CLASSES = tuple(_classify(flow, story, bool(gift_card_only))
                 for flow in range(10) for story in range(6) for gift_card_only in (0, 1))
