"""A small, fast, deterministic random source: splitmix64, keyed by names.

Python's `random` module keeps global state and `hash(str)` changes per process, so neither gives
the same store twice. Here a stream is named by (seed, shop handle, stream name), hashed once with
BLAKE2b into a 64-bit key; the draws of order `number` are the splitmix64 outputs starting at
`key + number × golden ratio`, so any order's draws can be made without making the others'.
"""
from __future__ import annotations

import hashlib
from decimal import Decimal
from functools import lru_cache
from typing import Sequence, TypeVar

MASK64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
_TO_UNIT = 1.0 / (1 << 53)

T = TypeVar("T")


def mix64(z: int) -> int:
    """splitmix64's finaliser: a bijection on 64-bit integers that scatters every input bit."""
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


@lru_cache(maxsize=256)
def stream_key(seed: int, handle: str, stream: str) -> int:
    """The 64-bit key of one named stream of one shop for one seed."""
    digest = hashlib.blake2b(f"{seed}\x1f{handle}\x1f{stream}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def order_bits(key: int, number: int) -> int:
    """64 random bits for order `number` of the stream `key` (one splitmix64 step)."""
    return mix64((key + number * GOLDEN) & MASK64)


class RandomSource:
    """Successive draws for one order of one stream."""

    __slots__ = ("_state",)

    def __init__(self, key: int, number: int) -> None:
        # A distinct starting point per order: the order's bits, so streams of neighbouring
        # orders do not overlap.
        self._state = order_bits(key, number)

    def next64(self) -> int:
        self._state = (self._state + GOLDEN) & MASK64
        return mix64(self._state)

    def random(self) -> float:
        """A float in [0, 1)."""
        return (self.next64() >> 11) * _TO_UNIT

    def below(self, n: int) -> int:
        """An integer in [0, n)."""
        return (self.next64() >> 11) * n >> 53

    def between(self, low: int, high: int) -> int:
        """An integer in [low, high]."""
        return low + self.below(high - low + 1)

    def chance(self, probability: float) -> bool:
        return self.random() < probability

    def choice(self, items: Sequence[T]) -> T:
        return items[self.below(len(items))]

    def weighted(self, pairs: Sequence[tuple[T, float]]) -> T:
        """One value of (value, weight) pairs, with probability proportional to its weight."""
        total = sum(weight for _, weight in pairs)
        point = self.random() * total
        for value, weight in pairs:
            point -= weight
            if point < 0:
                return value
        return pairs[-1][0]

    def sample(self, items: Sequence[T], count: int) -> list[T]:
        """`count` distinct items (all of them if there are fewer), in drawn order."""
        pool = list(items)
        chosen = []
        for _ in range(min(count, len(pool))):
            chosen.append(pool.pop(self.below(len(pool))))
        return chosen

    def digits(self, count: int) -> str:
        return "".join(str(self.below(10)) for _ in range(count))

    def token(self, length: int) -> str:
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        return "".join(alphabet[self.below(len(alphabet))] for _ in range(length))

    def decimal_between(self, low: Decimal, high: Decimal, places: str = "0.0001") -> Decimal:
        step = Decimal(places)
        span = int((high - low) / step)
        return low + step * self.below(span + 1)
