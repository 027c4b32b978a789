"""The orders of one simulated shop, listed the way Shopify lists them, with little memory.

Orders are generated on demand from their number. The index keeps one 64-bit key per order
(updatedAt in milliseconds, then the number) in a sorted array, so a page sorted by UPDATED_AT
starts with a binary search. Orders whose updatedAt moved since (edited through the API, created
through the control API, or reached by an event of their timeline scheduled after start: a capture,
a refund, a pending refund settling, a return) live in a small sorted side list and are skipped in
the array. Orders made to a specification (store.custom_orders) are kept whole, as nothing can
generate them again.
"""
from __future__ import annotations

import bisect
import gc
import heapq
import threading
from array import array
from collections import OrderedDict
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterator

from shopify_simulator.store.locations import without_removed_locations
from shopify_simulator.store.order_view import purchasing_entity
from shopify_simulator.store.orders import (
    MAX_EVENT_DELAY,
    GeneratedOrder,
    OrderGenerator,
)

_NUMBER_BITS = 22  # up to 4 million orders per shop
_NUMBER_MASK = (1 << _NUMBER_BITS) - 1
ALL_ORDERS_WINDOW = timedelta(days=60)  # older orders need the read_all_orders scope
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def to_ms(moment: datetime) -> int:
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def from_ms(ms: int) -> datetime:
    return _EPOCH + timedelta(milliseconds=ms)


class OrderIndex:
    def __init__(self, generator: OrderGenerator, *, total: int, now: Callable[[], datetime],
                 on_order_updated: Callable[[int], None] | None = None,
                 edited_customer: Callable[[int], dict | None] = lambda number: None,
                 auto_archive: Callable[[], bool] = lambda: True,
                 removed_locations: Callable[[], set[str]] = lambda: set()) -> None:
        """`edited_customer(number)` is the customer as edited since generation (None: unchanged), so
        an order shows its customer as the customers list does; `removed_locations()` the locations
        removed from the shop, which its fulfillment orders no longer name (store.locations)."""
        self.generator = generator
        self._edited_customer = edited_customer
        self._auto_archive = auto_archive
        self._removed_locations = removed_locations
        self.total = total
        self._now = now
        self._on_order_updated = on_order_updated
        self._lock = threading.RLock()
        self._keys: array | None = None
        self._moved: dict[int, int] = {}        # number -> current key, for orders whose key changed
        self._moved_keys: list[int] = []        # sorted keys of _moved
        self._scheduled: list[tuple[int, int]] = []   # heap of (event ms, number) after the build
        self._created: dict[int, datetime] = {}  # numbers >= total: created through the control API
        self._custom: dict[int, GeneratedOrder] = {}   # those of them made to a specification
        self._deleted: set[int] = set()  # orders deleted through the control API
        self._touched: dict[int, datetime] = {}  # number -> updatedAt set by a mutation
        self._patches: dict[int, dict] = {}      # number -> fields changed by a mutation
        self._orders: OrderedDict[int, GeneratedOrder] = OrderedDict()

    # Building and refreshing
    def _ensure_built(self) -> None:
        if self._keys is not None:
            return
        with self._lock:
            if self._keys is not None:
                return
            now = self._now()
            now_ms = to_ms(now)
            keys = []
            # A million short-lived objects would trigger the cyclic collector for nothing.
            gc_was_enabled = gc.isenabled()
            gc.disable()
            scheduled = []
            timeline = self.generator.timeline
            for number in range(self.total):
                line = timeline(number)
                keys.append(to_ms(line.updated_at(now)) << _NUMBER_BITS | number)
                for moment in line.event_times:
                    event_ms = to_ms(moment)
                    if event_ms > now_ms:
                        scheduled.append((event_ms, number))
            if gc_was_enabled:
                gc.enable()
            keys.sort()
            heapq.heapify(scheduled)
            self._scheduled = scheduled
            self._keys = array("q", keys)

    def refresh(self) -> list[int]:
        """Let scheduled events whose time has come move their orders; returns those numbers."""
        self._ensure_built()
        now = self._now()
        now_ms = to_ms(now)
        changed = []
        with self._lock:
            while self._scheduled and self._scheduled[0][0] <= now_ms:
                _, number = heapq.heappop(self._scheduled)
                self._move(number, now)
                changed.append(number)
        for number in changed:
            if self._on_order_updated:
                self._on_order_updated(number)
        return changed

    def _move(self, number: int, now: datetime) -> None:
        old = self._moved.pop(number, None)
        if old is not None:
            del self._moved_keys[bisect.bisect_left(self._moved_keys, old)]
        key = to_ms(self.updated_at(number, now)) << _NUMBER_BITS | number
        self._moved[number] = key
        bisect.insort(self._moved_keys, key)

    # Orders
    def created_at(self, number: int) -> datetime:
        if number < self.total:
            return self.generator.created_at(number)
        return self._created[number]

    def created_orders(self) -> list[GeneratedOrder]:
        """The orders created through the control API, for the payouts of their days."""
        return [self.order(number) for number in sorted(self._created)]

    def exists(self, number: int) -> bool:
        return (0 <= number < self.total or number in self._created) and number not in self._deleted

    def delete(self, number: int) -> None:
        """Shopify deleted the order: it is listed and found no more."""
        with self._lock:
            self._deleted.add(number)

    def order(self, number: int) -> GeneratedOrder:
        custom = self._custom.get(number)
        if custom is not None:
            return custom
        with self._lock:
            order = self._orders.get(number)
            if order is not None:
                self._orders.move_to_end(number)
                return order
        if number < self.total:
            order = self.generator.order(number)
        else:
            order = self.generator.order(number, created_at=self._created[number])
        with self._lock:
            self._orders[number] = order
            if len(self._orders) > 4096:
                self._orders.popitem(last=False)
        return order

    def updated_at(self, number: int, now: datetime) -> datetime:
        moment = self.order(number).updated_at(now)
        touched = self._touched.get(number)
        return max(moment, touched) if touched else moment

    def view(self, number: int, now: datetime | None = None) -> dict:
        now = now or self._now()
        view = dict(self.order(number).view(now))
        view["__typename"] = "Order"
        if view.get("closed") and not view.get("cancelledAt") and not self._auto_archive():
            view["closed"], view["closedAt"] = False, None   # done, but left open for orderClose
        patch = self._patches.get(number)
        if patch:
            view.update(patch)
        if number in self._touched:
            view["updatedAt"] = _iso(self.updated_at(number, now))
        customer = view.get("customer")
        edited = self._edited_customer(int(customer["legacyResourceId"])) if customer else None
        if edited is not None:
            view["customer"] = edited
        view["purchasingEntity"] = purchasing_entity(view.get("customer"))
        removed = self._removed_locations()
        return without_removed_locations(view, removed) if removed else view

    def create(self) -> int:
        """A new order, created now (numbers continue after the generated store)."""
        self._ensure_built()
        now = self._now()
        with self._lock:
            number = max(self._created, default=self.total - 1) + 1
            self._created[number] = now
            self._move(number, now)
            for moment in self.order(number).timeline.event_times:
                heapq.heappush(self._scheduled, (to_ms(moment), number))
        return number

    def create_custom(self, build: Callable[[int, datetime], GeneratedOrder]) -> int:
        """A new order made now by `build(number, created_at)` (numbers go on as `create`'s); it has no
        later events of its own."""
        self._ensure_built()
        now = self._now()
        with self._lock:
            number = max(self._created, default=self.total - 1) + 1
            self._custom[number] = build(number, now)
            self._created[number] = now
            self._move(number, now)
        return number

    def remake_custom(self, number: int, remake: Callable[[GeneratedOrder], GeneratedOrder], *,
                      given: set[str]) -> datetime:
        """Replace an order made to a specification by `remake(order)`; updatedAt moves as `change`
        moves it. The fields of the order's view in `given` drop what a mutation set there."""
        self._ensure_built()
        now = self._now()
        with self._lock:
            moment = max(now, self.updated_at(number, now) + timedelta(seconds=1))
            self._custom[number] = remake(self._custom[number])
            self._touched[number] = moment
            for key in given:
                self._patches.get(number, {}).pop(key, None)
            self._move(number, moment)
        return moment

    def custom_names(self) -> set[str]:
        """The names of the orders made to a specification."""
        with self._lock:
            return {order.name for order in self._custom.values()}

    def change(self, number: int, fields: dict) -> datetime:
        """Apply a mutation's changes; updatedAt moves to now (and at least one second on)."""
        self._ensure_built()
        now = self._now()
        with self._lock:
            previous = self.updated_at(number, now)
            moment = max(now, previous + timedelta(seconds=1))
            self._touched[number] = moment
            self._patches.setdefault(number, {}).update(fields)
            self._move(number, moment)
        return moment

    # Listing
    def numbers_by_updated(self, *, after_key: int | None, reverse: bool, lower_ms: int | None,
                           upper_ms: int | None) -> Iterator[tuple[int, int]]:
        """(key, number) in updatedAt order within [lower_ms, upper_ms], after the cursor key."""
        self._ensure_built()
        with self._lock:
            moved = dict(self._moved)
            moved_keys = list(self._moved_keys)
        keys = self._keys
        low = (lower_ms << _NUMBER_BITS) if lower_ms is not None else None
        high = ((upper_ms + 1) << _NUMBER_BITS) - 1 if upper_ms is not None else None

        def walk(sorted_keys, skip_moved: bool):
            if not reverse:
                start = 0 if low is None else bisect.bisect_left(sorted_keys, low)
                if after_key is not None:
                    start = max(start, bisect.bisect_right(sorted_keys, after_key))
                for position in range(start, len(sorted_keys)):
                    key = sorted_keys[position]
                    if high is not None and key > high:
                        return
                    number = key & _NUMBER_MASK
                    if skip_moved and number in moved:
                        continue
                    yield key, number
            else:
                end = len(sorted_keys) if high is None else bisect.bisect_right(sorted_keys, high)
                if after_key is not None:
                    end = min(end, bisect.bisect_left(sorted_keys, after_key))
                for position in range(end - 1, -1, -1):
                    key = sorted_keys[position]
                    if low is not None and key < low:
                        return
                    number = key & _NUMBER_MASK
                    if skip_moved and number in moved:
                        continue
                    yield key, number

        yield from heapq.merge(walk(keys, True), walk(moved_keys, False), reverse=reverse)

    def numbers_by_created(self, *, after_number: int | None, reverse: bool, lower: datetime | None,
                           upper: datetime | None) -> Iterator[tuple[int, int]]:
        """(number, number) in creation order (the same as ID order) within [lower, upper]."""
        self._ensure_built()
        extra = sorted(self._created)
        numbers = _Numbers(self.total, extra)
        start = 0 if lower is None else self._first_created_at_or_after(numbers, lower)
        stop = len(numbers) if upper is None else self._first_created_at_or_after(numbers, upper, strict=True)
        if after_number is not None:
            cut = numbers.position_after(after_number)
            if reverse:
                stop = min(stop, numbers.position_of_or_before(after_number))
            else:
                start = max(start, cut)
        positions = range(stop - 1, start - 1, -1) if reverse else range(start, stop)
        for position in positions:
            number = numbers[position]
            yield number, number

    def _first_created_at_or_after(self, numbers: "_Numbers", moment: datetime, strict: bool = False) -> int:
        low, high = 0, len(numbers)
        while low < high:
            middle = (low + high) // 2
            created = self.created_at(numbers[middle])
            if created < moment or (strict and created == moment):
                low = middle + 1
            else:
                high = middle
        return low

    def visible_from(self, scopes: frozenset[str]) -> datetime | None:
        """Orders created before this are hidden (no read_all_orders scope: only the last 60 days)."""
        if "read_all_orders" in scopes:
            return None
        return self._now() - ALL_ORDERS_WINDOW

    def numbers_with_events_between(self, start: datetime, end: datetime) -> Iterator[int]:
        """Orders that may have money movements in [start, end)."""
        self._ensure_built()
        for number, _ in self.numbers_by_created(after_number=None, reverse=False,
                                                 lower=start - MAX_EVENT_DELAY, upper=end):
            yield number


class _Numbers:
    """The order numbers in creation order: 0..total-1, then the created ones."""

    def __init__(self, total: int, extra: list[int]) -> None:
        self.total, self.extra = total, extra

    def __len__(self) -> int:
        return self.total + len(self.extra)

    def __getitem__(self, position: int) -> int:
        return position if position < self.total else self.extra[position - self.total]

    def position_after(self, number: int) -> int:
        if number < self.total:
            return number + 1
        return self.total + bisect.bisect_right(self.extra, number)

    def position_of_or_before(self, number: int) -> int:
        if number < self.total:
            return number
        return self.total + bisect.bisect_left(self.extra, number)


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
