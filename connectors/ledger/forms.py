from django import forms

from connectors.ledger.errors import MappingInvalid, NotAnInternetAddress
from connectors.ledger.mappings import check_account_mapping, mappings_broken_by
from connectors.ledger.models import Account, AccountMapping, PostedSalesShipment, SalesDocument, ShippingAgent
from connectors.ledger.shipments import check_internet_address
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


class ShippingAgentForm(forms.ModelForm):
    class Meta:
        model = ShippingAgent
        fields = ["merchant", "code", "name", "tracking_company", "internet_address"]

    def clean_internet_address(self):
        address = self.cleaned_data.get("internet_address", "").strip()
        if address:
            try:
                check_internet_address(address)
            except NotAnInternetAddress as exc:
                raise forms.ValidationError(as_sentence(exc)) from exc
        return address


class ShipmentTrackingForm(forms.ModelForm):
    """The two fields of a posted shipment a person may still change: its shipping agent, one of its
    shop's, and its package tracking no."""

    class Meta:
        model = PostedSalesShipment
        fields = ["shipping_agent", "package_tracking_no"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "shipping_agent" in self.fields:
            agents = [(a.code, str(a)) for a in ShippingAgent.objects.filter(merchant_id=self.instance.merchant_id)]
            current = self.instance.shipping_agent
            if current and current not in {code for code, _ in agents}:   # an agent deleted since: keep it
                agents.append((current, f"{current} (no such shipping agent any more)"))
            self.fields["shipping_agent"] = forms.ChoiceField(
                choices=[("", "—"), *agents], required=False, label="Shipping agent",
                help_text="Who carries the parcel; the tracking company and URL sent to Shopify are its.")

    def clean_package_tracking_no(self):
        return self.cleaned_data.get("package_tracking_no", "").strip()


class DocumentTrackingForm(ShipmentTrackingForm):
    """The same two fields on a sales document not posted yet: its shipment will carry them."""

    class Meta:
        model = SalesDocument
        fields = ["shipping_agent", "package_tracking_no"]
