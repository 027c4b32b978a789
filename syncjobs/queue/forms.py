"""The job queue entry form: the report's own request page gives the entry's parameters (J6).

Every report's request-page fields are on the form, each report's under its own prefix ("r30104-"),
in a fieldset the page shows only while that report is chosen; only the chosen report's page is
checked and stored, as the values the report's form reads back (a multi-value filter as a list).
"""
from __future__ import annotations

import copy

from django import forms
from django.forms.utils import pretty_name

from syncjobs.queue.models import EntryStatus, JobQueueEntry
from syncjobs.queue.registry import REPORTS

# A year: longer gaps are not a recurrence (and overflow the date arithmetic).
MAX_MINUTES_BETWEEN_RUNS = 366 * 24 * 60


def report_choices() -> list[tuple[int, str]]:
    return [(number, REPORTS[number].label() + ("" if REPORTS[number].is_implemented else " (not built yet)"))
            for number in sorted(REPORTS)]


def request_page_prefix(number: int) -> str:
    return f"r{number}"


def request_page_field_names(number: int) -> list[str]:
    """The entry form's names of report `number`'s request-page fields, in the page's order."""
    report = REPORTS.get(number)
    if report is None:
        return []
    return [f"{request_page_prefix(number)}-{name}" for name in report.form_class.base_fields]


class JobQueueEntryForm(forms.ModelForm):
    report_number = forms.TypedChoiceField(label="Report", coerce=int, choices=report_choices)
    status = forms.ChoiceField(
        choices=[(EntryStatus.READY, "Ready"), (EntryStatus.ON_HOLD, "On Hold")], initial=EntryStatus.READY,
        help_text="Later changes of status go through the list's actions (Set Ready, Set On Hold, …).",
    )

    class Meta:
        model = JobQueueEntry
        exclude = ("parameters",)
        widgets = {
            "starting_time": forms.TimeInput(attrs={"type": "time"}),
            "ending_time": forms.TimeInput(attrs={"type": "time"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["status"]
        stored = self.instance.parameters if self.instance.pk else {}
        self._stored_parameters = dict(stored)
        for number in sorted(REPORTS):
            page = REPORTS[number].form_class(prefix=request_page_prefix(number))
            for name, field in page.fields.items():
                own = copy.deepcopy(field)
                # Required only for the report chosen: its own form checks that in clean().
                own.required = False
                own.label = field.label or pretty_name(name)   # the page's own words, not the prefix
                self.fields[page.add_prefix(name)] = own
                if number == self.instance.report_number and name in stored:
                    self.initial[page.add_prefix(name)] = stored[name]

    def clean_report_number(self):
        number = self.cleaned_data["report_number"]
        report = REPORTS.get(number)
        if report is not None and not report.is_implemented:
            raise forms.ValidationError(f"{report.label()} is not built yet in this version of syncsite; it would "
                                        "only fail. Choose a report that is.")
        return number

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            current = JobQueueEntry.objects.filter(pk=self.instance.pk).values_list("status", flat=True).first()
            if current == EntryStatus.IN_PROCESS:
                raise forms.ValidationError("The entry is running; change it once the run has ended.")
        number = cleaned.get("report_number")
        if number in REPORTS:
            self.instance.parameters = self._request_page_values(number)
        merchant, category = cleaned.get("merchant"), cleaned.get("category")
        if merchant and category and category.merchant_id != merchant.pk:
            self.add_error("category", "Choose a category of the same shop.")
        minutes = cleaned.get("minutes_between_runs")
        if minutes == 0:
            self.add_error("minutes_between_runs", "Leave it empty for no recurrence, or give at least 1 minute.")
        elif minutes and minutes > MAX_MINUTES_BETWEEN_RUNS:
            self.add_error("minutes_between_runs", f"At most {MAX_MINUTES_BETWEEN_RUNS:,} minutes (a year) between "
                                                   "runs; for less often, run it by hand.")
        start, expires = cleaned.get("earliest_start_at"), cleaned.get("expires_at")
        if start and expires and expires <= start:
            self.add_error("expires_at", "The expiration is not after the earliest start: the entry would never run. "
                                         "Move one of them.")
        return cleaned

    def changed_fields(self) -> set[str]:
        """The entry's fields the form changed: its model fields, and `parameters` for its request page."""
        model_fields = {field.name for field in JobQueueEntry._meta.concrete_fields}
        changed = {name for name in self.changed_data if name in model_fields}
        if self.instance.parameters != self._stored_parameters:
            changed.add("parameters")
        return changed

    def _request_page_values(self, number: int) -> dict:
        """The chosen report's request page, checked by its own form: its errors go to its fields."""
        merchant = self.cleaned_data.get("merchant") or getattr(self.instance, "merchant", None)
        page = REPORTS[number].request_form(merchant)(data=self.data, prefix=request_page_prefix(number))
        if not page.is_valid():
            for name, errors in page.errors.items():
                field = page.add_prefix(name) if name in page.fields else None
                for error in errors:
                    self.add_error(field, error)
        values = {}
        for name in page.fields:
            value = page[name].data     # what the widget read: a string, or a list for multi-value filters
            if value not in (None, "", [], False):
                values[name] = value
        return values
