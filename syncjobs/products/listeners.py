"""Products are linked as soon as they are imported, by Sync products or on demand for the orders
that sell them (one mapping code for both)."""
from __future__ import annotations

from django.dispatch import receiver

from connectors.ledger.target import target_for
from connectors.shopify.models import ShopifyProduct
from connectors.shopify.signals import products_imported
from merchants.models import Merchant
from syncjobs.products.linking import link_products


@receiver(products_imported, dispatch_uid="syncjobs.link_imported_products")
def link_imported(sender, *, merchant_id: int, product_ids: list[int], **kwargs) -> None:
    merchant = Merchant.objects.get(pk=merchant_id)
    rows = list(ShopifyProduct.objects.filter(pk__in=product_ids).order_by("pk"))
    link_products(merchant, target=target_for(merchant), rows=rows)
