"""The daily sync's forms: the request page of "Set up accounts"."""
from __future__ import annotations

from django import forms

from connectors.ledger.chart_templates import CHART_TEMPLATES
from syncjobs.daily.account_setup import SetupPreview


class SetUpAccountsForm(forms.Form):
    template = forms.ChoiceField(
        label="Chart of accounts", widget=forms.RadioSelect,
        choices=[(t.slug, t.label) for t in CHART_TEMPLATES.values()],
        help_text="Proposed from whether the imported orders' prices include tax. Codes and names can be "
                  "changed under Accounts afterwards.")

    def __init__(self, *args, preview: SetupPreview, **kwargs) -> None:
        super().__init__(*args, initial={"template": preview.proposed.slug}, **kwargs)
        self.preview = preview

    def plans(self) -> list[tuple[str, object, bool]]:
        """(slug, plan, proposed) per template, the proposed one first: what the page lays out."""
        proposed = self.preview.proposed.slug
        return sorted(((slug, plan, slug == proposed) for slug, plan in self.preview.plans.items()),
                      key=lambda row: not row[2])
