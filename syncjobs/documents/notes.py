"""What the Shopify orders list says of each order of a documents-mode shop, for the rows of a page
at once: the document it became, why it is not processed (the reason 30103 stored, or, for an
order not tried yet, what mapping it would meet), or that it is ready."""
from __future__ import annotations

from collections import defaultdict

from connectors.ledger.target import target_for
from merchants.models import Merchant, PostingMode
from syncjobs.documents.drafts import Unmapped, drafts_for
from syncjobs.documents.links import KIND_NAMES
from syncjobs.documents.models import OrderDocument


def in_the_books(orders: list) -> dict[str, str]:
    """The documents, open or posted, the books hold for each order (by GID): one call per shop."""
    shown: dict[str, str] = {}
    by_shop = defaultdict(list)
    for order in orders:
        by_shop[order.merchant_id].append(order.shopify_gid)
    for merchant in Merchant.objects.filter(pk__in=list(by_shop)):
        for gid, refs in target_for(merchant).documents_of_shopify_orders(merchant, by_shop[merchant.pk]).items():
            shown[gid] = ", ".join(f"{KIND_NAMES.get(ref.kind, ref.kind)} {ref.number}" for ref in refs)
    return shown


def order_notes(orders: list) -> dict[int, str]:
    documents_mode = set(Merchant.objects.filter(pk__in={o.merchant_id for o in orders},
                                                 posting_mode=PostingMode.DOCUMENTS).values_list("pk", flat=True))
    orders = [o for o in orders if o.merchant_id in documents_mode]
    notes: dict[int, str] = {}
    conflicts = dict(OrderDocument.objects.filter(order__in=[o.pk for o in orders if o.processed])
                     .exclude(conflict="").values_list("order_id", "conflict"))
    books = in_the_books([o for o in orders if o.processed])
    untried = defaultdict(list)
    for order in orders:
        if order.processed:
            made = books.get(order.shopify_gid) or "processed: no document (cancelled or a test order)"
            notes[order.pk] = f"{made}; changed after processing: {conflicts[order.pk]}" if order.pk in conflicts \
                else made
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
