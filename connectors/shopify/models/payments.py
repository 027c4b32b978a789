"""Shopify Payments as Shopify states it: payouts, the balance transactions they hold, disputes
(report 30105)."""
from django.db import models

from connectors.shopify.models.fields import MONEY
from connectors.shopify.states import PayoutStatus

PAYOUT_LEFT = ("IN_TRANSIT", "PAID")        # the money has left Shopify for the bank
PAYOUT_FAILED = ("FAILED", "CANCELED")       # it came back, or never went


class ShopifyPayout(models.Model):
    """A Shopify Payments payout: money leaving the clearing account for the bank (D2 payouts)."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="shopify_payouts")
    shopify_gid = models.CharField("Shopify ID", max_length=64)
    legacy_id = models.BigIntegerField()
    issued_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=PayoutStatus.choices)
    transaction_type = models.CharField(max_length=20, blank=True, help_text="DEPOSIT or WITHDRAWAL.")
    net = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    imported_at = models.DateTimeField(auto_now=True)
    # When an import first read it as left (in transit or paid), and as failed or canceled: a payout
    # that leaves, or fails, after its day was posted goes into the journal of the day it was read so.
    left_seen_at = models.DateTimeField(null=True, blank=True, editable=False)
    failed_seen_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Shopify's summary of what the payout is made of, each part's gross and fee (gross − fee over
    # all parts is the net); the reconciliation checks its own sum of the balance transactions
    # against the net, this is what Shopify's payout page shows.
    charges_gross = models.DecimalField(**MONEY)
    charges_fee = models.DecimalField(**MONEY)
    refunds_gross = models.DecimalField(**MONEY)
    refunds_fee = models.DecimalField(**MONEY)
    adjustments_gross = models.DecimalField(**MONEY, help_text="Disputes and their fees included, as Shopify sums.")
    adjustments_fee = models.DecimalField(**MONEY)
    reserved_funds_gross = models.DecimalField(**MONEY)
    reserved_funds_fee = models.DecimalField(**MONEY)
    retried_payouts_gross = models.DecimalField(**MONEY, help_text="Failed payouts' money paid out again.")
    retried_payouts_fee = models.DecimalField(**MONEY)
    advance_gross = models.DecimalField(**MONEY)
    advance_fee = models.DecimalField(**MONEY)

    class Meta:
        verbose_name = "Shopify payout"
        ordering = ["merchant", "-issued_at"]
        constraints = [models.UniqueConstraint(fields=["merchant", "shopify_gid"], name="shopify_payout_gid_unique")]
        indexes = [models.Index(fields=["merchant", "issued_at"], name="shopify_payout_issued")]

    def __str__(self) -> str:
        return f"payout {self.legacy_id}: {self.net:.2f} {self.currency} ({self.get_status_display().lower()})"


# Balance transactions of an order's payment or refund, and a payout's own transfer: all but the
# account's own movements.
ORDER_AND_PAYOUT_MOVEMENTS = ("CHARGE", "REFUND", "TRANSFER")


class ShopifyBalanceTransaction(models.Model):
    """A movement on the Shopify Payments balance, with the payout that carries it."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="+")
    shopify_gid = models.CharField("Shopify ID", max_length=64)
    type = models.CharField(max_length=40)
    is_test = models.BooleanField("test", default=False)
    transaction_date = models.DateTimeField()
    amount = models.DecimalField(**MONEY)
    fee = models.DecimalField(**MONEY)
    net = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    source_order_transaction_id = models.CharField(max_length=64, blank=True)
    order_gid = models.CharField(max_length=64, blank=True)
    payout_gid = models.CharField(max_length=64, blank=True)
    payout_status = models.CharField(max_length=20, blank=True)
    # What moved the money: CHARGE, REFUND, DISPUTE, ADJUSTMENT, SYSTEM_ADJUSTMENT (a reserve), TRANSFER
    # (a payout: a TRANSFER_FAILURE's source ID is the failed payout's legacy ID), and its ID.
    source_type = models.CharField(max_length=64, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    adjustment_reason = models.CharField(max_length=255, blank=True)
    order_name = models.CharField(max_length=64, blank=True)
    imported_at = models.DateTimeField(auto_now=True)
    # When an import first read it: a movement read after its day was posted goes into a later journal.
    first_seen_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["merchant", "-transaction_date"]
        constraints = [models.UniqueConstraint(fields=["merchant", "shopify_gid"],
                                               name="shopify_balance_transaction_gid_unique")]
        indexes = [models.Index(fields=["merchant", "transaction_date"], name="shopify_balance_tx_date"),
                   models.Index(fields=["merchant", "payout_gid"], name="shopify_balance_tx_payout"),
                   # The account's own movements (disputes, reserves, adjustments, failed payouts):
                   # a few among a shop's charges and refunds, which the daily journal reads each day.
                   models.Index(fields=["merchant", "transaction_date"], name="shopify_balance_tx_account",
                                condition=~models.Q(type__in=ORDER_AND_PAYOUT_MOVEMENTS))]

    def __str__(self) -> str:
        return f"{self.type.lower()} {self.amount}"


class ShopifyDispute(models.Model):
    """A Shopify Payments dispute (a chargeback or an inquiry), with its course: its money moves as
    balance transactions (DISPUTE_WITHDRAWAL, CHARGEBACK_FEE, and when won their reversals)."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="+")
    shopify_gid = models.CharField("Shopify ID", max_length=64)
    legacy_id = models.BigIntegerField()
    order_gid = models.CharField(max_length=64, blank=True)
    order_name = models.CharField(max_length=64, blank=True)
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    # Shopify's DisputeStatus (NEEDS_RESPONSE UNDER_REVIEW CHARGE_REFUNDED ACCEPTED WON LOST) and
    # DisputeType, kept as text: an enum value Shopify adds later is stored, not refused.
    status = models.CharField(max_length=32)
    type = models.CharField(max_length=32, help_text="CHARGEBACK or INQUIRY.")
    reason = models.CharField(max_length=64, blank=True)
    network_reason_code = models.CharField(max_length=32, blank=True)
    initiated_at = models.DateTimeField()
    evidence_due_by = models.DateField(null=True, blank=True)
    evidence_sent_on = models.DateField(null=True, blank=True)
    finalized_on = models.DateField(null=True, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Shopify dispute"
        ordering = ["merchant", "-initiated_at"]
        constraints = [models.UniqueConstraint(fields=["merchant", "shopify_gid"], name="shopify_dispute_gid_unique")]
        indexes = [models.Index(fields=["merchant", "initiated_at"], name="shopify_dispute_initiated")]

    def __str__(self) -> str:
        return f"dispute {self.amount} {self.currency} ({self.status.lower()})"


DISPUTE_FINAL = ("WON", "LOST", "ACCEPTED", "CHARGE_REFUNDED")   # no later change of status
