"""An imported order's page names the ledger customer its buyer maps to, or why it maps to none
(registered with core.record_links at start-up)."""
from __future__ import annotations

from django.urls import reverse

from core.record_links import Link
from syncjobs.customers.linking import customer_of_order
from syncjobs.customers.models import CustomerLink


def customer_of_order_links(order) -> list[Link]:
    if not order.customer_gid:
        return []
    number, why = customer_of_order(order)
    link = CustomerLink.objects.filter(merchant_id=order.merchant_id, shopify_gid=order.customer_gid).first()
    url = (reverse("admin:customer_sync_customerlink_change", args=[link.pk]) if link
           else reverse("admin:customer_sync_customerlink_changelist"))
    return [Link(f"customer {number}" if number else f"customer not mapped: {why}", url)]
