"""Orders changed in Shopify after their document was made (Business Central's conflict checks):
the order is flagged "changed after processing" with what changed, instead of its document silently
saying something else. A change that matters: a line's quantity grew, the set of lines changed, the
shipping changed, or the order was cancelled without refund lines. Anything else (a note, a tag, an
address, a payment) is no conflict. Checked as the import writes the changed orders, a few queries
per batch; cleared by "Mark conflict resolved", which takes the order as it now is."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.dispatch import receiver
from django.utils import timezone

from connectors.shopify.models import (
    ShopifyOrder,
    ShopifyOrderLine,
    ShopifyRefund,
    ShopifyRefundLine,
    ShopifyShippingLine,
)
from connectors.shopify.signals import orders_replaced
from syncjobs.documents.drafts import Unmapped, drafts_for
from syncjobs.documents.models import SALE_KINDS, OrderDocument
from syncjobs.documents.refunds import even_exchanges

ZERO = Decimal(0)


def made_from(order_ids) -> dict[int, tuple[dict[str, int], Decimal]]:
    """Each order as a document is made from it: its lines' quantities by GID, and its shipping."""
    lines: dict[int, dict[str, int]] = defaultdict(dict)
    for order_id, gid, quantity in ShopifyOrderLine.objects.filter(order_id__in=order_ids).values_list(
            "order_id", "shopify_gid", "quantity"):
        lines[order_id][gid] = quantity
    shipping = dict(ShopifyShippingLine.objects.filter(order_id__in=order_ids).values("order_id")
                    .annotate(total=Sum("price")).values_list("order_id", "total").order_by())
    return {pk: (lines[pk], shipping.get(pk, ZERO)) for pk in order_ids}


def what_changed(before: dict[str, int], shipping_before: Decimal, now: dict[str, int], shipping_now: Decimal,
                 *, cancelled: bool, refunded: bool) -> list[str]:
    changes = []
    grew = sorted(gid for gid, quantity in now.items() if gid in before and quantity > before[gid])
    if grew:
        changes.append(f"the quantity grew on {len(grew)} line{'s' if len(grew) > 1 else ''}")
    added, removed = len(set(now) - set(before)), len(set(before) - set(now))
    if added or removed:
        parts = [f"{added} added" if added else "", f"{removed} removed" if removed else ""]
        changes.append(f"the lines changed ({', '.join(p for p in parts if p)})")
    if shipping_now != shipping_before:
        changes.append(f"the shipping changed from {shipping_before:.2f} to {shipping_now:.2f}")
    if cancelled and not refunded:
        changes.append("it was cancelled without refund lines")
    return changes


@receiver(orders_replaced, dispatch_uid="syncjobs.documents.flag_changed_orders")
def flag_changed_orders(sender, *, merchant_id: int, order_ids: list[int], **kwargs) -> None:
    rows = list(OrderDocument.objects.filter(merchant_id=merchant_id, order_id__in=order_ids, kind__in=SALE_KINDS,
                                             conflict=""))
    if not rows:
        return
    ids = [row.order_id for row in rows]
    now_state = made_from(ids)
    # Lines a credit memo took (an exchange's goods out) are no change; nor are the new lines of an
    # exchange whose credit memo is still to be made (Process orders makes it).
    credited: dict[int, set[str]] = defaultdict(set)
    for order_id, lines in OrderDocument.objects.filter(order_id__in=ids).exclude(shopify_refund_id="").values_list(
            "order_id", "lines_made_from"):
        credited[order_id] |= set(lines)
    done = OrderDocument.objects.filter(order_id__in=ids).exclude(shopify_refund_id="").values("shopify_refund_id")
    open_refunds = list(ShopifyRefund.objects.filter(order_id__in=ids).exclude(shopify_gid__in=done))
    exchanges = even_exchanges(open_refunds)
    exchanging = {refund.order_id for refund in open_refunds if refund.pk in exchanges}
    cancelled = set(ShopifyOrder.objects.filter(pk__in=ids).exclude(cancelled_at=None).values_list("pk", flat=True))
    refunded = set(ShopifyRefundLine.objects.filter(order_id__in=ids).values_list("order_id", flat=True))
    found_at = timezone.now()
    flagged = []
    for row in rows:
        lines, shipping = now_state[row.order_id]
        lines = {gid: quantity for gid, quantity in lines.items() if gid not in credited[row.order_id]
                 and (gid in row.lines_made_from or row.order_id not in exchanging)}
        changes = what_changed(row.lines_made_from, row.shipping_made_from, lines, shipping,
                               cancelled=row.order_id in cancelled, refunded=row.order_id in refunded)
        if changes:
            row.conflict = (f"{'; '.join(changes)} since {row.get_kind_display().lower()} {row.document_no} was "
                            "made: update the document, then mark the conflict resolved")
            row.conflict_found_at = found_at
            flagged.append(row)
    OrderDocument.objects.bulk_update(flagged, ["conflict", "conflict_found_at"])


def mark_resolved(rows: QuerySet[OrderDocument]) -> int:
    """Clear the conflicts of `rows`, taking their orders as they are now as what the documents say."""
    chosen = list(rows.exclude(conflict=""))
    state = made_from([row.order_id for row in chosen])
    for row in chosen:
        row.lines_made_from, row.shipping_made_from = state[row.order_id]
        row.conflict, row.conflict_found_at = "", None
    OrderDocument.objects.bulk_update(chosen, ["lines_made_from", "shipping_made_from", "conflict",
                                               "conflict_found_at"])
    return len(chosen)


@dataclass
class Updated:
    updated: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)   # (document, why)


def update_documents(rows: QuerySet[OrderDocument], *, target_for) -> Updated:
    """Make each conflicting row's open document again from its order as it now is, and clear the
    conflict; a document posted or shipped meanwhile is refused with the reason (a credit memo or
    a correction is the bookkeeper's to make), its conflict kept."""
    outcome = Updated()
    chosen = list(rows.exclude(conflict="").select_related("merchant", "order"))
    by_shop: dict = defaultdict(list)
    for row in chosen:
        by_shop[row.merchant].append(row)
    for merchant, shop_rows in by_shop.items():
        target = target_for(merchant)
        drafts = drafts_for(merchant, [row.order for row in shop_rows], target=target)
        ready, done = [], []
        for row in shop_rows:
            draft = drafts[row.order.pk]
            if isinstance(draft, Unmapped):
                outcome.refused.append((str(row), str(draft)))
            else:
                ready.append((row, replace(draft, type=row.kind, number=row.document_no)))
        results = target.replace_sales_documents(merchant, [draft for _, draft in ready]) if ready else []
        for (row, _), result in zip(ready, results, strict=True):
            if result.document is None:
                outcome.refused.append((str(row), result.error))
            else:
                done.append(row.pk)
        outcome.updated += mark_resolved(OrderDocument.objects.filter(pk__in=done))
    return outcome


def conflicting(merchants) -> QuerySet[OrderDocument]:
    """The role center's "Unprocessed order updates"."""
    return OrderDocument.objects.filter(merchant__in=merchants).exclude(conflict="")
