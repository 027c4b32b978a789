"""Company links: which ledger customer each Shopify company location is. The "Unmapped companies"
tile lists exactly the links without one; a link is mapped by hand here, or by mapping it again, or
by creating the ledger customer from the company location."""
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.db.models import Exists, OuterRef, Subquery
from django.utils.text import smart_split, unescape_string_literal

from connectors.shopify.models import ShopifyCompany, ShopifyCompanyLocation
from core.admin_base import MerchantScopedAdmin, tile_list_filter
from core.sentences import counted
from syncjobs.companies import actions
from syncjobs.companies.models import CompanyLink
from syncjobs.customers.forms import LedgerCustomerLinkForm


def _company():
    return ShopifyCompany.objects.filter(merchant=OuterRef("merchant"), shopify_gid=OuterRef("company_gid"))


def _location():
    return ShopifyCompanyLocation.objects.filter(merchant=OuterRef("merchant"),
                                                 shopify_gid=OuterRef("company_location_gid"))


def with_names(links):
    """The links with their company's and location's names, and what mapping compares (the main
    contact's email and phone, the location's tax registration ID): subqueries of the list's one
    query."""
    return links.annotate(company_name=Subquery(_company().values("name")[:1]),
                          location_name=Subquery(_location().values("name")[:1]),
                          contact_email=Subquery(_company().values("main_contact_email")[:1]),
                          contact_phone=Subquery(_company().values("main_contact_phone")[:1]),
                          tax_id=Subquery(_location().values("tax_registration_id")[:1]))


class NamedCompanyChangeList(ChangeList):
    """The list's rows with their company's and location's names, joined once the filters are
    applied (annotating earlier would ride into the tile filter's combined query)."""

    def get_queryset(self, request, exclude_parameters=None):
        return with_names(super().get_queryset(request, exclude_parameters))


UnmappedFilter = tile_list_filter(title="mapping", parameter_name="unmapped",
                                  choices={"yes": ("unmapped_companies", "Unmapped")})


class CompanyLinkForm(LedgerCustomerLinkForm):
    class Meta:
        model = CompanyLink
        fields = ["customer_no"]


@admin.register(CompanyLink)
class CompanyLinkAdmin(MerchantScopedAdmin):
    form = CompanyLinkForm
    merchant_user_permissions = frozenset({"view", "change"})
    list_display = ("company", "location", "customer_no", "mapped_by", "unmapped_reason", "merchant")
    list_filter = (UnmappedFilter, "merchant", "mapped_by")
    list_select_related = ("merchant",)
    # Also the company's name (get_search_results).
    search_fields = ("company_location_gid", "company_gid", "customer_no")
    readonly_fields = ("merchant", "company", "location", "company_gid", "company_location_gid", "main_contact",
                       "tax_registration_id", "mapped_by", "direction_shown", "unmapped_reason", "mapped_at")
    actions = ("map_again", "create_ledger_customers")

    def has_add_permission(self, request):
        return False

    def get_changelist(self, request, **kwargs):
        return NamedCompanyChangeList

    def get_object(self, request, object_id, from_field=None):
        # The page names the company and location: the link again, with its names, in one query.
        link = super().get_object(request, object_id, from_field)
        if link is None:
            return None
        return with_names(CompanyLink.objects.filter(pk=link.pk)).select_related("merchant").get()

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        # Which side's changes the other takes means something only once the link is mapped.
        return readonly if obj is None or obj.customer_no else tuple(f for f in readonly if f != "direction_shown")

    def get_search_results(self, request, queryset, search_term):
        """Links whose GIDs or customer no. match, or whose company's name contains every word
        searched: one EXISTS in the list's query, not a query per row."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        words = [unescape_string_literal(word) if word[0] in "\"'" and word[-1] == word[0] else word
                 for word in smart_split(search_term)]
        if not words:
            return found, may_have_duplicates
        companies = _company()
        for word in words:
            companies = companies.filter(name__icontains=word)
        return found | queryset.filter(Exists(companies)), may_have_duplicates

    @admin.display(description="company", ordering="company_name")
    def company(self, link):
        return getattr(link, "company_name", None) or link.company_gid or "—"

    @admin.display(description="location", ordering="location_name")
    def location(self, link):
        return getattr(link, "location_name", None) or link.company_location_gid

    @admin.display(description="main contact")
    def main_contact(self, link):
        return " / ".join(v for v in (getattr(link, "contact_email", ""), getattr(link, "contact_phone", "")) if v) \
            or "—"

    @admin.display(description="tax registration ID")
    def tax_registration_id(self, link):
        return getattr(link, "tax_id", None) or "—"

    @admin.display(description="direction")
    def direction_shown(self, link):
        return link.get_direction_display() if link.customer_no else "—"

    def save_model(self, request, obj, form, change):
        if "customer_no" in form.changed_data:
            actions.mapped_by_hand(obj)
        super().save_model(request, obj, form, change)

    @admin.action(description="Map again the selected company locations")
    def map_again(self, request, queryset):
        outcome = actions.map_again(queryset)
        counts = outcome.counts
        self.message_user(request, f"{counts.mapped + counts.created} mapped, {len(counts.unmapped)} still unmapped"
                                   f"{_left_alone(outcome)}.",
                          messages.SUCCESS if not counts.unmapped and not outcome.gone else messages.WARNING)

    @admin.action(description="Create ledger customers from the selected Shopify company locations")
    def create_ledger_customers(self, request, queryset):
        outcome = actions.create_from_shopify(queryset)
        self.message_user(request, f"{counted(outcome.counts.created, 'ledger customer')} created and mapped"
                                   f"{_left_alone(outcome)}.",
                          messages.SUCCESS if not outcome.gone else messages.WARNING)


def _left_alone(outcome: actions.Outcome) -> str:
    said = ""
    if outcome.already_mapped:
        n = outcome.already_mapped
        said += f"; {n} {'was' if n == 1 else 'were'} already mapped and left as {'it is' if n == 1 else 'they are'}"
    if outcome.gone:
        said += f"; {outcome.gone} no longer in Shopify"
    return said
