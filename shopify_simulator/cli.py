"""`python -m shopify_simulator` (and `manage.py shopify_simulator`): run the simulator in the foreground."""
from __future__ import annotations

import argparse
import signal
import sys
from datetime import date, datetime, time, timezone
from typing import TextIO

from shopify_simulator.bucket import PLANS
from shopify_simulator.faults import FAULT_KINDS
from shopify_simulator.server import Simulator
from shopify_simulator.store.catalog_generation import CatalogSize
from shopify_simulator.store.companies_generation import MAX_EXTRA_CATALOGS
from shopify_simulator.store.customer_book import MAX_POOL
from shopify_simulator.store.orders import CUSTOMER_POOL

DESCRIPTION = "Run the Shopify simulator: a Shopify-compatible Admin GraphQL server over generated shops."


class UsageError(Exception):
    """A value on the command line that cannot be used; the message says which and why."""


def anchor_date(text: str) -> datetime:
    try:
        return datetime.combine(date.fromisoformat(text), time.min, tzinfo=timezone.utc)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--anchor takes a date such as 2025-03-10, not {text!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--orders", type=int, default=500, help="orders per shop (default 500)")
    parser.add_argument("--products", type=int, default=0,
                        help="products per shop at least (default: the shop's own few, which its orders sell)")
    parser.add_argument("--variants", type=int, default=0,
                        help="variants per shop at least, spread over the added products (e.g. --products 20000 "
                             "--variants 100000)")
    parser.add_argument("--locations", type=int, default=0,
                        help="locations per shop, the fulfillment service's warehouse included (default 3)")
    parser.add_argument("--customers", type=int, default=0,
                        help=f"customers per shop (default {CUSTOMER_POOL}, those the orders buy as; more are "
                             f"customers who never ordered, up to {MAX_POOL:,})")
    parser.add_argument("--b2b-catalogs", type=int, default=0,
                        help="extra company-location catalogs per B2B shop, each for a company location of its "
                             "own, with its price list (every variant at a fixed price) and publication "
                             f"(default 0; at most {MAX_EXTRA_CATALOGS:,})")
    parser.add_argument("--plan", choices=sorted(PLANS), default="basic")
    parser.add_argument("--anchor", type=anchor_date, default=None,
                        help="the store's 'today' (default: today, 00:00 UTC); same seed and anchor, same store")
    parser.add_argument("--fault", action="append", default=[], metavar="KIND=PROBABILITY",
                        help=f"inject a fault in every shop; kinds: {', '.join(FAULT_KINDS)}")
    parser.add_argument("--throttle-status", type=int, choices=(200, 429), default=200,
                        help="answer THROTTLED with HTTP 200 (Shopify's usual) or 429 with Retry-After")


def start(options: dict) -> Simulator:
    """A running simulator as the options say; UsageError for a value it cannot use."""
    if options["orders"] < 20:
        raise UsageError("--orders must be at least 20")
    size = CatalogSize(products=options.get("products") or 0, variants=options.get("variants") or 0)
    if size.products < 0 or size.variants < 0 or size.products > 200_000 or size.variants > 1_000_000:
        raise UsageError("--products takes 0 to 200,000 and --variants 0 to 1,000,000")
    if size.variants and size.variants < size.products:
        raise UsageError("--variants must be at least --products (each product has a variant)")
    if not 0 <= (options.get("locations") or 0) <= 50:
        raise UsageError("--locations takes 0 to 50")
    customers = options.get("customers") or 0
    if customers and not CUSTOMER_POOL <= customers <= MAX_POOL:
        raise UsageError(f"--customers takes {CUSTOMER_POOL} to {MAX_POOL:,}")
    b2b_catalogs = options.get("b2b_catalogs") or 0
    if not 0 <= b2b_catalogs <= MAX_EXTRA_CATALOGS:
        raise UsageError(f"--b2b-catalogs takes 0 to {MAX_EXTRA_CATALOGS:,}")
    try:
        simulator = Simulator(seed=options["seed"], orders=options["orders"], plan=options["plan"],
                              anchor=options["anchor"], host=options["host"], port=options["port"],
                              catalog=size, locations=options.get("locations") or 0, customers=customers,
                              b2b_catalogs=b2b_catalogs)
    except OSError as exc:
        raise UsageError(f"cannot listen on {options['host']}:{options['port']}: {exc.strerror}") from None
    try:
        for spec in options["fault"]:
            kind, _, probability = spec.partition("=")
            for shop in simulator.shops:
                shop.faults.set(kind, probability=float(probability or 0.1))
    except ValueError as exc:
        simulator.stop()
        raise UsageError(str(exc)) from None
    for shop in simulator.shops:
        shop.settings.throttle_status = options["throttle_status"]
    return simulator


def describe(simulator: Simulator, options: dict, out: TextIO) -> None:
    out.write(f"Shopify simulator on {simulator.base_url} (API {simulator.graphql_url()})\n")
    first = simulator.shops[0]
    out.write(f"seed {options['seed']}, {options['orders']} orders per shop, "
              f"{first.catalog.product_count():,} products / {first.catalog.variant_count():,} variants / "
              f"{len(first.profile.all_locations)} locations / {first.customers.pool_size:,} customers per shop, "
              f"{_b2b_catalogs(options)}plan {options['plan']}, "
              f"anchor {simulator.clock.anchor.date().isoformat()}\n")
    for shop in simulator.describe():
        out.write(f"  {shop['domain']:28} {shop['currency']} {shop['time_zone']:20} "
                  f"token {shop['access_token']}  secret {shop['api_secret_key']}\n")
    out.flush()


def _b2b_catalogs(options: dict) -> str:
    extra = options.get("b2b_catalogs") or 0
    return f"{extra:,} extra catalogs per B2B shop, " if extra else ""


def serve(simulator: Simulator) -> None:
    """Serve until Ctrl-C or SIGTERM, then stop."""
    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        simulator.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shopify_simulator", description=DESCRIPTION)
    add_arguments(parser)
    options = vars(parser.parse_args(argv))
    try:
        simulator = start(options)
    except UsageError as exc:
        parser.error(str(exc))
    describe(simulator, options, sys.stdout)
    serve(simulator)
    return 0
