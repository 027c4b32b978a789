"""Fault injection per shop: each kind fires for the next N requests, or with a probability."""
from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

FAULT_KINDS = (
    "unauthorized",   # 401 with Shopify's body
    "throttle",       # THROTTLED whatever the bucket holds (a throttle storm)
    "server_error",   # HTTP 500/502/503
    "slow",           # answer after `seconds`, past a client's timeout
    "drop",           # close the connection without an answer
    "malformed",      # HTTP 200 with a body that is not JSON
    "empty",          # HTTP 200 with {"data": {}}: valid JSON, nothing in it
    "null_nodes",     # an answer to nodes(ids:) whose every node is null (counts only such answers)
)
# Faults drawn once the answer is known, and only for answers they can change.
ANSWER_FAULTS = ("null_nodes",)


@dataclass
class FaultRule:
    next_requests: int = 0
    probability: float = 0.0
    seconds: float = 5.0
    status: int = 503


@dataclass
class Faults:
    seed: int = 0
    rules: dict[str, FaultRule] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)
        self._lock = threading.Lock()
        self.requests = 0                        # GraphQL requests answered (or dropped)
        self.suffered: dict[str, int] = {}       # faults injected, by kind

    def note_request(self) -> None:
        with self._lock:
            self.requests += 1

    def set(self, kind: str, *, next_requests: int = 0, probability: float = 0.0, seconds: float = 5.0,
            status: int = 503) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; known: {', '.join(FAULT_KINDS)}")
        if not 0.0 <= probability <= 1.0:
            raise ValueError("probability must be between 0 and 1")
        with self._lock:
            self.rules[kind] = FaultRule(next_requests, probability, seconds, status)

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()

    def draw(self, kinds: tuple[str, ...] = tuple(k for k in FAULT_KINDS if k not in ANSWER_FAULTS)
             ) -> tuple[str, FaultRule] | None:
        """The fault this request suffers, if any (at most one, in FAULT_KINDS order, among `kinds`)."""
        with self._lock:
            for kind in kinds:
                rule = self.rules.get(kind)
                if rule is None:
                    continue
                if rule.next_requests > 0:
                    rule.next_requests -= 1
                elif not (rule.probability and self._random.random() < rule.probability):
                    continue
                self.suffered[kind] = self.suffered.get(kind, 0) + 1
                return kind, rule
        return None

    def statistics(self) -> dict:
        with self._lock:
            return {"requests": self.requests, "faults": dict(self.suffered)}

    def describe(self) -> dict:
        with self._lock:
            return {k: vars(r).copy() for k, r in self.rules.items()}
