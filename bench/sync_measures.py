"""What the benches of syncs to Shopify (bench.sync_inventory, bench.sync_shipments) measure inside
their child process: every statement and the time spent in it, the client's requests by operation,
the time the client waited for the shop's cost bucket apart from its bulk-export polling, our own CPU
time, the peak RSS of a step, and what a step's query cost is against Shopify's buckets."""
from __future__ import annotations

import resource
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import requests

from bench.sales_documents import statement_text

# Shopify's buckets: points, and points restored a second (the simulator's shopify_simulator.bucket.PLANS).
BUCKETS = {"basic": (1_000, 100), "advanced": (2_000, 200), "plus": (10_000, 1_000)}


class TimedStatements:
    """An execute wrapper: the statements run (executemany once), the seconds spent in them, and, when
    asked, their SQL text."""

    def __init__(self, *, keep_sql: bool = False) -> None:
        self.count = 0
        self.seconds = 0.0
        self.keep_sql = keep_sql
        self.by_text: Counter[str] = Counter()

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        if self.keep_sql:
            self.by_text[statement_text(sql)] += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


class OperationsSession(requests.Session):
    """The GraphQL operations sent, by name, as an HTTP log would show them."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: Counter[str] = Counter()

    def post(self, url, json=None, **kwargs):
        self.sent[(json or {}).get("operationName") or "?"] += 1
        return super().post(url, json=json, **kwargs)


class MeasuredClient:
    """A ShopifyClient for the merchant whose waits are counted: `bucket_wait` (the pacer's and
    THROTTLED's, i.e. Shopify's bucket) and `poll_wait` (the pauses between polls of a bulk export)."""

    def __init__(self, merchant, *, bulk_poll_min: float = 0.2, bulk_poll_max: float = 1.0) -> None:
        from connectors.shopify.client import ClientSettings, ShopifyClient

        self.bucket_wait = 0.0
        self.poll_wait = 0.0
        self.session = OperationsSession()
        settings = replace(ClientSettings.from_settings(), bulk_poll_min=bulk_poll_min, bulk_poll_max=bulk_poll_max)
        self.client = ShopifyClient.for_merchant(merchant, client_settings=settings, session=self.session,
                                                 sleep=self._bucket_sleep)
        self.client.pause = self._poll_pause

    def _bucket_sleep(self, seconds: float) -> None:
        self.bucket_wait += seconds
        time.sleep(seconds)

    def _poll_pause(self, seconds: float) -> None:
        self.poll_wait += seconds
        time.sleep(seconds)

    def figures(self) -> dict:
        stats = self.client.stats
        return {"requests": stats.calls, "throttled": stats.throttled, "retries": stats.retries,
                "requested cost": round(stats.requested_cost), "actual cost": round(stats.actual_cost),
                "in HTTP s": round(stats.seconds, 2), "bucket wait s": round(self.bucket_wait, 2),
                "poll wait s": round(self.poll_wait, 2), "operations": dict(self.session.sent.most_common())}


def restore_bound_seconds(actual_cost: float) -> dict[str, float]:
    """Per plan, the seconds the bucket's restore rate alone needs for `actual_cost` points beyond a
    full bucket: no run spending them can be quicker on that plan."""
    return {plan: round(max(0.0, actual_cost - size) / rate, 1) for plan, (size, rate) in BUCKETS.items()}


class Step:
    """One measured step of a child process: wall, CPU and database seconds, statements, and how far
    the process's RSS peaked above where it stood when the step began (Linux's VmHWM, reset through
    /proc/self/clear_refs)."""

    def __init__(self, statements: TimedStatements) -> None:
        self.statements = statements

    def __enter__(self) -> "Step":
        self.rss_before = status_kb("VmRSS")
        Path("/proc/self/clear_refs").write_text("5")
        self._statements, self._db = self.statements.count, self.statements.seconds
        self._cpu, self._wall = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu
        self.db = self.statements.seconds - self._db
        self.queries = self.statements.count - self._statements
        self.peak_growth_mb = (status_kb("VmHWM") - self.rss_before) / 1024
        self.peak_mb = status_kb("VmHWM") / 1024

    def figures(self) -> dict:
        return {"seconds": round(self.seconds, 2), "CPU s": round(self.cpu, 2), "DB s": round(self.db, 2),
                "queries": self.queries, "RSS before MB": round(self.rss_before / 1024, 1),
                "peak RSS MB": round(self.peak_mb, 1), "peak growth MB": round(self.peak_growth_mb, 1)}


def status_kb(key: str) -> int:
    """A figure of /proc/self/status, in kB (VmRSS: resident now; VmHWM: peak since the last reset)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    raise KeyError(key)


def process_peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
