"""Customer links: which ledger customer each Shopify customer is. The "Unmapped customers" tile
lists exactly the links without one; a link is mapped by hand here, or by retrying the mapping, or
by creating the ledger customer from the Shopify customer."""
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from connectors.ledger.target import target_for
from connectors.shopify.models import ShopifyCustomer
from core.admin_base import MerchantScopedAdmin, tile_list_filter
from syncjobs.customers import actions
from syncjobs.customers.models import CustomerLink, Direction, MappedBy


class NamedCustomerChangeList(ChangeList):
    """The list's rows with their Shopify customer's name and email, joined once the filters are
    applied (annotating earlier would ride into the tile filter's combined query)."""

    def get_queryset(self, request, exclude_parameters=None):
        customers = ShopifyCustomer.objects.filter(merchant=OuterRef("merchant"), shopify_gid=OuterRef("shopify_gid"))
        return super().get_queryset(request, exclude_parameters).annotate(
            first_name=Subquery(customers.values("first_name")[:1]),
            last_name=Subquery(customers.values("last_name")[:1]),
            customer_email=Subquery(customers.values("email")[:1]))


UnmappedFilter = tile_list_filter(title="mapping", parameter_name="unmapped",
                                  choices={"yes": ("unmapped_customers", "Unmapped (documents-mode shops)")})


class CustomerLinkForm(forms.ModelForm):
    class Meta:
        model = CustomerLink
        fields = ["customer_no"]

    def clean_customer_no(self):
        number = self.cleaned_data["customer_no"].strip()
        merchant = self.instance.merchant
        if number and number not in target_for(merchant).get_customers(merchant, [number]):
            raise forms.ValidationError(f"The ledger has no customer {number}.")
        return number


@admin.register(CustomerLink)
class CustomerLinkAdmin(MerchantScopedAdmin):
    form = CustomerLinkForm
    merchant_user_permissions = frozenset({"view", "change"})
    list_display = ("shopify_customer", "email", "customer_no", "mapped_by", "unmapped_reason", "merchant")
    list_filter = (UnmappedFilter, "merchant", "mapped_by")
    list_select_related = ("merchant",)
    search_fields = ("shopify_gid", "customer_no")
    readonly_fields = ("merchant", "shopify_gid", "shopify_customer", "email", "mapped_by", "direction",
                       "unmapped_reason", "mapped_at")
    actions = ("retry_mapping", "create_ledger_customers")

    def has_add_permission(self, request):
        return False

    def get_changelist(self, request, **kwargs):
        return NamedCustomerChangeList

    @admin.display(description="Shopify customer")
    def shopify_customer(self, link):
        names = (getattr(link, "first_name", None), getattr(link, "last_name", None))
        if names == (None, None):   # a change page: one row, one query
            found = ShopifyCustomer.objects.filter(merchant_id=link.merchant_id, shopify_gid=link.shopify_gid).first()
            names = (found.first_name, found.last_name) if found else ("", "")
        return " ".join(n for n in names if n) or link.shopify_gid

    @admin.display(description="email", ordering="customer_email")
    def email(self, link):
        if not hasattr(link, "customer_email"):
            found = ShopifyCustomer.objects.filter(merchant_id=link.merchant_id, shopify_gid=link.shopify_gid).first()
            return found.email if found and found.email else "—"
        return link.customer_email or "—"

    def save_model(self, request, obj, form, change):
        if "customer_no" in form.changed_data:
            obj.mapped_by = MappedBy.BY_HAND if obj.customer_no else ""
            obj.direction = Direction.NONE
            obj.unmapped_reason = "" if obj.customer_no else "mapping removed by hand"
            obj.mapped_at = timezone.now() if obj.customer_no else None
        super().save_model(request, obj, form, change)

    @admin.action(description="Retry the mapping of the selected customers")
    def retry_mapping(self, request, queryset):
        counts = actions.retry(queryset)
        self.message_user(request, f"{counts.mapped + counts.created} mapped, {len(counts.unmapped)} still unmapped.",
                          messages.SUCCESS if not counts.unmapped else messages.WARNING)

    @admin.action(description="Create ledger customers from the selected Shopify customers")
    def create_ledger_customers(self, request, queryset):
        created = actions.create_from_shopify(queryset)
        self.message_user(request, f"{created} ledger customers created and mapped.", messages.SUCCESS)
