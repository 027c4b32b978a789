"""The daily sync's own records (D2–D6): where each local day stands, orders changed after their day
was posted, and the payouts posted. Journals are named by the accounting target's number for them
(connectors.ledger.target), never by a row of the ledger."""
from __future__ import annotations

from django.db import models


class DayStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SYNCED = "synced", "Synced"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped"


class DailySyncDay(models.Model):
    """Where one local day of a shop stands in the daily sync (D4): posted once, or retried until it is."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="daily_sync_days")
    day = models.DateField()
    status = models.CharField(max_length=10, choices=DayStatus.choices, default=DayStatus.PENDING)
    run = models.ForeignKey("syncjobs.SyncRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                            help_text="The run that last tried the day.")
    journal_no = models.CharField("journal no.", max_length=40, blank=True,
                                  help_text="The accounting target's number of the journal that posted the day.")
    message = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "daily sync day"
        ordering = ("merchant", "-day")
        constraints = [models.UniqueConstraint(fields=("merchant", "day"), name="daily_sync_day_unique")]
        indexes = [models.Index(fields=("merchant", "status", "day"), name="daily_sync_day_status")]

    def __str__(self) -> str:
        return f"{self.day} {self.get_status_display().lower()}"


class OrderAdjustment(models.Model):
    """An order that changed, or arrived, after its day was posted (D2): what had been posted for it
    (`before`, amounts by "kind|key"), until the difference is posted on the day the change was seen."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey("shopify.ShopifyOrder", on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()
    before = models.JSONField(default=dict, blank=True)
    journal_no = models.CharField("journal no.", max_length=40, blank=True,
                                  help_text="The journal the difference was posted in; blank until it is.")

    class Meta:
        indexes = [models.Index(fields=("merchant", "journal_no", "seen_at"), name="order_adjustment_pending")]

    def __str__(self) -> str:
        return f"adjustment of order {self.order_id} seen {self.seen_at:%Y-%m-%d %H:%M} UTC"


class PostedPayout(models.Model):
    """A payout the daily sync posted, and the journal that reversed it if it later failed."""

    # A payout a journal took cannot be deleted: the journal would no longer say what it posted.
    payout = models.OneToOneField("shopify.ShopifyPayout", on_delete=models.PROTECT, related_name="+")
    journal_no = models.CharField("journal no.", max_length=40)
    reversed_in_no = models.CharField("reversed in journal no.", max_length=40, blank=True)

    def __str__(self) -> str:
        return f"payout {self.payout_id} posted in journal {self.journal_no}"


class PostedTransaction(models.Model):
    """A Shopify Payments order transaction a journal posted, and what it moved in the clearing
    account (money in or out, less its fee): what a payout's reconciliation finds in the books.
    Named by its Shopify ID: an order read again replaces its transaction rows."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="+")
    transaction_gid = models.CharField("transaction's Shopify ID", max_length=64)
    journal_no = models.CharField("journal no.", max_length=40)
    clearing = models.DecimalField(max_digits=18, decimal_places=2, help_text="Signed: a debit is positive.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=("merchant", "transaction_gid"),
                                               name="daily_posted_transaction_unique")]

    def __str__(self) -> str:
        return f"transaction {self.transaction_gid} posted in journal {self.journal_no}"


class PostedBalanceTransaction(models.Model):
    """A Shopify Payments balance transaction with a line of its own (a dispute, a reserve, an
    adjustment…) a journal posted, and what it moved in the clearing account (its net)."""

    balance_transaction = models.OneToOneField("shopify.ShopifyBalanceTransaction", on_delete=models.PROTECT,
                                               related_name="+")
    journal_no = models.CharField("journal no.", max_length=40)
    clearing = models.DecimalField(max_digits=18, decimal_places=2, help_text="Signed: a debit is positive.")

    def __str__(self) -> str:
        return f"balance transaction {self.balance_transaction_id} posted in journal {self.journal_no}"
