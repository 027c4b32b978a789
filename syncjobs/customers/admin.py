"""Customer links: which ledger customer each Shopify customer is. The "Unmapped customers" tile
lists exactly the links without one; a link is mapped by hand here, or by retrying the mapping, or
by creating the ledger customer from the Shopify customer."""
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.text import smart_split, unescape_string_literal

from connectors.shopify.models import ShopifyCustomer
from core.admin_base import MerchantScopedAdmin, tile_list_filter
from syncjobs.customers import actions
from syncjobs.customers.forms import LedgerCustomerLinkForm
from syncjobs.customers.models import CustomerLink, Direction, MappedBy


def _buyer():
    """The link's Shopify customer, as a subquery of the link."""
    return ShopifyCustomer.objects.filter(merchant=OuterRef("merchant"), shopify_gid=OuterRef("shopify_gid"))


def with_buyers(links):
    """The links with their Shopify customer's name and email (CustomerLink.buyer_name and __str__
    read them)."""
    return links.annotate(first_name=Subquery(_buyer().values("first_name")[:1]),
                          last_name=Subquery(_buyer().values("last_name")[:1]),
                          customer_email=Subquery(_buyer().values("email")[:1]))


class NamedCustomerChangeList(ChangeList):
    """The list's rows with their Shopify customer's name and email, joined once the filters are
    applied (annotating earlier would ride into the tile filter's combined query)."""

    def get_queryset(self, request, exclude_parameters=None):
        return with_buyers(super().get_queryset(request, exclude_parameters))


UnmappedFilter = tile_list_filter(title="mapping", parameter_name="unmapped",
                                  choices={"yes": ("unmapped_customers", "Unmapped (documents-mode shops)")})


class CustomerLinkForm(LedgerCustomerLinkForm):
    class Meta:
        model = CustomerLink
        fields = ["customer_no"]


@admin.register(CustomerLink)
class CustomerLinkAdmin(MerchantScopedAdmin):
    form = CustomerLinkForm
    merchant_user_permissions = frozenset({"view", "change"})
    list_display = ("shopify_customer", "email", "customer_no", "mapped_by", "unmapped_reason", "merchant")
    list_filter = (UnmappedFilter, "merchant", "mapped_by")
    list_select_related = ("merchant",)
    # Also the Shopify customer's first name, last name, full name and email (get_search_results).
    search_fields = ("shopify_gid", "customer_no")
    readonly_fields = ("merchant", "shopify_customer", "shopify_id", "email", "mapped_by", "direction_shown",
                       "unmapped_reason", "mapped_at")
    actions = ("retry_mapping", "create_ledger_customers")

    def has_add_permission(self, request):
        return False

    def get_changelist(self, request, **kwargs):
        return NamedCustomerChangeList

    def get_object(self, request, object_id, from_field=None):
        # The page's title and rows name the buyer: the link again, with its name and email, in one query.
        link = super().get_object(request, object_id, from_field)
        return with_buyers(CustomerLink.objects.filter(pk=link.pk)).select_related("merchant").get()

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        # Which side's changes the other takes means something only once the link is mapped.
        return readonly if obj is None or obj.customer_no else tuple(f for f in readonly if f != "direction_shown")

    def get_search_results(self, request, queryset, search_term):
        """Links whose GID or customer no. matches, or whose Shopify customer's first name, last name,
        full name or email contains every word searched: one EXISTS in the list's query, not a
        query per row."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        words = [unescape_string_literal(word) if word[0] in "\"'" and word[-1] == word[0] else word
                 for word in smart_split(search_term)]
        if not words:
            return found, may_have_duplicates
        buyers = _buyer().annotate(full_name=Concat("first_name", Value(" "), "last_name"))
        for word in words:
            buyers = buyers.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word) |
                                   Q(full_name__icontains=word) | Q(email__icontains=word))
        return found | queryset.filter(Exists(buyers)), may_have_duplicates

    @admin.display(description="Shopify customer")
    def shopify_customer(self, link):
        return link.buyer_name or getattr(link, "customer_email", "") or link.shopify_gid

    @admin.display(description="Shopify customer ID")
    def shopify_id(self, link):
        return link.shopify_gid

    @admin.display(description="email", ordering="customer_email")
    def email(self, link):
        return getattr(link, "customer_email", "") or "—"

    @admin.display(description="direction")
    def direction_shown(self, link):
        return link.get_direction_display() if link.customer_no else "—"

    def save_model(self, request, obj, form, change):
        if "customer_no" in form.changed_data:
            obj.mapped_by = MappedBy.BY_HAND if obj.customer_no else ""
            obj.direction = Direction.NONE
            obj.unmapped_reason = "" if obj.customer_no else "mapping removed by hand"
            obj.mapped_at = timezone.now() if obj.customer_no else None
        super().save_model(request, obj, form, change)

    @admin.action(description="Retry the mapping of the selected customers")
    def retry_mapping(self, request, queryset):
        outcome = actions.retry(queryset)
        counts = outcome.counts
        self.message_user(request, f"{counts.mapped + counts.created} mapped, {len(counts.unmapped)} still unmapped"
                                   f"{_left_alone(outcome.already_mapped)}.",
                          messages.SUCCESS if not counts.unmapped else messages.WARNING)

    @admin.action(description="Create ledger customers from the selected Shopify customers")
    def create_ledger_customers(self, request, queryset):
        outcome = actions.create_from_shopify(queryset)
        self.message_user(request, f"{outcome.counts.created} ledger customers created and mapped"
                                   f"{_left_alone(outcome.already_mapped)}.", messages.SUCCESS)


def _left_alone(already_mapped: int) -> str:
    if not already_mapped:
        return ""
    return f"; {already_mapped} {'was' if already_mapped == 1 else 'were'} already mapped and left as " \
           f"{'it is' if already_mapped == 1 else 'they are'}"
