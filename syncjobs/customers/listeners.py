"""Customers are linked as soon as they are imported, by Sync customers or with the orders that
bring them (the order import maps each order's customer with the same code as report 30100)."""
from __future__ import annotations

from django.dispatch import receiver

from connectors.ledger.target import target_for
from connectors.shopify.models import ShopifyCustomer
from connectors.shopify.signals import customers_imported
from merchants.models import Merchant
from syncjobs.customers.linking import link_customers


@receiver(customers_imported, dispatch_uid="syncjobs.link_imported_customers")
def link_imported(sender, *, merchant_id: int, gids: list[str], **kwargs) -> None:
    merchant = Merchant.objects.get(pk=merchant_id)
    rows = list(ShopifyCustomer.objects.filter(merchant_id=merchant_id, shopify_gid__in=gids).order_by("pk"))
    link_customers(merchant, target=target_for(merchant), rows=rows)
