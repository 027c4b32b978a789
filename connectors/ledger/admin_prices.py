"""The admin pages of the ledger's price lists: the lists (how many prices, how many customers use
each), a list's page (its first prices, a link to all of them, what uses it, the CSV import) and the
prices themselves, a paginated list filtered by price list. Thin: the rules of a price and the
import are connectors.ledger.prices'."""
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.validators import RegexValidator
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from connectors.ledger.admin_books import KeptWhileInUse
from connectors.ledger.errors import PriceFileRefused
from connectors.ledger.models import Customer, PriceList, PriceListLine
from connectors.ledger.prices import (
    PRICE_FILE_COLUMNS,
    PRICE_FILE_MAX_BYTES,
    import_prices,
    price_line_problems,
    read_price_file,
)
from connectors.ledger.records import PriceLineData
from core.admin_base import MerchantScopedAdmin
from core.in_use import uses_of
from core.money import money
from core.sentences import as_sentence, counted, joined
from merchants.errors import MerchantError
from merchants.services import check_currency

PRICES_ON_THE_PAGE = 20
CODE_CHARACTERS = RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9._-]*\Z",
                                 "Use letters A–Z, digits 0–9, dots, hyphens and underscores, e.g. RETAIL-EU.")


class PriceListForm(forms.ModelForm):
    # No length limit: "euro" is told it is no currency code, never cut or refused for its length.
    currency = forms.CharField(help_text="ISO 4217 code, e.g. EUR: every price of the list is in it.")

    class Meta:
        model = PriceList
        fields = ["merchant", "code", "description", "currency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "code" in self.fields:
            self.fields["code"].validators.append(CODE_CHARACTERS)

    def clean_currency(self):
        try:
            currency = check_currency(self.cleaned_data.get("currency", ""))
        except MerchantError as exc:
            raise forms.ValidationError(as_sentence(exc)) from None
        list_ = self.instance
        if list_.pk and currency != list_.currency and list_.lines.exists():
            # Its amounts would silently change currency (and the catalogs priced from it with them).
            raise forms.ValidationError(
                f"The list holds prices in {list_.currency}: its currency cannot change. Make a new price list in "
                f"{currency} (import its prices from a CSV file) and choose it where this one is used.")
        return currency


class PriceFileForm(forms.Form):
    file = forms.FileField(label="Price file (CSV)", help_text=(
        f"Its first line names the columns: {','.join(PRICE_FILE_COLUMNS)} (variant_code and the dates may be "
        "left out); one price a line after it. Dates are written YYYY-MM-DD; comma or semicolon separated."))
    replace_all = forms.BooleanField(required=False, label="Replace all prices of the list",
                                     help_text="On: the list's prices the file does not have are deleted.")

    def __init__(self, *args, price_list: PriceList, **kwargs):
        super().__init__(*args, **kwargs)
        self.price_list = price_list

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > PRICE_FILE_MAX_BYTES:
            raise forms.ValidationError(f"The file is larger than {PRICE_FILE_MAX_BYTES // (1024 * 1024)} MB.")
        try:
            self.cleaned_data["lines"] = read_price_file(merchant=self.price_list.merchant, content=upload.read())
        except PriceFileRefused as refused:
            raise forms.ValidationError([as_sentence(refused), *(as_sentence(p) for p in refused.problems)]) from None
        return upload


@admin.register(PriceList)
class PriceListAdmin(KeptWhileInUse):
    """Merchant users keep their shops' price lists; a list something uses (a customer, the shop card,
    a catalog: core.in_use) is not deleted."""

    in_use_kind = "price list"
    key_field = "code"
    form = PriceListForm
    merchant_user_permissions = frozenset({"view", "add", "change", "delete"})
    list_display = ("code", "description", "currency", "prices", "customers", "merchant")
    list_filter = ("merchant", "currency")
    list_select_related = ("merchant",)
    search_fields = ("code", "description")
    change_form_template = "admin/ledger/pricelist/change_form.html"

    def get_queryset(self, request):
        lines = (PriceListLine.objects.filter(price_list=OuterRef("pk")).order_by().values("price_list")
                 .annotate(n=Count("pk")).values("n"))
        customers = (Customer.objects.filter(merchant=OuterRef("merchant"), price_list_code=OuterRef("code"))
                     .order_by().values("merchant").annotate(n=Count("pk")).values("n"))
        return super().get_queryset(request).annotate(
            price_count=Coalesce(Subquery(lines, output_field=IntegerField()), Value(0)),
            customer_count=Coalesce(Subquery(customers, output_field=IntegerField()), Value(0)))

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        return (*readonly, "prices_of_the_list", "used_by") if obj else readonly

    @admin.display(description="prices", ordering="price_count")
    def prices(self, price_list: PriceList):
        return format_html('<a href="{}">{}</a>', _lines_url(price_list), price_list.price_count)

    @admin.display(description="customers", ordering="customer_count")
    def customers(self, price_list: PriceList):
        if not price_list.customer_count:
            return "0"
        url = reverse("admin:ledger_customer_changelist")
        return format_html('<a href="{}?merchant={}&amp;price_list_code={}">{}</a>', url, price_list.merchant_id,
                           price_list.code, price_list.customer_count)

    @admin.display(description="prices")
    def prices_of_the_list(self, price_list: PriceList):
        first = list(price_list.lines.order_by("item_no", "variant_code", "starting_date")[:PRICES_ON_THE_PAGE])
        return render_to_string("admin/ledger/pricelist/prices.html", {
            "lines": [(line, money(line.unit_price)) for line in first], "count": price_list.price_count,
            "more": price_list.price_count > len(first), "all_url": _lines_url(price_list),
            "add_url": f"{reverse('admin:ledger_pricelistline_add')}?price_list={price_list.pk}",
            "currency": price_list.currency})

    @admin.display(description="used by")
    def used_by(self, price_list: PriceList):
        uses = uses_of(self.in_use_kind, price_list.merchant_id, [price_list.code])
        return as_sentence(joined(uses)) if uses else "Nothing: no customer, shop card or catalog names it."

    def get_urls(self):
        return [path("<path:object_id>/import-prices/", self.admin_site.admin_view(self.import_prices_view),
                     name="ledger_pricelist_import_prices"), *super().get_urls()]

    def import_prices_view(self, request, object_id):
        """A price file uploaded into the list: all its prices, or, at the first mistake, none and every
        mistake listed by line."""
        price_list = self.get_object(request, unquote(object_id))
        if not self.has_change_permission(request, price_list):
            raise PermissionDenied
        form = PriceFileForm(request.POST or None, request.FILES or None, price_list=price_list)
        if request.method == "POST" and form.is_valid():
            done = import_prices(price_list=price_list, lines=form.cleaned_data["lines"],
                                 replace_all=form.cleaned_data["replace_all"])
            removed = f", {done.removed} removed" if form.cleaned_data["replace_all"] else ""
            self.message_user(request, f"Price list {price_list.code}: {counted(done.added, 'price')} added, "
                                       f"{done.changed} changed, {done.unchanged} unchanged{removed}.",
                              messages.SUCCESS)
            return redirect(reverse("admin:ledger_pricelist_change", args=[price_list.pk]))
        context = {**self.admin_site.each_context(request), "title": f"Import prices into price list {price_list}",
                   "opts": self.opts, "original": price_list, "form": form, "columns": PRICE_FILE_COLUMNS}
        return TemplateResponse(request, "admin/ledger/pricelist/import_prices.html", context)


def _lines_url(price_list: PriceList) -> str:
    return f"{reverse('admin:ledger_pricelistline_changelist')}?price_list__id__exact={price_list.pk}"


class PriceListLineForm(forms.ModelForm):
    """A price typed in: its item (and variant) the list's shop's, a price of at most 2 decimals, not
    below 0, dates in order (connectors.ledger.prices' rules, the CSV import's too)."""

    class Meta:
        model = PriceListLine
        fields = ["price_list", "item_no", "variant_code", "unit_price", "starting_date", "ending_date"]

    def clean(self):
        cleaned = super().clean()
        price_list = cleaned.get("price_list") or (self.instance.price_list if self.instance.price_list_id else None)
        if price_list is None or not cleaned.get("item_no") or cleaned.get("unit_price") is None:
            return cleaned   # the field left empty or wrong says so already
        line = PriceLineData(item_no=cleaned["item_no"].strip(), unit_price=cleaned["unit_price"],
                             variant_code=cleaned.get("variant_code", "").strip(),
                             starting_date=cleaned.get("starting_date"), ending_date=cleaned.get("ending_date"))
        for problem in price_line_problems(merchant=price_list.merchant, lines=[(None, line)]):
            self.add_error(problem.field if problem.field in self.fields else None, as_sentence(problem))
        return cleaned


@admin.register(PriceListLine)
class PriceListLineAdmin(MerchantScopedAdmin):
    """The prices of every list a user may see, a page at a time (a list holds thousands): the price
    list page links here filtered to its own."""

    form = PriceListLineForm
    merchant_user_permissions = frozenset({"view", "add", "change", "delete"})
    list_display = ("item_no", "variant_code", "price", "starting_date", "ending_date", "price_list")
    list_filter = (("price_list", admin.RelatedOnlyFieldListFilter), "price_list__merchant")
    list_select_related = ("price_list",)
    search_fields = ("item_no", "variant_code")
    show_facets = admin.ShowFacets.NEVER

    @admin.display(description="unit price", ordering="unit_price")
    def price(self, line: PriceListLine) -> str:
        return money(line.unit_price, line.price_list.currency)
