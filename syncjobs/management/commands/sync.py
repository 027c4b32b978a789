import sys

from django.core.management.base import BaseCommand, CommandError

from connectors.shopify.errors import ShopifyError
from merchants.models import Merchant
from syncjobs.reports.base import ReportError
from syncjobs.services import run_report


class Command(BaseCommand):
    help = ("Run a report in the foreground, e.g. `sync 30104 --merchant DEMO-EU --param financial_status=paid`. "
            "Ends with one line: read=N created=N updated=N skipped=N failed=N.")

    def add_arguments(self, parser):
        parser.add_argument("report", type=int, help="the report number, e.g. 30104")
        parser.add_argument("--merchant", required=True, help="the merchant's code")
        parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                            help="a request-page value, e.g. financial_status=paid (repeatable)")

    def handle(self, *args, **options):
        try:
            merchant = Merchant.objects.get(code=options["merchant"])
        except Merchant.DoesNotExist:
            raise CommandError(f"there is no merchant {options['merchant']!r}") from None
        parameters = {}
        for item in options["param"]:
            name, sep, value = item.partition("=")
            if not sep:
                raise CommandError(f"--param takes NAME=VALUE, not {item!r}")
            parameters[name.strip()] = value.strip()
        progress = _ProgressLine(sys.stderr) if sys.stderr.isatty() or options["verbosity"] > 1 else None
        try:
            counts = run_report(merchant=merchant, number=options["report"], raw_parameters=parameters,
                                progress=progress)
        except (ReportError, ShopifyError) as exc:
            if progress:
                progress.finish()
            raise CommandError(str(exc)) from None
        if progress:
            progress.finish()
        for error in counts.errors[:20]:
            self.stderr.write(f"failed: {error.object} {error.shopify_id}: {error.reason}")
        self.stdout.write(counts.summary())
        if counts.failed:
            sys.exit(1)


class _ProgressLine:
    """A single line on the terminal, rewritten as batches are imported."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.shown = False

    def __call__(self, counts) -> None:
        self.stream.write(f"\r{counts.summary()} …")
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\n")
