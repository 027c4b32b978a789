"""Paced paging on Shopify's basic plan, beside a naive client, for a fixed window.

    .venv/bin/python -m bench.pacing [--seconds 120]

Both clients read order pages from their own simulated shop (each shop has its own bucket: 1000
points, 100 restored a second) at the same time. The naive one does what older connectors do: 25
orders a page, no pacing, a fixed one-second sleep after an error. Ours pages at the size the cost
allows and waits for the bucket before each call. Prints orders/s, THROTTLED answers and bucket
utilisation = actual cost spent / (starting bucket + restore rate x elapsed).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

from bench.services import free_port

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = (ROOT / "bench" / "graphql" / "OrderHeadersPage.graphql").read_text()


def paced(base_url: str, token: str, seconds: float, result: dict) -> None:
    from connectors.shopify.client import ShopifyClient
    from connectors.shopify.documents import Document

    client = ShopifyClient(base_url=base_url, access_token=token, api_version="2025-01")
    document = Document("OrderHeadersPage", DOCUMENT)
    orders, after, started = 0, None, time.monotonic()
    while time.monotonic() - started < seconds:
        page = client.execute(document, {"first": 100, "after": after})
        connection = page.data["orders"]
        orders += len(connection["nodes"])
        after = connection["pageInfo"]["endCursor"] if connection["pageInfo"]["hasNextPage"] else None
    result.update(orders=orders, elapsed=time.monotonic() - started, throttled=client.stats.throttled,
                  calls=client.stats.calls, actual=client.stats.actual_cost)


def naive(base_url: str, token: str, seconds: float, result: dict) -> None:
    session = requests.Session()
    orders = throttled = calls = 0
    actual = 0.0
    after, started = None, time.monotonic()
    while time.monotonic() - started < seconds:
        calls += 1
        body = session.post(f"{base_url}/admin/api/2025-01/graphql.json",
                            json={"query": DOCUMENT, "variables": {"first": 25, "after": after}},
                            headers={"X-Shopify-Access-Token": token}, timeout=30).json()
        if body.get("errors"):
            throttled += 1
            time.sleep(1.0)
            continue
        actual += body["extensions"]["cost"]["actualQueryCost"]
        connection = body["data"]["orders"]
        orders += len(connection["nodes"])
        after = connection["pageInfo"]["endCursor"] if connection["pageInfo"]["hasNextPage"] else None
    result.update(orders=orders, elapsed=time.monotonic() - started, throttled=throttled, calls=calls, actual=actual)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--orders", type=int, default=50_000)
    args = parser.parse_args()
    os.environ.setdefault("DEBUG", "true")  # settings for the client's defaults; no database is used
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "syncsite.settings")
    import django

    django.setup()
    port = free_port()
    simulator = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "shopify_simulator", "--port", str(port), "--orders",
         str(args.orders), "--plan", "basic", "--anchor", "2025-03-12"],
        cwd=ROOT, env={**os.environ, "DEBUG": "true", "LOG_LEVEL": "WARNING"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        tokens = {}
        for line in simulator.stdout:
            if "token " in line:
                tokens[line.split()[0]] = line.split("token ")[1].split()[0]
            if len(tokens) == 4:
                break
        base_url = f"http://127.0.0.1:{port}"
        # Build both shops' order indexes before the clock starts.
        for token in tokens.values():
            requests.post(f"{base_url}/admin/api/2025-01/graphql.json", timeout=120,
                          json={"query": "{ orders(first: 1, sortKey: UPDATED_AT) { nodes { id } } }"},
                          headers={"X-Shopify-Access-Token": token})
        time.sleep(10)  # let both buckets fill up again
        results = {"paced (syncsite)": {}, "naive (25/page, 1 s sleeps)": {}}
        threads = [
            threading.Thread(target=paced, args=(base_url, tokens["demo-eu.myshopify.com"], args.seconds,
                                                 results["paced (syncsite)"])),
            threading.Thread(target=naive, args=(base_url, tokens["demo-us.myshopify.com"], args.seconds,
                                                 results["naive (25/page, 1 s sleeps)"])),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        simulator.terminate()
        simulator.wait(timeout=10)
    print(f"{'client':>30} {'orders/s':>9} {'calls':>6} {'THROTTLED':>10} {'THROTTLED %':>12} {'utilisation':>12}")
    for name, r in results.items():
        budget = 1000 + 100 * r["elapsed"]
        print(f"{name:>30} {r['orders'] / r['elapsed']:>9.1f} {r['calls']:>6} {r['throttled']:>10} "
              f"{100 * r['throttled'] / max(1, r['calls']):>11.1f}% {100 * r['actual'] / budget:>11.1f}%")


if __name__ == "__main__":
    main()
