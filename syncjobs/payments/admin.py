"""Payouts under Payments: each Shopify Payments payout with where its reconciliation stands, and a
page that takes it apart (syncjobs.payments.reconciliation). Read-only; "Reconcile again" checks the
selected payouts again."""
from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote

from core.admin_base import MerchantScopedAdmin, tile_list_filter
from core.money import money, money_column
from core.sentences import counted
from merchants.models import Merchant
from syncjobs.payments.models import Payout, ReconciliationState
from syncjobs.payments.reconciliation import payout_parts, reconcile_payouts
from syncjobs.payments.selectors import gateways_without_payouts, payouts_with_reconciliation

TileFilter = tile_list_filter(title="needs attention", parameter_name="tile", choices={
    "not_reconciled": ("payouts_not_reconciled", "Not reconciled")})
NOT_CHECKED = "not_checked"


class StateFilter(admin.SimpleListFilter):
    title = "reconciliation"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [*ReconciliationState.choices, (NOT_CHECKED, "Not checked yet")]

    def queryset(self, request, queryset):
        if self.value() == NOT_CHECKED:
            return queryset.filter(reconciliation_state__isnull=True)
        if self.value() in ReconciliationState.values:
            return queryset.filter(reconciliation_state=self.value())
        return queryset


def _reconciliation_money(name: str, label: str):
    def column(payout):
        return money(getattr(payout, f"reconciliation_{name}"), payout.currency)

    column.short_description = label
    column.admin_order_field = f"reconciliation_{name}"
    column.__name__ = name
    return column


@admin.register(Payout)
class PayoutAdmin(MerchantScopedAdmin):
    list_display = ("issued_at", "merchant", "status", money_column("net", "net"), "state",
                    _reconciliation_money("shopify_difference", "difference in Shopify"),
                    _reconciliation_money("ledger_difference", "difference in the books"), "unposted_parts")
    list_filter = ("merchant", TileFilter, StateFilter, "status")
    list_select_related = ("merchant",)
    search_fields = ("shopify_gid", "legacy_id")
    fields = readonly_fields = ("merchant", "issued_at", "status", money_column("net", "net"), "shopify_gid",
                                "legacy_id")
    change_form_template = "admin/payment_sync/payout/change_form.html"
    actions = ("reconcile_again",)

    def get_queryset(self, request):
        return payouts_with_reconciliation(super().get_queryset(request))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="reconciliation", ordering="reconciliation_state")
    def state(self, payout) -> str:
        value = payout.reconciliation_state
        return ReconciliationState(value).label if value else "Not checked yet"

    @admin.display(description="not posted", ordering="reconciliation_unposted_parts")
    def unposted_parts(self, payout):
        return payout.reconciliation_unposted_parts

    def change_view(self, request, object_id, form_url="", extra_context=None):
        payout = self.get_object(request, unquote(object_id))   # 404 outside the user's shops
        context = {**(extra_context or {}), "breakdown": payout_parts(payout),
                   "gateways": gateways_without_payouts(payout.merchant), "states": ReconciliationState}
        return super().change_view(request, object_id, form_url, context)

    @admin.action(description="Reconcile again", permissions=["view"])
    def reconcile_again(self, request, queryset) -> None:
        by_shop: dict[int, list[int]] = {}
        for pk, merchant_id in queryset.values_list("pk", "merchant_id").order_by():
            by_shop.setdefault(merchant_id, []).append(pk)
        counts: dict[str, int] = {}
        for merchant in Merchant.objects.filter(pk__in=by_shop).order_by("pk"):
            for state, count in reconcile_payouts(merchant=merchant, payout_ids=by_shop[merchant.pk]).items():
                counts[state] = counts.get(state, 0) + count
        found = ", ".join(f"{count} {ReconciliationState(state).label.lower()}"
                          for state, count in counts.items() if count)
        self.message_user(request, f"{counted(sum(counts.values()), 'payout')} checked again: {found}.",
                          messages.SUCCESS)
