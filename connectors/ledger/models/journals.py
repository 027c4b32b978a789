"""Posted journals and their lines: balanced to the cent, never changed once posted."""
from django.db import models

from connectors.ledger.models.accounts import Account
from connectors.ledger.money_kinds import MoneyKindChoices

CENTS = {"max_digits": 18, "decimal_places": 2, "default": 0}


class JournalKind(models.TextChoices):
    DAILY_SALES = "daily_sales", "Daily sales summary"
    DAILY_PAYMENTS = "daily_payments", "Daily payments"     # a documents-mode shop's payments, fees, payouts
    SALES_INVOICE = "sales_invoice", "Sales invoice"
    SALES_CREDIT_MEMO = "sales_credit_memo", "Sales credit memo"


class JournalEntry(models.Model):
    """A posted journal: balanced to the cent in the shop currency, never changed once posted."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="journal_entries")
    kind = models.CharField(max_length=20, choices=JournalKind.choices)
    posting_date = models.DateField(help_text="The shop's local calendar day the journal covers.")
    currency = models.CharField(max_length=3)
    description = models.CharField(max_length=250)
    source_reference = models.CharField(max_length=100, help_text="What produced it, e.g. daily:DEMO-EU:2025-03-11.")
    posted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "journal entry"
        verbose_name_plural = "journal entries"
        ordering = ["merchant", "-posting_date", "-id"]
        constraints = [
            # D2: one daily journal per merchant and day, whatever runs at the same time.
            models.UniqueConstraint(fields=["merchant", "posting_date"], condition=models.Q(kind="daily_sales"),
                                    name="ledger_one_daily_journal_per_day"),
            models.UniqueConstraint(fields=["merchant", "posting_date"], condition=models.Q(kind="daily_payments"),
                                    name="ledger_one_payments_journal_per_day"),
        ]
        indexes = [models.Index(fields=["merchant", "posting_date"], name="ledger_journal_day")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.posting_date}"


class JournalLine(models.Model):
    merchant_lookup = "journal__merchant"

    journal = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="lines")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="journal_lines")
    # Copied from the journal so a trial balance is one indexed aggregate.
    posting_date = models.DateField()
    debit = models.DecimalField(**CENTS)
    credit = models.DecimalField(**CENTS)
    description = models.CharField(max_length=250)
    money_kind = models.CharField("kind of money", max_length=30, blank=True, choices=MoneyKindChoices.choices)
    key = models.CharField(max_length=100, blank=True, help_text="The tax rate or payment gateway, where keyed.")

    class Meta:
        ordering = ["journal", "id"]
        indexes = [models.Index(fields=["account", "posting_date"], name="ledger_line_account_day")]
        constraints = [
            models.CheckConstraint(condition=models.Q(debit__gte=0, credit__gte=0) & (
                models.Q(debit=0) | models.Q(credit=0)), name="ledger_line_one_side"),
        ]

    def __str__(self) -> str:
        return f"{self.account} Dr {self.debit} Cr {self.credit}"
