"""`manage.py queue_health`: exit 0 when the job queue runs what is due, 1 otherwise (for a supervisor)."""
from django.core.management.base import BaseCommand

from syncjobs.queue.health import queue_health


class Command(BaseCommand):
    help = ("Check that the job queue runs what is due; exits 1 when it does not, so a supervisor "
            "restarts the workers (see README, Running at scale).")

    def handle(self, *args, **options):
        health = queue_health()
        if health.ok:
            self.stdout.write(f"ok: {health.summary}")
            return
        self.stderr.write(f"unhealthy: {health.summary}")
        raise SystemExit(1)
