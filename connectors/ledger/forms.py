from django import forms

from connectors.ledger.models import Account


class AccountForm(forms.ModelForm):
    class Meta:
        model = Account
        fields = ["merchant", "code", "name", "type", "is_active"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "type" in cleaned and "is_active" in cleaned:
            from merchants.mappings import mappings_broken_by

            for problem in mappings_broken_by(self.instance, is_active=cleaned["is_active"], type=cleaned["type"]):
                self.add_error(None, f"This account cannot change so: {problem}. Change the mapping first.")
        return cleaned
