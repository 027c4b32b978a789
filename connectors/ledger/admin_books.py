"""The admin pages of the ledger's customers, items, locations, stock and number series (admin.py
holds the chart of accounts and journals). Thin: numbering and search keys are the services'."""
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import unquote
from django.db.models import Sum
from django.http import HttpResponseRedirect
from django.urls import reverse

from connectors.ledger import customers, items
from connectors.ledger.errors import UnknownPriceList
from connectors.ledger.models import (
    Customer,
    Item,
    ItemBarcode,
    ItemLedgerEntry,
    ItemVariant,
    Location,
    NumberSeries,
)
from connectors.ledger.prices import check_price_list_code
from connectors.ledger.records import PictureData
from connectors.ledger.sales_selectors import KeptForGood
from core.admin_base import MerchantScopedAdmin, ReadOnlyScopedAdmin
from core.countries import CountryCodeField
from core.in_use import uses_of_records
from core.pictures import picture_type
from core.sentences import as_sentence, joined

BLANK_FOR_NEXT = "Leave blank for the next number of the series."


class NumberedForm(forms.ModelForm):
    """A customer or item: a number left blank takes the series' next one; once the record exists
    its number is read-only (the page leaves it out of the form)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "number" in self.fields:
            self.fields["number"].required = False
            self.fields["number"].help_text = BLANK_FOR_NEXT


class CustomerForm(NumberedForm):
    """A customer's price list is one of its shop's (its code typed, the case aside); its tax
    registration no. is kept as typed and found normalised."""

    email = forms.EmailField(required=False, max_length=254)
    country = CountryCodeField(required=False)

    class Meta:
        model = Customer
        fields = ["merchant", "number", "name", "email", "phone", "address", "address_2", "city", "post_code",
                  "county", "country", "tax_liable", "blocked", "tax_registration_no", "price_list_code",
                  "b2b_company"]

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("price_list_code", "")
        merchant = cleaned.get("merchant") or (self.instance.merchant if self.instance.merchant_id else None)
        if code and merchant is not None:
            try:
                cleaned["price_list_code"] = check_price_list_code(merchant, code)
            except UnknownPriceList as exc:
                self.add_error("price_list_code", as_sentence(exc))
        return cleaned


class KeptWhileInUse(MerchantScopedAdmin):
    """Customers, items and price lists are named by their numbers (codes) in the shop card, customer
    and product links and other settings of the layers above (core.in_use): a record's number and shop
    never change once it exists, and a record something uses is not deleted, from its page or the list,
    and the page says what uses it."""

    in_use_kind: str
    key_field = "number"

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        return (*readonly, *(f for f in ("merchant", self.key_field) if f not in readonly)) if obj else readonly

    def uses(self, rows) -> list[str]:
        return uses_of_records(self.in_use_kind, rows.values_list("merchant_id", self.key_field))

    def refuse_deleting(self, request, what: str, uses: list[str], *, several: bool = False) -> None:
        """What uses the record and what to do: change those uses first, or, when a posted document
        or entry is among them (kept for good), block the record instead."""
        if not any(isinstance(use, KeptForGood) for use in uses):
            advice = "Change those first."
        elif several:
            advice = "Posted documents keep those they name; block them instead."
        else:
            advice = "Posted documents keep it; block it instead."
        self.message_user(request, f"{as_sentence(f'{what}: {joined(uses)}')} {advice}", messages.ERROR)

    def delete_view(self, request, object_id, extra_context=None):
        record = self.get_object(request, unquote(object_id))
        uses = self.uses(self.model.objects.filter(pk=record.pk)) if self.has_delete_permission(request, record) else []
        if uses:
            self.refuse_deleting(request, f"{self.opts.verbose_name} {getattr(record, self.key_field)} cannot be "
                                          "deleted", uses)
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                                                args=[record.pk], current_app=self.admin_site.name))
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _, name, description = actions["delete_selected"]
            actions["delete_selected"] = (delete_selected_not_in_use, name, description)
        return actions


def delete_selected_not_in_use(modeladmin: KeptWhileInUse, request, queryset):
    """Django's "Delete selected", refused whole when something uses one of the selected records."""
    uses = modeladmin.uses(queryset)
    if uses:
        modeladmin.refuse_deleting(request, f"nothing was deleted, as {modeladmin.opts.verbose_name_plural} of the "
                                            "selection are in use", uses, several=True)
        return None
    return delete_selected(modeladmin, request, queryset)


@admin.register(Customer)
class CustomerAdmin(KeptWhileInUse):
    in_use_kind = "customer"
    form = CustomerForm
    merchant_user_permissions = frozenset({"view", "add", "change"})
    list_display = ("number", "name", "email", "phone", "city", "country", "tax_liable", "b2b_company", "blocked",
                    "merchant")
    list_filter = ("merchant", "country", "blocked", "tax_liable", "b2b_company")
    list_select_related = ("merchant",)
    search_fields = ("number", "name", "email", "phone", "city", "tax_registration_no")

    def save_model(self, request, obj, form, change):
        customers.prepare_row(obj)
        super().save_model(request, obj, form, change)


class ItemForm(NumberedForm):
    new_picture = forms.FileField(required=False, help_text="A PNG, JPEG, GIF or WebP image, at most 20 MB; "
                                                            "it replaces the item's picture.")

    class Meta:
        model = Item
        fields = ["merchant", "number", "description", "type", "base_unit", "unit_price", "unit_cost",
                  "vendor_item_no", "blocked"]

    def clean_new_picture(self):
        upload = self.cleaned_data.get("new_picture")
        if not upload:
            return None
        if upload.size > items.PICTURE_MAX_BYTES:
            raise forms.ValidationError("The picture is larger than 20 MB.")
        content = upload.read()
        content_type = picture_type(content)
        if content_type is None:
            raise forms.ValidationError("This file is not a PNG, JPEG, GIF or WebP image.")
        return PictureData(content, content_type, upload.name[:255])


class ItemVariantInline(admin.TabularInline):
    model = ItemVariant
    extra = 0


class BarcodeFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        item = self.instance
        codes = {v.code for v in item.variants.all()} if item.pk else set()
        seen = set()
        for form in self.forms:
            barcode = (form.cleaned_data or {}).get("barcode")
            if not barcode or (form.cleaned_data or {}).get("DELETE"):
                continue
            taken = ItemBarcode.objects.filter(merchant_id=item.merchant_id, barcode=barcode).exclude(
                pk=form.instance.pk).select_related("item").first()
            if barcode in seen or taken:
                form.add_error("barcode", f"Barcode {barcode} is already used by item "
                                          f"{taken.item.number if taken else item.number or 'above'}.")
            seen.add(barcode)
            variant = form.cleaned_data.get("variant_code") or ""
            if variant and item.pk and variant not in codes:
                form.add_error("variant_code", f"The item has no variant {variant}; add the variant first.")


class ItemBarcodeInline(admin.TabularInline):
    model = ItemBarcode
    formset = BarcodeFormSet
    fields = ("barcode", "variant_code")
    extra = 0


@admin.register(Item)
class ItemAdmin(KeptWhileInUse):
    in_use_kind = "item"   # the product sync registers its uses (core.in_use)
    form = ItemForm
    merchant_user_permissions = frozenset({"view", "add", "change"})
    inlines = (ItemVariantInline, ItemBarcodeInline)
    list_display = ("number", "description", "type", "unit_price", "unit_cost", "on_hand", "blocked", "merchant")
    readonly_fields = ("picture_held",)
    list_filter = ("merchant", "type", "blocked")
    list_select_related = ("merchant",)
    search_fields = ("number", "description", "vendor_item_no", "barcodes__barcode")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(quantity_on_hand=Sum("ledger_entries__quantity"))

    @admin.display(description="on hand", ordering="quantity_on_hand")
    def on_hand(self, item: Item):
        if item.type != "inventory":
            return "—"
        text = f"{item.quantity_on_hand or 0:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text   # 10.000 → 10, never 10 → 1

    @admin.display(description="picture")
    def picture_held(self, item: Item):
        held = items.picture_summary(item)
        return held or "—"

    def save_model(self, request, obj, form, change):
        items.prepare_row(obj)
        super().save_model(request, obj, form, change)
        if form.cleaned_data.get("new_picture"):
            items.set_item_pictures(obj.merchant, {obj.number: form.cleaned_data["new_picture"]})

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:   # a barcode belongs to the item's merchant
            if hasattr(inline_form.instance, "merchant_id") and inline_form.instance.item_id:
                inline_form.instance.merchant_id = form.instance.merchant_id
        super().save_formset(request, form, formset, change)


@admin.register(Location)
class LocationAdmin(MerchantScopedAdmin):
    merchant_user_permissions = frozenset({"view", "add", "change"})
    list_display = ("code", "name", "merchant")
    list_filter = ("merchant",)
    list_select_related = ("merchant",)
    search_fields = ("code", "name")


@admin.register(ItemLedgerEntry)
class ItemLedgerEntryAdmin(ReadOnlyScopedAdmin):
    """Entries are only ever added: stock is corrected by another entry, never by an edit."""

    list_display = ("posting_date", "item", "variant_code", "location", "entry_type", "quantity", "document_no",
                    "merchant")
    list_filter = ("merchant", "entry_type", "location", "posting_date")
    list_select_related = ("merchant", "item", "location")
    search_fields = ("item__number", "item__description", "document_no")
    readonly_fields = ("merchant", "item", "variant_code", "location", "posting_date", "entry_type", "quantity",
                       "document_no", "description", "created_at")


@admin.register(NumberSeries)
class NumberSeriesAdmin(MerchantScopedAdmin):
    merchant_user_permissions = frozenset({"view", "change"})
    list_display = ("code", "prefix", "width", "last_number", "merchant")
    list_filter = ("merchant",)
    list_select_related = ("merchant",)
    readonly_fields = ("last_number",)

    def get_readonly_fields(self, request, obj=None):
        return ("merchant", "code", "last_number") if obj else ("last_number",)
