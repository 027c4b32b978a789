from django import forms

from connectors.ledger.errors import MappingInvalid
from connectors.ledger.mappings import check_account_mapping, mappings_broken_by
from connectors.ledger.models import Account, AccountMapping
from core.sentences import as_sentence


class AccountForm(forms.ModelForm):
    class Meta:
        model = Account
        fields = ["merchant", "code", "name", "type", "is_active"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "type" in cleaned and "is_active" in cleaned:
            for problem in mappings_broken_by(self.instance, is_active=cleaned["is_active"], type=cleaned["type"]):
                self.add_error(None, f"This account cannot change so: {problem}. Change the mapping first.")
        return cleaned


class AccountMappingForm(forms.ModelForm):
    class Meta:
        model = AccountMapping
        fields = ["merchant", "kind", "key", "account"]

    def clean_key(self):
        return self.cleaned_data.get("key", "").strip()

    def clean(self):
        cleaned = super().clean()
        merchant, account = cleaned.get("merchant"), cleaned.get("account")
        if merchant is None and self.instance.pk:
            merchant = self.instance.merchant
        if merchant is not None and account is not None and cleaned.get("kind"):
            try:
                check_account_mapping(
                    merchant=merchant, kind=cleaned["kind"], key=cleaned.get("key", ""), account=account
                )
            except MappingInvalid as exc:
                self.add_error(exc.field, as_sentence(exc))
        return cleaned
