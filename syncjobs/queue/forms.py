"""The job queue entry form: the report's request page checks the parameters (J6)."""
from __future__ import annotations

from django import forms

from syncjobs.queue.errors import QueueError
from syncjobs.queue.models import EntryStatus, JobQueueEntry
from syncjobs.queue.registry import REPORTS


def report_choices() -> list[tuple[int, str]]:
    return [(number, REPORTS[number].label() + ("" if REPORTS[number].is_implemented else " (not built yet)"))
            for number in sorted(REPORTS)]


class JobQueueEntryForm(forms.ModelForm):
    report_number = forms.TypedChoiceField(label="Report", coerce=int, choices=report_choices)
    status = forms.ChoiceField(
        choices=[(EntryStatus.READY, "Ready"), (EntryStatus.ON_HOLD, "On Hold")], initial=EntryStatus.READY,
        help_text="Later changes of status go through the list's actions (Set Ready, Set On Hold, …).",
    )

    class Meta:
        model = JobQueueEntry
        fields = "__all__"
        widgets = {
            "parameters": forms.Textarea(attrs={"rows": 3, "cols": 60}),
            "starting_time": forms.TimeInput(attrs={"type": "time"}),
            "ending_time": forms.TimeInput(attrs={"type": "time"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["status"]

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
        number, parameters = cleaned.get("report_number"), cleaned.get("parameters")
        if number in REPORTS and isinstance(parameters, dict):
            try:
                REPORTS[number].clean_parameters(parameters)
            except QueueError as exc:
                self.add_error("parameters", str(exc))
        elif parameters is not None and not isinstance(parameters, dict):
            self.add_error("parameters", 'Give the filters as an object, e.g. {"financial_status": "paid"}.')
        merchant, category = cleaned.get("merchant"), cleaned.get("category")
        if merchant and category and category.merchant_id != merchant.pk:
            self.add_error("category", "Choose a category of the same shop.")
        if cleaned.get("minutes_between_runs") == 0:
            self.add_error("minutes_between_runs", "Leave it empty for no recurrence, or give at least 1 minute.")
        return cleaned
