import signal
from datetime import date, datetime, time, timezone

from django.core.management.base import BaseCommand, CommandError

from connectors.shopify.simulator.bucket import PLANS
from connectors.shopify.simulator.faults import FAULT_KINDS
from connectors.shopify.simulator.server import Simulator


def _anchor(text: str) -> datetime:
    try:
        return datetime.combine(date.fromisoformat(text), time.min, tzinfo=timezone.utc)
    except ValueError:
        raise CommandError(f"--anchor takes a date such as 2025-03-10, not {text!r}") from None


class Command(BaseCommand):
    help = "Run the Shopify simulator: a Shopify-compatible Admin GraphQL server over generated shops."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--orders", type=int, default=500, help="orders per shop (default 500)")
        parser.add_argument("--plan", choices=sorted(PLANS), default="basic")
        parser.add_argument("--anchor", type=_anchor, default=None,
                            help="the store's 'today' (default: today, 00:00 UTC); same seed and anchor, same store")
        parser.add_argument("--fault", action="append", default=[], metavar="KIND=PROBABILITY",
                            help=f"inject a fault in every shop; kinds: {', '.join(FAULT_KINDS)}")
        parser.add_argument("--throttle-status", type=int, choices=(200, 429), default=200,
                            help="answer THROTTLED with HTTP 200 (Shopify's usual) or 429 with Retry-After")

    def handle(self, *args, **options):
        if options["orders"] < 20:
            raise CommandError("--orders must be at least 20")
        try:
            simulator = Simulator(seed=options["seed"], orders=options["orders"], plan=options["plan"],
                                  anchor=options["anchor"], host=options["host"], port=options["port"])
        except OSError as exc:
            raise CommandError(f"cannot listen on {options['host']}:{options['port']}: {exc.strerror}") from None
        for spec in options["fault"]:
            kind, _, probability = spec.partition("=")
            for shop in simulator.shops:
                try:
                    shop.faults.set(kind, probability=float(probability or 0.1))
                except ValueError as exc:
                    raise CommandError(str(exc)) from None
        for shop in simulator.shops:
            shop.settings.throttle_status = options["throttle_status"]

        self.stdout.write(f"Shopify simulator on {simulator.base_url} (API {simulator.graphql_url()})")
        self.stdout.write(f"seed {options['seed']}, {options['orders']} orders per shop, plan {options['plan']}, "
                          f"anchor {simulator.clock.anchor.date().isoformat()}")
        for shop in simulator.describe():
            self.stdout.write(f"  {shop['domain']:28} {shop['currency']} {shop['time_zone']:20} "
                              f"token {shop['access_token']}  secret {shop['api_secret_key']}")
        self.stdout.flush()

        def stop(signum, frame):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        try:
            simulator.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            simulator.stop()
