"""The chart of accounts and which account each kind of money posts to."""
from django.core.validators import RegexValidator
from django.db import models

from connectors.ledger.account_types import AccountType
from connectors.ledger.money_kinds import MONEY_KINDS, MoneyKindChoices


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
