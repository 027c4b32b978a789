"""The shop location's settings as a person edits them: ledger locations the books hold, and no stock
calculation for a location whose stock is not the merchant's to write."""
from __future__ import annotations

from django import forms

from syncjobs.inventory.locations import ledger_codes_for
from syncjobs.inventory.models import ShopLocation, StockCalculation


class ShopLocationForm(forms.ModelForm):
    class Meta:
        model = ShopLocation
        fields = ("stock_calculation", "ledger_locations")

    def clean(self):
        cleaned = super().clean()
        location = self.instance.location if self.instance.pk else None
        if location is None:
            return cleaned
        syncs = cleaned.get("stock_calculation") not in (None, StockCalculation.DISABLED)
        if syncs and location.is_fulfillment_service:
            self.add_error("stock_calculation", f"{location.name} is a fulfillment service's location: the service "
                                                "reports its stock, syncsite never writes it")
        codes, problem = ledger_codes_for(self.instance.merchant, cleaned.get("ledger_locations") or "")
        if problem:
            self.add_error("ledger_locations", problem)
        elif cleaned.get("ledger_locations"):
            cleaned["ledger_locations"] = ", ".join(codes)   # as the books spell them
        return cleaned
