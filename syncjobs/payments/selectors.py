"""Reads for the payouts' list, the role center and the payout page."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from connectors.shopify.models import ShopifyBalanceTransaction, ShopifyTransaction
from syncjobs.daily.amounts import GIFT_CARD_GATEWAY, MONEY_IN, MONEY_OUT, SHOPIFY_PAYMENTS, total_of
from syncjobs.daily.balance_moves import PAYOUT_BACK, TREATMENTS
from syncjobs.daily.days import day_bounds
from syncjobs.payments.models import Payout, PayoutReconciliation, ReconciliationState

STILL_WAITING_AFTER = timedelta(days=3)   # a paid payout not reconciled this long after its issue needs a look
RECONCILIATION_COLUMNS = ("state", "shopify_difference", "ledger_difference", "unposted_parts", "checked_at")


def payouts_with_reconciliation(queryset):
    """Payouts annotated with their last reconciliation: reconciliation_state, _shopify_difference,
    … (None where never checked)."""
    checked = PayoutReconciliation.objects.filter(payout_id=OuterRef("pk"))
    return queryset.annotate(**{f"reconciliation_{name}": Subquery(checked.values(name)[:1])
                                for name in RECONCILIATION_COLUMNS})


def payouts_not_reconciled(merchants):
    """Payouts flagged with a difference, and paid ones still waiting STILL_WAITING_AFTER after
    their issue (the tile "Payouts not reconciled")."""
    overdue = timezone.now() - STILL_WAITING_AFTER
    flagged = PayoutReconciliation.objects.filter(
        Q(state=ReconciliationState.DIFFERENCE)
        | Q(state=ReconciliationState.WAITING, payout__status="PAID", payout__issued_at__lt=overdue),
        merchant__in=merchants)
    return Payout.objects.filter(merchant__in=merchants, pk__in=flagged.values("payout_id"))


@dataclass(frozen=True)
class GatewayClearing:
    """A gateway whose money Shopify pays out nowhere: its clearing account is reconciled from the bank."""

    gateway: str
    money_in: Decimal
    money_out: Decimal
    fees: Decimal

    @property
    def clearing(self) -> Decimal:
        """What the daily journals moved into its clearing account: money in, less money out and fees."""
        return self.money_in - self.money_out - self.fees


def gateways_without_payouts(merchant) -> list[GatewayClearing]:
    """The shop's payment gateways other than Shopify Payments (and gift cards, which clear
    nothing), with what their successful transactions moved since the daily sync began."""
    moved = (ShopifyTransaction.objects.filter(merchant=merchant, status="SUCCESS", is_test=False,
                                               order__is_test=False, kind__in=MONEY_IN + MONEY_OUT)
             .exclude(gateway__in=(SHOPIFY_PAYMENTS, GIFT_CARD_GATEWAY)))
    if merchant.daily_sync_start_date:
        moved = moved.filter(processed_at__gte=day_bounds(merchant, merchant.daily_sync_start_date)[0])
    zero = Value(Decimal("0"))
    rows = (moved.values("gateway")
            .annotate(money_in=total_of(Case(When(kind__in=MONEY_IN, then=F("amount")), default=zero)),
                      money_out=total_of(Case(When(kind__in=MONEY_OUT, then=F("amount")), default=zero)),
                      fees=total_of("fee"))
            .order_by("gateway"))
    return [GatewayClearing(row["gateway"], row["money_in"], row["money_out"], row["fees"]) for row in rows]


def payouts_paying_back(payout) -> list[Payout]:
    """The later payouts that hold a failed or cancelled payout's money back on the balance (its
    TRANSFER_FAILURE or TRANSFER_CANCEL names the failed payout's number), oldest first."""
    holding = (ShopifyBalanceTransaction.objects
               .filter(merchant_id=payout.merchant_id, type__in=TREATMENTS[PAYOUT_BACK], is_test=False,
                       source_id=str(payout.legacy_id))
               .exclude(payout_gid="").values("payout_gid"))
    return list(Payout.objects.filter(merchant_id=payout.merchant_id, shopify_gid__in=holding).order_by("issued_at"))
