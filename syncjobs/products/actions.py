"""What the variant links' admin actions do: map again, or create the ledger items."""
from __future__ import annotations

from connectors.ledger.target import target_for
from connectors.shopify.models import ShopifyProduct
from merchants.models import Merchant
from syncjobs.products.linking import LinkCounts, link_products


def _relink(links, *, auto_create: bool | None) -> LinkCounts:
    total = LinkCounts()
    for merchant_id in set(links.values_list("merchant_id", flat=True)):
        chosen = links.filter(merchant_id=merchant_id, item_no="")
        rows = list(ShopifyProduct.objects.filter(merchant_id=merchant_id,
                                                  shopify_gid__in=chosen.values("product__shopify_gid")))
        if not rows:
            continue
        merchant = Merchant.objects.get(pk=merchant_id)
        counts = link_products(merchant, target=target_for(merchant), rows=rows, auto_create=auto_create)
        total.read += counts.read
        total.mapped += counts.mapped
        total.created += counts.created
        total.unmapped += counts.unmapped
    return total


def retry(links) -> LinkCounts:
    """Map the selected unmapped variants again with the shop card's rules (a mapped one stays)."""
    return _relink(links, auto_create=None)


def create_items(links) -> LinkCounts:
    """Items for the selected unmapped variants, from their Shopify products, whatever the card's
    auto-create setting (someone chose to)."""
    return _relink(links, auto_create=True)
