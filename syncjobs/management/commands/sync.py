import sys

from django.core.management.base import BaseCommand, CommandError

from merchants.models import Merchant
from syncjobs.queue.errors import QueueError
from syncjobs.queue.execution import run_now
from syncjobs.queue.models import COUNT_NAMES, RunStatus, RunTrigger
from syncjobs.queue.registry import counts_in_words


class Command(BaseCommand):
    help = ("Run a report in the foreground, e.g. `sync 30104 --merchant DEMO-EU --param financial_status=paid`. "
            "It takes the merchant's job queue category like any sync, so it refuses while another sync of the "
            "merchant runs. Ends with one line: the counts in the report's words, e.g. "
            "\"12 orders read, 10 new, 2 changed\".")

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
        shown = sys.stderr.isatty() or options["verbosity"] > 1
        progress = _ProgressLine(sys.stderr, options["report"]) if shown else None
        try:
            run = run_now(merchant=merchant, report_number=options["report"], raw_parameters=parameters,
                          user=None, trigger=RunTrigger.COMMAND, progress=progress)
        except QueueError as exc:
            raise CommandError(str(exc)) from None
        finally:
            if progress:
                progress.finish()
        if run.status == RunStatus.ERROR:
            raise CommandError(run.message)
        for error in run.errors.all()[:20]:
            self.stderr.write(f"failed: {error}")
        self.stdout.write(run.counts_in_words())
        if run.failed:
            sys.exit(1)


class _ProgressLine:
    """A single line on the terminal, rewritten as batches are imported."""

    def __init__(self, stream, report_number: int) -> None:
        self.stream = stream
        self.report_number = report_number
        self.shown = False

    def __call__(self, counts) -> None:
        words = counts_in_words(self.report_number, {name: getattr(counts, name) for name in COUNT_NAMES})
        self.stream.write(f"\r{words} …")
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\n")
