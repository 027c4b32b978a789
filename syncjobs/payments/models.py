"""Where each Shopify Payments payout stands against the books: what its balance transactions sum
to against its net (Shopify's side), and what the journals moved in the clearing account for them
and for the payout itself (the books' side). Recomputed by syncjobs.payments.reconciliation."""
from django.db import models

from connectors.shopify.models import ShopifyPayout


class ReconciliationState(models.TextChoices):
    RECONCILED = "reconciled", "Reconciled"
    DIFFERENCE = "difference", "Difference"
    WAITING = "waiting", "Waiting"
    FAILED = "failed", "Failed payout"
    BEFORE_START = "before_start", "Before the daily sync began"


class PayoutReconciliation(models.Model):
    """One payout's reconciliation, as last checked.

    reconciled: paid, its parts sum to its net, every part and the payout posted, and the clearing
    movements sum to 0.00. difference: the parts do not sum to the net, or all is posted and the
    clearing movements do not sum to 0.00. waiting: not paid yet, or something not posted yet.
    failed: the payout failed or was cancelled (its money came back in a later payout).
    before_start: it holds transactions dated before the daily sync began (reconcile those from the
    opening balance)."""

    payout = models.OneToOneField("shopify.ShopifyPayout", on_delete=models.CASCADE, related_name="+")
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=20, choices=ReconciliationState.choices)
    parts_total = models.DecimalField(max_digits=18, decimal_places=2,
                                      help_text="The net of the balance transactions the payout holds.")
    shopify_difference = models.DecimalField(max_digits=18, decimal_places=2,
                                             help_text="The parts' total less the payout's net.")
    ledger_total = models.DecimalField(max_digits=18, decimal_places=2,
                                       help_text="What the journals moved in the clearing account for the "
                                                 "parts posted, and the payout line if posted.")
    ledger_difference = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True,
                                            help_text="The ledger total once everything is posted (it should "
                                                      "be 0.00); empty while something is not posted.")
    unposted_parts = models.PositiveIntegerField(default=0)
    checked_at = models.DateTimeField()

    class Meta:
        verbose_name = "payout reconciliation"
        indexes = [models.Index(fields=["merchant", "state"], name="payout_reconciliation_state")]

    def __str__(self) -> str:
        return f"payout {self.payout_id}: {self.get_state_display().lower()}"


class Payout(ShopifyPayout):
    """A Shopify payout as the reconciliation shows it (the admin's "Payouts" under Payments)."""

    class Meta:
        proxy = True
        verbose_name = "payout"
        ordering = ["merchant", "-issued_at"]
