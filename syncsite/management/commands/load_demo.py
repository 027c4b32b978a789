import requests
from django.core.management.base import BaseCommand, CommandError

from connectors.shopify.errors import ShopifyError
from syncsite.demo import connect_to_simulator, load_demo, subscribe_demo_webhooks, sync_demo_stock_locations


class Command(BaseCommand):
    help = "Create the demo merchants, their accounts and mappings, and the demo users (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--simulator-url", help="point the demo merchants at this running Shopify simulator")

    def handle(self, *args, **options):
        merchants = load_demo()
        self.stdout.write(f"demo data ready: {', '.join(m.code for m in merchants)}")
        if options["simulator_url"]:
            try:
                connected = connect_to_simulator(simulator_url=options["simulator_url"])
            except requests.RequestException as exc:
                raise CommandError(f"the simulator at {options['simulator_url']} did not answer: {exc}") from None
            self.stdout.write(f"connected to the simulator: {', '.join(m.code for m in connected)}")
            for line in subscribe_demo_webhooks(connected):
                self.stdout.write(line)
            try:
                for line in sync_demo_stock_locations(connected):
                    self.stdout.write(line)
            except ShopifyError as exc:
                self.stdout.write(f"the shops' locations were not imported ({exc}); Sync inventory imports them")
