"""What the customer sync checks on the shop card: the customers it names exist in the books."""
from __future__ import annotations

from django import forms

from connectors.ledger.target import target_for
from core.admin_base import MerchantScopedInline
from core.countries import CountryCodeField
from core.shop_card import ShopCardRule, register_inline, register_rule
from syncjobs.customers.models import CountryDefaultCustomer

NAMED_CUSTOMERS = {"default_customer_no": "default customer", "customer_template_no": "customer template"}


def unknown_customers(merchant, cleaned: dict, changed: set[str]) -> dict[str, str]:
    wanted = {name: (cleaned.get(name) or "").strip() for name in NAMED_CUSTOMERS if name in changed}
    wanted = {name: number for name, number in wanted.items() if number}
    if not wanted or merchant.pk is None:
        return {}
    known = target_for(merchant).get_customers(merchant, set(wanted.values()))
    return {name: f"the ledger has no customer {number} to be the {NAMED_CUSTOMERS[name]}"
            for name, number in wanted.items() if number not in known}


class CountryDefaultCustomerForm(forms.ModelForm):
    country = CountryCodeField()

    class Meta:
        model = CountryDefaultCustomer
        fields = ["country", "customer_no"]

    def clean(self):
        cleaned = super().clean()
        number = (cleaned.get("customer_no") or "").strip()
        merchant = self.instance.merchant if self.instance.merchant_id else None
        if number and merchant is not None and number not in target_for(merchant).get_customers(merchant, [number]):
            self.add_error("customer_no", f"The ledger has no customer {number}.")
        return cleaned


class CountryDefaultCustomerInline(MerchantScopedInline):
    """The shop's own settings: a merchant user who may change the card edits them too."""

    merchant_user_permissions = frozenset({"view", "add", "change", "delete"})
    model = CountryDefaultCustomer
    form = CountryDefaultCustomerForm
    fields = ("country", "customer_no")
    extra = 0
    verbose_name_plural = "Default customer per country (before any other mapping)"


def register() -> None:
    register_rule(ShopCardRule("customers_exist", frozenset(NAMED_CUSTOMERS), check=unknown_customers))
    register_inline(CountryDefaultCustomerInline)
