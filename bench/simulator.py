"""How fast the Shopify simulator serves, and how much memory it takes, for 10,000 and 1,000,000 orders.

    .venv/bin/python -m bench.simulator [--sizes 10000,1000000] [--seconds 10]

Each store runs in its own `shopify_simulator` process (unlimited plan, so the figures are the
simulator's own, not Shopify's rate limit); this process is the client. Prints figures only.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import requests

from bench.services import free_port

ROOT = Path(__file__).resolve().parent.parent
PAGE = """query($after: String) { orders(first: 250, after: $after, sortKey: UPDATED_AT) {
  nodes { id name updatedAt displayFinancialStatus totalPriceSet { shopMoney { amount currencyCode } } }
  pageInfo { hasNextPage endCursor } } }"""
FULL_ORDER = """query($after: String) { orders(first: 10, after: $after) { nodes { id name updatedAt
  lineItems(first: 10) { nodes { id quantity originalUnitPriceSet { shopMoney { amount } }
    taxLines { rate priceSet { shopMoney { amount } } } } }
  transactions { kind status gateway amountSet { shopMoney { amount } } fees { amount { amount } } } }
  pageInfo { hasNextPage endCursor } } }"""


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bench_store(orders: int, seconds: float) -> dict:
    port = free_port()
    env = {**os.environ, "DEBUG": "true", "LOG_LEVEL": "WARNING"}
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "shopify_simulator", "--port", str(port), "--orders", str(orders),
         "--plan", "unlimited", "--anchor", "2025-03-12"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        session = requests.Session()
        for _ in range(300):
            try:
                shops = session.get(f"{base}/_simulator/shops", timeout=2).json()["shops"]
                break
            except requests.RequestException:
                time.sleep(0.1)
        else:
            raise RuntimeError("the simulator did not start")
        url = f"{base}/admin/api/2025-01/graphql.json"
        headers = {"X-Shopify-Access-Token": shops[0]["access_token"]}

        def post(query: str, variables: dict | None = None) -> dict:
            return session.post(url, json={"query": query, "variables": variables or {}}, headers=headers,
                                timeout=600).json()

        started = time.perf_counter()
        post("{ orders(first: 1, sortKey: UPDATED_AT) { nodes { id } } }")  # builds the index
        index_seconds = time.perf_counter() - started

        count, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds / 3:
            post("{ shop { name } }")
            count += 1
        requests_per_second = count / (time.perf_counter() - started)

        def paging_rate(query: str) -> float:
            served, after, started = 0, None, time.perf_counter()
            while time.perf_counter() - started < seconds / 3:
                body = post(query, {"after": after})
                if "data" not in body:
                    raise RuntimeError(f"the simulator refused the query: {body.get('errors')}")
                page = body["data"]["orders"]
                served += len(page["nodes"])
                after = page["pageInfo"]["endCursor"] if page["pageInfo"]["hasNextPage"] else None
            return served / (time.perf_counter() - started)

        return {
            "orders": orders,
            "index build s": round(index_seconds, 2),
            "requests/s (shop)": round(requests_per_second),
            "orders/s (headers, 250/page)": round(paging_rate(PAGE)),
            "orders/s (with lines, 10/page)": round(paging_rate(FULL_ORDER)),
            "peak RSS MB": round(peak_rss_mb(process.pid), 1),
        }
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--seconds", type=float, default=12.0, help="measuring time per store")
    args = parser.parse_args()
    rows = [bench_store(int(size), args.seconds) for size in args.sizes.split(",")]
    columns = list(rows[0])
    print("  ".join(f"{c:>30}" if i else f"{c:>10}" for i, c in enumerate(columns)))
    for row in rows:
        print("  ".join(f"{row[c]!s:>30}" if i else f"{row[c]!s:>10}" for i, c in enumerate(columns)))


if __name__ == "__main__":
    main()
