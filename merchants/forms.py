from __future__ import annotations

from django import forms

from core.sentences import as_sentence
from core.shop_card import rules_for
from merchants import services
from merchants.errors import MerchantError
from merchants.models import Merchant

SECRET_FIELDS = ("access_token", "api_secret_key")


class MerchantForm(forms.ModelForm):
    """The shop card's form: every value is checked here, so bad input is a form error, not a 500."""

    class Meta:
        model = Merchant
        fields = "__all__"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._stored_secret_key = self.instance.api_secret_key if self.instance.pk else None

    def _post_clean(self):
        """What follows from a valid change, once the instance holds the new values: the previous API
        key kept for a rotation, a re-enabled shop's reason cleared. (Webhooks are subscribed after
        the save, outside its transaction: see MerchantAdmin.save_model.)"""
        super()._post_clean()
        if self.errors:
            return
        changed = set(self.changed_data)
        if "api_secret_key" in changed:
            services.keep_previous_secret_key(self.instance, previous=self._stored_secret_key)
        if "is_enabled" in changed and self.instance.is_enabled:
            self.instance.disabled_reason = ""

    def _checked(self, name: str, check):
        value = self.cleaned_data.get(name, "")
        try:
            return check(value)
        except MerchantError as exc:
            raise forms.ValidationError(as_sentence(exc)) from None

    def clean_shop_domain(self):
        return self._checked("shop_domain", services.normalise_shop_domain)

    def clean_api_base_url(self):
        return self._checked("api_base_url", services.normalise_api_base_url)

    def clean_time_zone(self):
        return self._checked("time_zone", services.check_time_zone)

    def clean_shop_currency(self):
        return self._checked("shop_currency", services.check_currency)

    def clean(self):
        cleaned = super().clean()
        if "auto_create_accounts" in self.fields:
            try:
                services.check_auto_create_range(
                    enabled=cleaned.get("auto_create_accounts", False),
                    code_from=cleaned.get("auto_create_code_from", ""),
                    code_to=cleaned.get("auto_create_code_to", ""),
                )
            except MerchantError as exc:
                self.add_error("auto_create_code_from", as_sentence(exc))
        changed = set(self.changed_data)
        for rule in rules_for(changed):   # what the layers above check (core.shop_card)
            if rule.check is None:
                continue
            for name, problem in rule.check(self.instance, cleaned, changed).items():
                self.add_error(name if name in self.fields else None, as_sentence(problem))
        self._ask_for_typed_secrets_again()
        return cleaned

    def _ask_for_typed_secrets_again(self) -> None:
        """Secrets are never sent back to the browser: when the form comes back with errors, a secret
        typed into it is gone from the page, so it says to type it again rather than let the next save
        go without it."""
        if not self.errors:
            return
        for name in SECRET_FIELDS:
            if name in self.fields and self.data.get(name) and name not in self.errors:
                self.add_error(name, "Not saved, as the form has errors elsewhere: type it again (secrets are never "
                                     "shown back).")
