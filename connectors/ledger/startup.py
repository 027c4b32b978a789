"""What the ledger tells the registries below it (core) once every app is loaded."""
from __future__ import annotations

from django.urls import reverse

from connectors.ledger import shop_card
from connectors.ledger.item_journal import item_journal_uses
from connectors.ledger.models import JournalKind, PostedSalesCreditMemo, PostedSalesInvoice
from connectors.ledger.prices import price_list_uses
from connectors.ledger.sales_selectors import customer_uses, item_uses
from core.in_use import register_in_use
from core.record_links import Link, register_fix_link, register_related_links


def register() -> None:
    shop_card.register()
    register_fix_link(_about_a_mapping, _account_mappings)
    register_in_use("customer", customer_uses)
    register_in_use("item", item_uses)
    register_in_use("item", item_journal_uses)
    register_in_use("price list", price_list_uses)   # the catalogs register theirs
    register_related_links("journal entry", _document_of_journal)


def _about_a_mapping(reason: str) -> bool:
    # "no account is mapped for tips", "… (mapping for VAT 20%)"; not an unmapped customer or item.
    return "account is mapped" in reason or "mapping for" in reason or "account mapping" in reason


def _account_mappings(merchant_id: int) -> Link:
    url = reverse("admin:ledger_accountmapping_changelist")
    return Link("account mappings", f"{url}?merchant__id__exact={merchant_id}")


def _document_of_journal(journal) -> list[Link]:
    """The posted invoice or credit memo whose G/L journal this is."""
    model = {JournalKind.SALES_INVOICE: PostedSalesInvoice,
             JournalKind.SALES_CREDIT_MEMO: PostedSalesCreditMemo}.get(journal.kind)
    if model is None:
        return []
    change = f"admin:ledger_{model._meta.model_name}_change"
    return [Link(f"{model._meta.verbose_name} {number}", reverse(change, args=[pk]))
            for pk, number in model.objects.filter(journal=journal).values_list("pk", "number")]
