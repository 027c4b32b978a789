"""What an order's page links to of Shopify Payments: its disputes, its balance transactions and the
payouts that hold them (registered with core.record_links at start-up)."""
from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from connectors.shopify.models import ShopifyBalanceTransaction, ShopifyDispute, ShopifyPayout
from core.record_links import Link
from core.sentences import counted


def payments_of_order(order) -> list[Link]:
    """Three queries, for any order; nothing for an order Shopify Payments never touched."""
    links = []
    disputes = ShopifyDispute.objects.filter(merchant_id=order.merchant_id, order_gid=order.shopify_gid)
    statuses = list(disputes.values_list("status", flat=True))
    if statuses:
        url = reverse("admin:shopify_shopifydispute_changelist") + "?" + urlencode(
            {"merchant__id__exact": order.merchant_id, "q": order.name})
        said = ", ".join(status.replace("_", " ").lower() for status in statuses)
        links.append(Link(f"{counted(len(statuses), 'dispute')} ({said})", url))
    payouts = list(ShopifyBalanceTransaction.objects.filter(merchant_id=order.merchant_id, order_gid=order.shopify_gid)
                   .values_list("payout_gid", flat=True))
    if payouts:
        url = reverse("admin:shopify_shopifybalancetransaction_changelist") + "?" + urlencode(
            {"merchant__id__exact": order.merchant_id, "q": order.name})
        links.append(Link(f"{counted(len(payouts), 'Shopify Payments movement')}", url))
        ids = list(ShopifyPayout.objects.filter(merchant_id=order.merchant_id, shopify_gid__in=set(payouts))
                   .values_list("pk", flat=True))
        if ids:
            url = reverse("admin:payment_sync_payout_changelist") + "?" + urlencode(
                {"id__in": ",".join(map(str, ids))})
            links.append(Link(f"paid out in {counted(len(ids), 'payout')}", url))
    return links
