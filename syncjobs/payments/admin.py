"""Payouts under Payments: each Shopify Payments payout with where its reconciliation stands, and a
page that takes it apart (syncjobs.payments.reconciliation). Read-only; "Reconcile again" checks the
selected payouts again."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from connectors.shopify.models import PAYOUT_FAILED
from core.admin_base import ReadOnlyScopedAdmin, tile_list_filter
from core.local_time import zone_named
from core.money import money, money_column
from core.sentences import counted
from merchants.models import Merchant
from syncjobs.payments.models import Payout, ReconciliationState
from syncjobs.payments.reconciliation import payout_parts, reconcile_payouts
from syncjobs.payments.selectors import gateways_without_payouts, payouts_paying_back, payouts_with_reconciliation

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
    """A difference column: empty while it cannot be known, in red when it is not 0.00."""
    def column(payout):
        value = getattr(payout, f"reconciliation_{name}")
        if value is None:
            return "-"
        if value:
            return format_html('<strong class="off">{}</strong>', money(value, payout.currency))
        return money(value, payout.currency)

    column.short_description = label
    column.admin_order_field = f"reconciliation_{name}"
    column.__name__ = name
    return column


@admin.register(Payout)
class PayoutAdmin(ReadOnlyScopedAdmin):
    list_display = ("issued", "merchant", "status", money_column("net", "net"), "state",
                    _reconciliation_money("shopify_difference", "difference in Shopify"),
                    _reconciliation_money("ledger_difference", "difference in the books"), "left_to_do")
    list_filter = ("merchant", TileFilter, StateFilter, "status")
    list_select_related = ("merchant",)
    search_fields = ("shopify_gid", "legacy_id")
    search_help_text = "A payout no. (as in Shopify's admin and on the bank statement) or an amount, e.g. 463.57."
    fields = readonly_fields = ("merchant", "issued_at", "status", money_column("net", "net"), "payout_no",
                                "shopify_gid")
    change_form_template = "admin/payment_sync/payout/change_form.html"
    actions = ("reconcile_again",)

    def get_queryset(self, request):
        return payouts_with_reconciliation(super().get_queryset(request))

    @admin.display(description="reconciliation", ordering="reconciliation_state")
    def state(self, payout) -> str:
        value = payout.reconciliation_state
        return ReconciliationState(value).label if value else "Not checked yet"

    @admin.display(description="issued on", ordering="issued_at")
    def issued(self, payout) -> str:
        """The day Shopify issued it, in the shop's time zone (the bank statement's date is a day or two later)."""
        return f"{timezone.localtime(payout.issued_at, zone_named(payout.merchant.time_zone)):%Y-%m-%d}"

    @admin.display(description="what is left", ordering="reconciliation_unposted_parts")
    def left_to_do(self, payout) -> str:
        """What keeps the payout from being reconciled, in a few words (its page says the rest)."""
        state, unposted = payout.reconciliation_state, payout.reconciliation_unposted_parts
        if state is None:
            return "Reconcile again to check it"
        if state == ReconciliationState.WAITING:
            if unposted:
                return f"{counted(unposted, 'transaction')} not posted yet"
            if payout.reconciliation_ledger_difference is None:
                return "The payout is not posted yet"
            return f"Posted and balanced; {payout.get_status_display().lower()}"
        return {ReconciliationState.DIFFERENCE: "Find the difference on its page",
                ReconciliationState.FAILED: "Paid out again in a later payout",
                ReconciliationState.BEFORE_START: "Reconcile from the opening balance"}.get(state, "")

    @admin.display(description="payout no.")
    def payout_no(self, payout) -> str:
        """Shopify's number of the payout, as its admin and the bank statement show it (no grouping)."""
        return str(payout.legacy_id)

    def get_search_results(self, request, queryset, search_term):
        """An amount (463.57, -83.36, 1,406.76) finds the payouts of that net, as a bank statement shows
        it; a whole number is a payout no. or an amount."""
        term = search_term.strip().replace(",", "")
        try:
            amount = Decimal(term)
        except InvalidOperation:
            return super().get_search_results(request, queryset, search_term)
        if not amount.is_finite():
            return super().get_search_results(request, queryset, search_term)
        if "." in term:
            return queryset.filter(net=amount), False
        found, may_have_duplicates = super().get_search_results(request, queryset, term)
        return found | queryset.filter(net=amount), may_have_duplicates

    def change_view(self, request, object_id, form_url="", extra_context=None):
        payout = self.get_object(request, unquote(object_id))   # 404 outside the user's shops
        if payout is None:
            return super().change_view(request, object_id, form_url, extra_context)
        merchant = payout.merchant
        zone = zone_named(merchant.time_zone)
        issued = timezone.localtime(payout.issued_at, zone).date()
        label = f"Payout {payout.legacy_id} of {issued:%Y-%m-%d}: {money(payout.net, payout.currency)}"
        balance_transactions = reverse("admin:shopify_shopifybalancetransaction_changelist")
        context = {**(extra_context or {}), "breakdown": payout_parts(payout),
                   "gateways": gateways_without_payouts(merchant), "states": ReconciliationState,
                   "subtitle": f"{label} ({payout.get_status_display().lower()})", "payout_label": label,
                   "zone_name": merchant.time_zone, "daily_sync_start": merchant.daily_sync_start_date,
                   "paid_back_in": payouts_paying_back(payout) if payout.status in PAYOUT_FAILED else [],
                   "balance_transactions_url": f"{balance_transactions}?{urlencode({'q': payout.legacy_id})}",
                   "disputes_url": reverse("admin:shopify_shopifydispute_changelist")}
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
