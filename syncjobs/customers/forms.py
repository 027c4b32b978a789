"""The form of a link that names a ledger customer (customer links, company links): the customer
typed by hand must be one the books hold."""
from __future__ import annotations

from django import forms

from connectors.ledger.target import target_for


class LedgerCustomerLinkForm(forms.ModelForm):
    """A subclass names its model in Meta (fields = ["customer_no"])."""

    def clean_customer_no(self):
        number = self.cleaned_data["customer_no"].strip()
        merchant = self.instance.merchant
        if number and number not in target_for(merchant).get_customers(merchant, [number]):
            raise forms.ValidationError(f"The ledger has no customer {number}.")
        return number
