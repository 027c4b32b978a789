"""The item journal's admin page (Business Central's Item Journal): lines typed one by one or in the
list, checked as they are saved, and posted from the list as item ledger entries. Thin: checking and
posting are connectors.ledger.item_journal's."""
from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from connectors.ledger.errors import JournalLinesNotPostable
from connectors.ledger.item_journal import journal_line_problems, post_item_journal
from connectors.ledger.models import ItemJournalLine
from core.admin_base import MerchantScopedAdmin
from core.sentences import as_sentence, counted
from merchants.models import Merchant

LINE_FIELDS = ("posting_date", "entry_type", "document_no", "item", "variant_code", "location", "quantity",
               "description")
REQUIRED = ("posting_date", "entry_type", "item", "location", "quantity")


class ItemJournalLineForm(forms.ModelForm):
    """A line's item and location are its shop's; what would stop it from posting (a variant its item
    does not have, a service or blocked item, a quantity of 0) is an error on the field at fault.
    The list's editable columns go through this form too."""

    class Meta:
        model = ItemJournalLine
        fields = ["merchant", *LINE_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "variant_code" in self.fields:
            self.fields["variant_code"].help_text = "Blank, or one of the item's variants."
        shop = self.instance.merchant_id
        if shop:   # a saved line: its shop's items and locations only
            for name in ("item", "location"):
                if name in self.fields:
                    self.fields[name].queryset = self.fields[name].queryset.filter(merchant_id=shop)
        elif "merchant" in self.fields:
            only = list(self.fields["merchant"].queryset[:2])
            if len(only) == 1:   # nothing to choose: the user's one shop
                self.fields["merchant"].initial = only[0].pk

    def clean(self):
        cleaned = super().clean()
        merchant = cleaned.get("merchant") or (self.instance.merchant if self.instance.merchant_id else None)
        # What the form does not show (the list edits some fields only) is the saved line's.
        values = {name: cleaned.get(name) if name in self.fields else getattr(self.instance, name)
                  for name in LINE_FIELDS}
        if merchant is None or any(values[name] in (None, "") for name in REQUIRED):
            return cleaned   # the field left empty or wrong says so already
        line = ItemJournalLine(pk=self.instance.pk, merchant=merchant, **values)
        for problem in journal_line_problems(merchant=merchant, lines=[line]):
            field = problem.field if problem.field in self.fields else None
            self.add_error(field, as_sentence(problem.reason))
        return cleaned


@admin.register(ItemJournalLine)
class ItemJournalLineAdmin(MerchantScopedAdmin):
    """Merchant users keep their own shop's journal: they add, change, delete and post its lines."""

    form = ItemJournalLineForm
    merchant_user_permissions = frozenset({"view", "add", "change", "delete", "post"})
    list_display = ("line", "posting_date", "entry_type", "document_no", "item", "variant_code", "location",
                    "quantity", "description", "merchant")
    list_display_links = ("line",)
    list_editable = ("posting_date", "entry_type", "document_no", "variant_code", "quantity", "description")
    list_filter = ("merchant", "entry_type", ("location", admin.RelatedOnlyFieldListFilter), "posting_date")
    list_select_related = ("merchant", "item", "location")
    search_fields = ("item__number", "item__description", "document_no", "description")
    actions = ("post_lines",)

    @admin.display(description="line", ordering="pk")
    def line(self, line: ItemJournalLine) -> str:
        return str(line.pk)

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        return (*readonly, "merchant") if obj and "merchant" not in readonly else readonly

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=ItemJournalLineForm, **kwargs)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:   # not "Delete selected item journal"
            function, name, _ = actions["delete_selected"]
            actions["delete_selected"] = (function, name, "Delete the selected lines")
        return actions

    def has_post_permission(self, request) -> bool:
        return self._may(request, "post")

    @admin.action(description="Post the selected lines", permissions=["post"])
    def post_lines(self, request, queryset):
        """Posts the selection, all or none: the entries posted, or each line that cannot be and why."""
        shops = list(Merchant.objects.filter(pk__in=queryset.values("merchant")).order_by("pk")[:2])
        if len(shops) != 1:
            why = ("choose lines of one shop; each shop's journal posts on its own" if shops
                   else "the selected lines are no longer in the journal")
            self.message_user(request, as_sentence(f"Nothing was posted: {why}"), messages.ERROR)
            return
        try:
            posted = post_item_journal(merchant=shops[0], lines=queryset)
        except JournalLinesNotPostable as refused:
            self.message_user(request, f"Nothing was posted: {counted(len(refused.problems), 'line')} of the "
                                       "selection cannot be posted.", messages.ERROR)
            for problem in refused.problems:
                self.message_user(request, as_sentence(problem), messages.ERROR)
            return
        self.message_user(request, format_html(
            '{} posted ({} in, {} out); see them under <a href="{}">item ledger entries</a>.',
            counted(posted.entries, "item ledger entry", "item ledger entries"), _quantity(posted.quantity_in),
            _quantity(posted.quantity_out), reverse("admin:ledger_itemledgerentry_changelist")), messages.SUCCESS)


def _quantity(value) -> str:
    """"12", "1.5": without the trailing zeros of its three decimal places."""
    return f"{value.normalize():f}"
