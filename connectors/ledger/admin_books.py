"""The admin pages of the ledger's customers, items, locations, stock and number series (admin.py
holds the chart of accounts and journals). Thin: numbering and search keys are the services'."""
from django import forms
from django.contrib import admin
from django.db.models import Sum

from connectors.ledger import customers, items
from connectors.ledger.models import (
    Customer,
    Item,
    ItemBarcode,
    ItemLedgerEntry,
    ItemVariant,
    Location,
    NumberSeries,
)
from connectors.ledger.records import PictureData
from core.admin_base import MerchantScopedAdmin

BLANK_FOR_NEXT = "Leave blank for the next number of the series."


class CustomerForm(forms.ModelForm):
    class Meta:
        model = Customer
        fields = ["merchant", "number", "name", "email", "phone", "address", "address_2", "city", "post_code",
                  "county", "country", "tax_liable", "blocked"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].required = False
        self.fields["number"].help_text = BLANK_FOR_NEXT

    def clean_country(self):
        return (self.cleaned_data.get("country") or "").upper()


@admin.register(Customer)
class CustomerAdmin(MerchantScopedAdmin):
    form = CustomerForm
    merchant_user_permissions = frozenset({"view", "add", "change"})
    list_display = ("number", "name", "email", "phone", "city", "country", "tax_liable", "blocked", "merchant")
    list_filter = ("merchant", "country", "blocked", "tax_liable")
    list_select_related = ("merchant",)
    search_fields = ("number", "name", "email", "phone", "city")

    def save_model(self, request, obj, form, change):
        customers.prepare_row(obj)
        super().save_model(request, obj, form, change)


class ItemForm(forms.ModelForm):
    new_picture = forms.FileField(required=False, help_text="A PNG, JPEG, GIF or WebP image, at most 20 MB; "
                                                            "it replaces the item's picture.")

    class Meta:
        model = Item
        fields = ["merchant", "number", "description", "type", "base_unit", "unit_price", "unit_cost",
                  "vendor_item_no", "blocked"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].required = False
        self.fields["number"].help_text = BLANK_FOR_NEXT

    def clean_new_picture(self):
        upload = self.cleaned_data.get("new_picture")
        if not upload:
            return None
        if upload.size > items.PICTURE_MAX_BYTES:
            raise forms.ValidationError("The picture is larger than 20 MB.")
        content = upload.read()
        content_type = items.picture_type(content)
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
class ItemAdmin(MerchantScopedAdmin):
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
        return f"{item.quantity_on_hand or 0:f}".rstrip("0").rstrip(".") if item.type == "inventory" else "—"

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
class ItemLedgerEntryAdmin(MerchantScopedAdmin):
    """Entries are only ever added: stock is corrected by another entry, never by an edit."""

    list_display = ("posting_date", "item", "variant_code", "location", "entry_type", "quantity", "document_no",
                    "merchant")
    list_filter = ("merchant", "entry_type", "location", "posting_date")
    list_select_related = ("merchant", "item", "location")
    search_fields = ("item__number", "item__description", "document_no")
    readonly_fields = ("merchant", "item", "variant_code", "location", "posting_date", "entry_type", "quantity",
                       "document_no", "description", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NumberSeries)
class NumberSeriesAdmin(MerchantScopedAdmin):
    merchant_user_permissions = frozenset({"view", "change"})
    list_display = ("code", "prefix", "width", "last_number", "merchant")
    list_filter = ("merchant",)
    list_select_related = ("merchant",)
    readonly_fields = ("last_number",)

    def get_readonly_fields(self, request, obj=None):
        return ("merchant", "code", "last_number") if obj else ("last_number",)
