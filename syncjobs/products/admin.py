"""Product and variant links: which ledger item each Shopify product and variant is. The "Unmapped
products" tile lists exactly the variants without one; a variant is mapped by hand here, or by
retrying the mapping, or by creating the item from its Shopify product. Items the shop sells are
added to Shopify from the product links' list."""
from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from connectors.ledger.target import target_for
from core.admin_base import MerchantScopedAdmin, tile_list_filter
from core.scoping import merchants_for
from core.sentences import counted
from syncjobs.products import actions, shop_items
from syncjobs.products.models import ProductLink, VariantLink

UnmappedFilter = tile_list_filter(title="mapping", parameter_name="unmapped",
                                  choices={"yes": ("unmapped_products", "Unmapped (documents-mode shops)")})


class VariantLinkForm(forms.ModelForm):
    class Meta:
        model = VariantLink
        fields = ["item_no", "variant_code"]

    def clean(self):
        cleaned = super().clean()
        number, code = cleaned.get("item_no", "").strip(), cleaned.get("variant_code", "").strip()
        merchant = self.instance.merchant
        if number:
            item = target_for(merchant).get_items(merchant, [number]).get(number)
            if item is None:
                self.add_error("item_no", f"The ledger has no item {number}.")
            elif code and code not in {v.code for v in item.variants}:
                self.add_error("variant_code", f"Item {number} has no variant {code}.")
        elif code:
            self.add_error("variant_code", "A variant code needs an item no.")
        cleaned["item_no"], cleaned["variant_code"] = number, code
        return cleaned


@admin.register(VariantLink)
class VariantLinkAdmin(MerchantScopedAdmin):
    form = VariantLinkForm
    merchant_user_permissions = frozenset({"view", "change"})
    list_display = ("sku", "title", "product", "item_no", "variant_code", "mapped_by", "unmapped_reason", "merchant")
    list_filter = (UnmappedFilter, "merchant", "mapped_by")
    list_select_related = ("merchant", "product")
    search_fields = ("sku", "title", "shopify_gid", "item_no", "product__title")
    readonly_fields = ("merchant", "product", "shopify_gid", "sku", "title", "mapped_by", "unmapped_reason",
                       "mapped_at")
    actions = ("retry_mapping", "create_ledger_items")

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        if {"item_no", "variant_code"} & set(form.changed_data):
            shop_items.map_by_hand(obj, obj.item_no, obj.variant_code)
        super().save_model(request, obj, form, change)

    @admin.action(description="Retry the mapping of the selected variants")
    def retry_mapping(self, request, queryset):
        already = queryset.exclude(item_no="").count()
        counts = actions.retry(queryset)
        self.message_user(request, f"{counts.mapped + counts.created} mapped, {len(counts.unmapped)} still unmapped"
                                   f"{_left_alone(already)}.",
                          messages.SUCCESS if not counts.unmapped else messages.WARNING)

    @admin.action(description="Create ledger items from the selected variants' products")
    def create_ledger_items(self, request, queryset):
        already = queryset.exclude(item_no="").count()
        counts = actions.create_items(queryset)
        self.message_user(request, f"{counted(counts.created, 'ledger item')} created; "
                                   f"{counted(len(counts.unmapped), 'variant')} still unmapped{_left_alone(already)}.",
                          messages.SUCCESS if not counts.unmapped else messages.WARNING)


def _left_alone(already: int) -> str:
    if not already:
        return ""
    left = "it is" if already == 1 else "they are"
    return f"; {counted(already, 'variant was', 'variants were')} already mapped and left as {left}"


class AddItemsForm(forms.Form):
    merchant = forms.ModelChoiceField(queryset=None, label="Shop")
    numbers = forms.CharField(
        label="Item nos.", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line, or separated by commas or spaces. Leave it blank to add every ledger item that is "
                  "not blocked.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merchant"].queryset = merchants_for(user).order_by("code")

    def clean(self):
        cleaned = super().clean()
        merchant, typed = cleaned.get("merchant"), shop_items.item_numbers_in(cleaned.get("numbers") or "")
        if merchant is not None and typed:
            unknown = shop_items.unknown_items(merchant, typed, target=target_for(merchant))
            if unknown:
                listed = ", ".join(unknown[:20]) + (" …" if len(unknown) > 20 else "")
                self.add_error("numbers", f"The ledger of {merchant.code} has no item {listed}.")
        return cleaned


class VariantInline(admin.TabularInline):
    model = VariantLink
    fields = ("shopify_gid", "sku", "title", "item_no", "variant_code", "mapped_by", "unmapped_reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ProductLink)
class ProductLinkAdmin(MerchantScopedAdmin):
    merchant_user_permissions = frozenset({"view", "change"})
    list_display = ("title", "item_no", "shopify_gid", "direction", "in_shop", "failure", "merchant")
    list_filter = ("merchant", "direction")
    list_select_related = ("merchant",)
    search_fields = ("title", "item_no", "shopify_gid")
    fields = ("merchant", "title", "shopify_gid", "item_no", "direction", "removed_at", "removed_status", "failure",
              "mapped_at")
    readonly_fields = fields
    inlines = (VariantInline,)
    actions = ("take_out_of_shop",)
    change_list_template = "admin/product_sync/productlink/change_list.html"

    def has_add_permission(self, request):
        return False

    @admin.display(description="in the shop", boolean=True)
    def in_shop(self, link: ProductLink) -> bool:
        return link.removed_at is None

    def get_urls(self):
        return [path("add-items/", self.admin_site.admin_view(self.add_items_view),
                     name="product_sync_add_items"), *super().get_urls()]

    def add_items_view(self, request):
        form = AddItemsForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            merchant = form.cleaned_data["merchant"]
            typed = shop_items.item_numbers_in(form.cleaned_data["numbers"])
            result = shop_items.add_items(merchant, typed or None, target=target_for(merchant))
            self.message_user(request, f"{counted(len(result.added), 'item')} added to {merchant.code}; Sync products "
                                       "creates their products in Shopify.", messages.SUCCESS)
            for numbers, why in ((result.blocked, "blocked, so not added"),
                                 (result.already, "in the shop already")):
                if numbers:
                    listed = ", ".join(numbers[:20]) + (" …" if len(numbers) > 20 else "")
                    self.message_user(request, f"{counted(len(numbers), 'item')} {why}: {listed}", messages.WARNING)
            return redirect(reverse("admin:product_sync_productlink_changelist"))
        context = {**self.admin_site.each_context(request), "title": "Add items to Shopify", "opts": self.opts,
                   "form": form}
        return TemplateResponse(request, "admin/product_sync/add_items.html", context)

    @admin.action(description="Take the selected products' items out of the shop")
    def take_out_of_shop(self, request, queryset):
        count = shop_items.take_out(queryset)
        actions_by_shop = {m.code: m.get_action_for_removed_items_display().lower()
                           for m in merchants_for(request.user).filter(pk__in=queryset.values("merchant_id"))}
        then = "; ".join(f"{code}: the next Sync products will {action}" if action != "do nothing"
                         else f"{code}: the products stay as they are in Shopify (the shop card's action for removed "
                              "items is 'Do nothing')" for code, action in actions_by_shop.items())
        self.message_user(request, f"{counted(count, 'item')} taken out of the shop. {then}.", messages.SUCCESS)
