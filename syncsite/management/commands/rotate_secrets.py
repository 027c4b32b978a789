from django.core.management.base import BaseCommand

from core.secret_fields import rotate_stored_secrets


class Command(BaseCommand):
    help = (
        "Encrypt every stored secret again with the first key of SYNCSITE_ENCRYPTION_KEY. "
        "Put the new key first, keep the old one after it, run this, then drop the old key."
    )

    def handle(self, *args, **options):
        count = rotate_stored_secrets()
        self.stdout.write(f"secrets of {count} rows are now encrypted with the current key")
