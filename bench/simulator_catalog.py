"""How fast the Shopify simulator serves a large catalog, and whether its memory grows with reads:
20,000 products / 100,000 variants / 5 locations per shop, beside the orders of the same store.

    .venv/bin/python -m bench.simulator_catalog [--products 20000 --variants 100000 --locations 5]
                                                [--plan unlimited|basic|...] [--seconds 8]

The store runs in its own `shopify_simulator` process; this process is the client. On a real plan
(e.g. --plan basic) the client waits as the cost bucket asks, so a large read is slow by design:
the figures are then Shopify's pace, not the simulator's. Prints figures only.
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
from bench.simulator import peak_rss_mb

ROOT = Path(__file__).resolve().parent.parent
ORDERS = """query($after: String) { orders(first: 250, after: $after) { nodes { id name updatedAt }
  pageInfo { hasNextPage endCursor } } }"""
PRODUCTS = """query($after: String) { products(first: 50, after: $after) { nodes { id title status updatedAt
  variants(first: 10) { nodes { id sku price inventoryQuantity } } } pageInfo { hasNextPage endCursor } } }"""
VARIANTS = """query($after: String) { productVariants(first: 50, after: $after) { nodes { id sku barcode price
  inventoryItem { id inventoryLevels(first: 5) { nodes { location { id }
    quantities(names: ["available", "on_hand"]) { name quantity } } } } } pageInfo { hasNextPage endCursor } } }"""
LEVELS = """query($after: String) { location { inventoryLevels(first: 250, after: $after) { nodes { id
  quantities(names: ["available"]) { quantity } } pageInfo { hasNextPage endCursor } } } }"""
BULK = """mutation { bulkOperationRunQuery(query: \"\"\"{ products { edges { node { id title
  variants { edges { node { id sku price } } } } } } }\"\"\") { bulkOperation { id } userErrors { message } } }"""
POLL = "{ currentBulkOperation { status objectCount url } }"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Client:
    def __init__(self, base: str, token: str) -> None:
        self.session = requests.Session()
        self.url = f"{base}/admin/api/2025-01/graphql.json"
        self.headers = {"X-Shopify-Access-Token": token}

    def post(self, query: str, variables: dict | None = None) -> dict:
        """The answer's data, waiting and asking again while the shop's cost bucket says THROTTLED."""
        while True:
            body = self.session.post(self.url, json={"query": query, "variables": variables or {}},
                                     headers=self.headers, timeout=600).json()
            errors = body.get("errors") or []
            if errors and errors[0].get("extensions", {}).get("code") == "THROTTLED":
                time.sleep(0.5)
                continue
            if "data" not in body or errors:
                raise RuntimeError(f"the simulator refused the query: {errors}")
            return body["data"]

    def rate(self, query: str, path: tuple[str, ...], seconds: float) -> tuple[float, float]:
        """(objects/s, requests/s) paging `query` for `seconds`."""
        served = requests_made = 0
        after, started = None, time.perf_counter()
        while time.perf_counter() - started < seconds:
            page = self.post(query, {"after": after})
            for key in path:
                page = page[key]
            served += len(page["nodes"])
            requests_made += 1
            after = page["pageInfo"]["endCursor"] if page["pageInfo"]["hasNextPage"] else None
        elapsed = time.perf_counter() - started
        return served / elapsed, requests_made / elapsed


def run(options) -> dict:
    port = free_port()
    env = {**os.environ, "DEBUG": "true", "LOG_LEVEL": "WARNING"}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "shopify_simulator", "--port", str(port), "--orders", "2000",
         "--plan", options.plan, "--anchor", "2025-03-12", "--products", str(options.products),
         "--variants", str(options.variants), "--locations", str(options.locations)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                shops = requests.get(f"{base}/_simulator/shops", timeout=2).json()["shops"]
                break
            except requests.RequestException:
                time.sleep(0.1)
        else:
            raise RuntimeError("the simulator did not start")
        start_seconds = time.perf_counter() - started
        client = Client(base, shops[0]["access_token"])
        seconds = options.seconds
        figures = {"start s (4 shops)": round(start_seconds, 1), "RSS after start MB": round(rss_mb(process.pid))}
        orders = client.rate(ORDERS, ("orders",), seconds)
        products = client.rate(PRODUCTS, ("products",), seconds)
        variants = client.rate(VARIANTS, ("productVariants",), seconds)
        levels = client.rate(LEVELS, ("location", "inventoryLevels"), seconds)
        figures.update({
            "orders/s (250/page)": round(orders[0]), "products/s (50/page, with variants)": round(products[0]),
            "product pages/s": round(products[1], 1),
            "variants/s (50/page, with levels)": round(variants[0]),
            "levels/s (a location, 250/page)": round(levels[0]),
        })
        after_reads = rss_mb(process.pid)
        for _ in range(3):   # the same reads again: memory must stay where it is
            client.rate(VARIANTS, ("productVariants",), seconds / 2)
        figures["RSS after reads MB"] = round(after_reads)
        figures["RSS after as many again MB"] = round(rss_mb(process.pid))
        started = time.perf_counter()
        client.post(BULK)
        while (operation := client.post(POLL)["currentBulkOperation"])["status"] in ("CREATED", "RUNNING"):
            time.sleep(0.5)
        figures["bulk export of products+variants s"] = round(time.perf_counter() - started, 1)
        figures["bulk export lines"] = int(operation["objectCount"])
        figures["peak RSS MB"] = round(peak_rss_mb(process.pid))
        return figures
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--variants", type=int, default=100_000)
    parser.add_argument("--locations", type=int, default=5)
    parser.add_argument("--plan", default="unlimited", help="basic is Shopify's pace: a large read is slow by design")
    parser.add_argument("--seconds", type=float, default=8.0, help="measuring time per list")
    options = parser.parse_args()
    print(f"{options.products:,} products / {options.variants:,} variants / {options.locations} locations per shop, "
          f"plan {options.plan}")
    for name, value in run(options).items():
        print(f"  {name:40} {value:>10}")


if __name__ == "__main__":
    main()
