import json
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.db.models import Sum
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html_join

from connectors.ledger import (
    admin_books,  # noqa: F401  (customers, items, stock: their pages register there)
    admin_item_journal,  # noqa: F401  (the item journal: stock typed in and posted)
    admin_prices,  # noqa: F401  (price lists, their prices and the CSV import)
    admin_sales,  # noqa: F401  (sales documents and what posting them leaves)
)
from connectors.ledger.forms import AccountForm, AccountMappingForm
from connectors.ledger.models import Account, AccountMapping, JournalEntry
from connectors.ledger.reports import (
    export_file_name,
    journal_lines_context,
    journal_rows,
    journals_csv,
    trial_balance,
    trial_balance_csv,
)
from core.admin_base import MerchantScopedAdmin, ReadOnlyScopedAdmin
from core.money import money
from core.paginators import EstimatedCountPaginator
from core.record_links import related_links
from core.scoping import merchants_for


class TrialBalanceForm(forms.Form):
    merchant = forms.ModelChoiceField(queryset=None, label="Shop")
    start = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        shops = merchants_for(user)
        self.fields["merchant"].queryset = shops
        only = list(shops[:2])
        if len(only) == 1:   # nothing to choose: the user's one shop
            self.fields["merchant"].initial = only[0].pk

    def clean(self):
        cleaned = super().clean()
        if "merchant" in self.errors:
            raise forms.ValidationError("Choose a shop: a trial balance covers one shop's chart of accounts, in its "
                                        "currency.")
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            raise forms.ValidationError("The period ends before it starts.")
        return cleaned


@admin.register(Account)
class AccountAdmin(MerchantScopedAdmin):
    form = AccountForm
    merchant_user_permissions = frozenset({"view", "add", "change"})
    list_display = ("code", "name", "type", "is_active", "is_auto_created", "merchant")
    list_filter = ("merchant", "type", "is_active")
    list_select_related = ("merchant",)
    search_fields = ("code", "name")
    readonly_fields = ("is_auto_created",)
    change_list_template = "admin/ledger/account/change_list.html"

    def get_urls(self):
        return [path("trial-balance/", self.admin_site.admin_view(self.trial_balance_view),
                     name="ledger_trial_balance"), *super().get_urls()]

    def trial_balance_view(self, request):
        form = TrialBalanceForm(request.GET or None, user=request.user)
        rows = None
        if not form.is_bound and form.fields["merchant"].initial:   # one shop: show its balance at once
            form = TrialBalanceForm({"merchant": form.fields["merchant"].initial}, user=request.user)
        if form.is_bound and form.is_valid():
            rows = trial_balance(merchant=form.cleaned_data["merchant"], start=form.cleaned_data["start"],
                                 end=form.cleaned_data["end"])
            if request.GET.get("format") == "csv":
                response = HttpResponse(trial_balance_csv(rows), content_type="text/csv; charset=utf-8")
                response["Content-Disposition"] = 'attachment; filename="trial-balance.csv"'
                return response
        context = {
            **self.admin_site.each_context(request), "title": "Trial balance", "opts": self.opts, "form": form,
            "rows": rows, "currency": form.cleaned_data["merchant"].shop_currency if rows is not None else "",
            "total_debit": sum(r.debit for r in rows or []),
            "total_credit": sum(r.credit for r in rows or []),
            "query": urlencode({k: v for k, v in form.data.items() if k != "format"}) if form.is_bound else "",
        }
        return TemplateResponse(request, "admin/ledger/trial_balance.html", context)


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyScopedAdmin):
    """Posted journals are read-only: a posting is corrected by another posting, never edited."""

    list_display = ("posting_date", "merchant", "kind", "description", "total", "posted_at")
    list_filter = ("merchant", "kind", "posting_date")
    list_select_related = ("merchant",)
    search_fields = ("description", "source_reference")
    readonly_fields = ("merchant", "kind", "posting_date", "currency", "description", "source_reference",
                       "posted_at", "sources", "lines_table")
    actions = ("export_csv", "export_json")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(total_debit=Sum("lines__debit"))

    @admin.display(description="total", ordering="total_debit")
    def total(self, journal: JournalEntry) -> str:
        return money(journal.total_debit, journal.currency)

    @admin.display(description="behind it")
    def sources(self, journal: JournalEntry):
        links = related_links("journal entry", journal)
        return format_html_join(", ", '<a href="{}">{}</a>', ((link.url, link.text) for link in links)) or "—"

    @admin.display(description="lines")
    def lines_table(self, journal: JournalEntry):
        return render_to_string("admin/ledger/journalentry/lines.html", journal_lines_context(journal))
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = EstimatedCountPaginator

    @admin.action(description="Export the selected journals as CSV")
    def export_csv(self, request, queryset):
        response = HttpResponse(journals_csv(queryset), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{export_file_name(queryset)}.csv"'
        return response

    @admin.action(description="Export the selected journals as JSON")
    def export_json(self, request, queryset):
        response = HttpResponse(json.dumps(list(journal_rows(queryset)), indent=1), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{export_file_name(queryset)}.json"'
        return response


@admin.register(AccountMapping)
class AccountMappingAdmin(MerchantScopedAdmin):
    form = AccountMappingForm
    merchant_user_permissions = frozenset({"view", "add", "change", "delete"})
    list_display = ("merchant", "kind", "key", "account")
    list_filter = ("merchant", "kind")
    list_select_related = ("merchant", "account")
    search_fields = ("key", "account__code", "account__name")
