from django.db import models


class AccountType(models.TextChoices):
    ASSET = "asset", "Asset"
    LIABILITY = "liability", "Liability"
    EQUITY = "equity", "Equity"
    REVENUE = "revenue", "Revenue"
    EXPENSE = "expense", "Expense"


class Account(models.Model):
    """One account of a merchant's chart of accounts."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="accounts")
    code = models.CharField(max_length=20)
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
