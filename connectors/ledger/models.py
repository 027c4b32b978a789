from django.core.validators import RegexValidator
from django.db import models

from connectors.ledger.account_types import AccountType
from connectors.ledger.money_kinds import MONEY_KINDS, MoneyKindChoices

__all__ = ["Account", "AccountMapping", "AccountType", "JournalEntry", "JournalLine", "JournalKind"]


class Account(models.Model):
    """One account of a merchant's chart of accounts."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="accounts")
    # ASCII only: "٤٧٠٠" reads as 4700 to int(), and the auto-create range would take it for a free code.
    code = models.CharField(max_length=20, validators=[RegexValidator(
        r"^[A-Za-z0-9][A-Za-z0-9._-]*\Z", "Use letters A–Z, digits 0–9, dots, hyphens and underscores, e.g. 4000.")])
    name = models.CharField(max_length=100)
    type = models.CharField(max_length=20, choices=AccountType.choices)
    is_active = models.BooleanField("active", default=True)
    is_auto_created = models.BooleanField(
        "auto-created", default=False, help_text="Created by a sync because a mapping was missing."
    )

    class Meta:
        ordering = ["merchant", "code"]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "code"], name="ledger_account_code_unique_per_merchant"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AccountMapping(models.Model):
    """Which ledger account a kind of money is posted to (M2)."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="account_mappings")
    kind = models.CharField(max_length=30, choices=MoneyKindChoices.choices)
    key = models.CharField(
        max_length=100, blank=True,
        help_text="Only for tax (a tax rate, e.g. 'VAT 20%') and payment clearing (a gateway, e.g. "
                  "'shopify_payments'). Blank: everything without a mapping of its own.",
    )
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="mappings")

    class Meta:
        ordering = ["merchant", "kind", "key"]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "kind", "key"], name="account_mapping_unique_kind_key"),
        ]

    def __str__(self) -> str:
        label = MONEY_KINDS[self.kind].label.capitalize() if self.kind in MONEY_KINDS else self.kind
        return f"{label} ({self.key})" if self.key else label


CENTS = {"max_digits": 18, "decimal_places": 2, "default": 0}


class JournalKind(models.TextChoices):
    DAILY_SALES = "daily_sales", "Daily sales summary"


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
