"""What the Shopify orders list says of each order of a documents-mode shop, for the rows of a page
at once: the document it became, why it is not processed (the reason 30103 stored, or, for an
order not tried yet, what mapping it would meet), or that it is ready."""
from __future__ import annotations

from collections import defaultdict

from connectors.ledger.target import target_for
from merchants.models import Merchant, PostingMode
from syncjobs.documents.drafts import Unmapped, drafts_for
from syncjobs.documents.models import OrderDocument


def order_notes(orders: list) -> dict[int, str]:
    documents_mode = set(Merchant.objects.filter(pk__in={o.merchant_id for o in orders},
                                                 posting_mode=PostingMode.DOCUMENTS).values_list("pk", flat=True))
    orders = [o for o in orders if o.merchant_id in documents_mode]
    notes: dict[int, str] = {}
    made = defaultdict(list)
    for document in OrderDocument.objects.filter(order__in=[o.pk for o in orders if o.processed]):
        made[document.order_id].append(f"{document}: changed after processing: {document.conflict}"
                                       if document.conflict else str(document))
    untried = defaultdict(list)
    for order in orders:
        if order.processed:
            notes[order.pk] = ", ".join(made[order.pk]) or "processed: no document (cancelled or a test order)"
        elif order.has_error:
            notes[order.pk] = order.error_message
        elif order.cancelled_at or order.is_test:
            notes[order.pk] = "cancelled or a test order: Process orders marks it processed without a document"
        else:
            untried[order.merchant_id].append(order)
    for merchant_id, waiting in untried.items():
        merchant = Merchant.objects.get(pk=merchant_id)
        for pk, draft in drafts_for(merchant, waiting, target=target_for(merchant)).items():
            notes[pk] = str(draft) if isinstance(draft, Unmapped) else \
                f"ready: Process orders makes it a sales {draft.type.replace('_', ' ')}"
    return notes
