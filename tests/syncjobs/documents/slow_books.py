"""A child process for the kill test: report 30103's work on a shop, five orders a batch, over books
that take a second to answer once they have written a batch's documents (inside its transaction),
so the test can kill the process with a batch half done."""
from __future__ import annotations

import os
import sys
import time

import django


def main(merchant_id: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "syncsite.settings")
    django.setup()
    from connectors.ledger.target import BuiltinLedger, books_kept_by
    from merchants.models import Merchant
    from syncjobs.documents import processing

    class SlowBooks(BuiltinLedger):
        @staticmethod
        def create_sales_documents(merchant, drafts):
            made = BuiltinLedger.create_sales_documents(merchant, drafts)
            time.sleep(1.0)
            return made

    processing.BATCH = 5
    merchant = Merchant.objects.get(pk=merchant_id)
    with books_kept_by(SlowBooks()) as books:
        processing.create_documents(merchant, target=books)


if __name__ == "__main__":
    main(int(sys.argv[1]))
