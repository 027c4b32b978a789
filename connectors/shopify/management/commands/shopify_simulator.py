"""`manage.py shopify_simulator`: the simulator's own command line (`python -m shopify_simulator`)."""
from django.core.management.base import BaseCommand, CommandError

from shopify_simulator import cli


class Command(BaseCommand):
    help = cli.DESCRIPTION

    def add_arguments(self, parser):
        cli.add_arguments(parser)

    def handle(self, *args, **options):
        try:
            simulator = cli.start(options)
        except cli.UsageError as exc:
            raise CommandError(str(exc)) from None
        cli.describe(simulator, options, self.stdout)
        cli.serve(simulator)
