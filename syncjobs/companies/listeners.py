"""Company locations are linked as soon as their company is imported, by Sync companies or by the
create that exports a ledger customer (the connector imports what it created at once)."""
from __future__ import annotations

from django.dispatch import receiver

from connectors.ledger.target import target_for
from connectors.shopify.signals import companies_imported
from merchants.models import Merchant
from syncjobs.companies.linking import link_locations, pending


@receiver(companies_imported, dispatch_uid="syncjobs.link_imported_companies")
def link_imported(sender, *, merchant_id: int, gids: list[str], **kwargs) -> None:
    merchant = Merchant.objects.get(pk=merchant_id)
    rows = list(pending(merchant).filter(company__shopify_gid__in=gids).order_by("pk"))
    if rows:
        link_locations(merchant, target=target_for(merchant), rows=rows)
