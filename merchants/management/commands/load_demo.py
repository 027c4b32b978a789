from django.core.management.base import BaseCommand

from merchants.demo import load_demo


class Command(BaseCommand):
    help = "Create the demo merchants, their accounts and mappings, and the demo users (idempotent)."

    def handle(self, *args, **options):
        merchants = load_demo()
        self.stdout.write(f"demo data ready: {', '.join(m.code for m in merchants)}")
