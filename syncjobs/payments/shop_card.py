"""The shop card's Payments panel: where the shop's payouts stand against the books, with a link to
the Payouts list."""
from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

from core.sentences import counted
from core.shop_card import ShopCardPanel, register_panel
from syncjobs.payments.models import PayoutReconciliation, ReconciliationState

SAID = ((ReconciliationState.RECONCILED, "reconciled"), (ReconciliationState.DIFFERENCE, "with a difference"),
        (ReconciliationState.WAITING, "waiting"), (ReconciliationState.FAILED, "failed"),
        (ReconciliationState.BEFORE_START, "from before the daily sync's start"))


def payouts_summary(merchant) -> str:
    link = f"{reverse('admin:payment_sync_payout_changelist')}?merchant__id__exact={merchant.pk}"
    states = dict(PayoutReconciliation.objects.filter(merchant=merchant).values_list("state")
                  .annotate(count=Count("pk")).order_by())
    if not states:
        return format_html('no payout imported yet: Sync payments imports them (<a href="{}">Payouts</a>)', link)
    parts = [f"{states[state]} {words}" for state, words in SAID if states.get(state)]
    return format_html('{}: {} (<a href="{}">Payouts</a>)', counted(sum(states.values()), "payout"),
                       ", ".join(parts), link)


def register() -> None:
    register_panel(ShopCardPanel("payouts", payouts_summary))
