"""Catalogs: each B2B catalog of a shop (imported by Sync catalogs), whether Sync catalog prices sets
its prices from the ledger and from which price list, and how its last price sync went. A person
marks the catalogs to price, in the list or on the page; the page also shows the Shopify catalog as
last read and the company locations it is for, with their ledger customers."""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.db.models import Count
from django.utils.html import format_html, format_html_join

from connectors.ledger.target import target_for
from connectors.shopify.models import CatalogKind, ShopifyCatalog, ShopifyCatalogPrice, ShopifyCompanyLocation
from core.admin_base import MerchantScopedAdmin
from core.local_time import in_zone
from core.sentences import as_sentence, counted
from syncjobs.catalogs import actions
from syncjobs.catalogs.models import CatalogLink
from syncjobs.catalogs.pricing import price_list_problem
from syncjobs.companies.selectors import customers_of_locations

NAMED_AT_MOST = 3     # company locations a list row names


def attach_catalogs(links) -> None:
    """Each link with its Shopify catalog (`shopify_catalog`, None when not imported) and the number of
    fixed prices syncsite knows it holds: two queries for a page of links."""
    links = list(links)
    gids = {link.catalog_gid for link in links}
    catalogs = {(c.merchant_id, c.shopify_gid): c for c in ShopifyCatalog.objects.filter(
        merchant_id__in={link.merchant_id for link in links}, shopify_gid__in=gids)}
    held = dict(ShopifyCatalogPrice.objects.filter(catalog__in=list(catalogs.values())).values("catalog_id")
                .annotate(n=Count("pk")).values_list("catalog_id", "n"))
    for link in links:
        link.shopify_catalog = catalogs.get((link.merchant_id, link.catalog_gid))
        link.held_prices = held.get(link.shopify_catalog.pk, 0) if link.shopify_catalog else 0


def catalog_of(link: CatalogLink) -> ShopifyCatalog | None:
    if not hasattr(link, "shopify_catalog"):
        attach_catalogs([link])
    return link.shopify_catalog


class CatalogChangeList(ChangeList):
    """The page's rows with their Shopify catalogs and the names of the company locations they are
    for, read once for the page (not a query per row)."""

    def get_results(self, request):
        super().get_results(request)
        attach_catalogs(self.result_list)
        location_gids: dict[int, set[str]] = {}      # per shop: a GID names a location within its shop only
        for link in self.result_list:
            if link.shopify_catalog:
                location_gids.setdefault(link.merchant_id, set()).update(
                    link.shopify_catalog.company_location_gids[:NAMED_AT_MOST])
        names = {merchant_id: _location_names(merchant_id, gids) for merchant_id, gids in location_gids.items()}
        for link in self.result_list:
            link.location_names = names.get(link.merchant_id, {})


def _location_names(merchant_id: int, gids) -> dict[str, str]:
    """"Company — location" of each of the shop's company location GIDs. One query."""
    rows = ShopifyCompanyLocation.objects.filter(merchant_id=merchant_id, shopify_gid__in=set(gids)).values_list(
        "shopify_gid", "company__name", "name")
    return {gid: f"{company} — {name}" if name else company for gid, company, name in rows}


class CatalogLinkForm(forms.ModelForm):
    class Meta:
        model = CatalogLink
        fields = ["sync_prices", "price_list_code"]

    def clean_price_list_code(self):
        code = self.cleaned_data["price_list_code"].strip()
        catalog = catalog_of(self.instance)
        if code and catalog is not None:
            merchant = self.instance.merchant
            problem = price_list_problem(merchant, catalog=catalog, code=code, target=target_for(merchant))
            if problem:
                raise forms.ValidationError(as_sentence(problem))
        return code

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sync_prices") and "sync_prices" in self.changed_data:
            catalog = catalog_of(self.instance)
            if catalog is None:
                self.add_error("sync_prices", "The catalog is not imported; run Sync catalogs first.")
            elif catalog.removed_at is not None:
                self.add_error("sync_prices", "The catalog is no longer in Shopify; there is nothing to price.")
            elif not catalog.price_list_gid:
                self.add_error("sync_prices", "The catalog has no price list in Shopify to hold its prices; give it "
                                              "one in Shopify, then run Sync catalogs.")
        return cleaned


@admin.register(CatalogLink)
class CatalogLinkAdmin(MerchantScopedAdmin):
    form = CatalogLinkForm
    merchant_user_permissions = frozenset({"view", "change"})
    list_display = ("title_shown", "kind", "offered_to", "currency", "price_list_shown", "sync_prices",
                    "fixed_prices", "last_price_sync", "prices_sent", "failure", "merchant")
    list_display_links = ("title_shown",)
    list_editable = ("sync_prices",)
    list_filter = ("merchant", "sync_prices")
    list_select_related = ("merchant",)
    search_fields = ("title", "catalog_gid", "price_list_code")
    actions = ("turn_price_sync_on", "turn_price_sync_off")
    fieldsets = (
        (None, {"fields": ("merchant", "title", "sync_prices", "price_list_code")}),
        ("Shopify catalog", {"fields": ("catalog_gid", "kind", "status", "currency", "shopify_price_list",
                                        "fixed_prices", "products_offered", "offered_to", "removed")}),
        ("Company locations", {"fields": ("company_locations",)}),
        ("Last price sync", {"fields": ("last_price_sync", "prices_sent", "failure", "customer_no")}),
    )
    readonly_fields = ("merchant", "title", "catalog_gid", "kind", "status", "currency", "shopify_price_list",
                       "fixed_prices", "products_offered", "offered_to", "removed", "company_locations",
                       "last_price_sync", "prices_sent", "failure", "customer_no")

    def has_add_permission(self, request):
        return False    # a catalog comes from Shopify (Sync catalogs), or is made for a company

    def has_delete_permission(self, request, obj=None):
        return False    # the next Sync catalogs would link it again

    def get_changelist(self, request, **kwargs):
        return CatalogChangeList

    def get_changelist_form(self, request, **kwargs):
        return CatalogLinkForm    # the list's tick is checked as the page's is

    @admin.display(description="title", ordering="title")
    def title_shown(self, link: CatalogLink) -> str:
        return link.title or link.catalog_gid

    @admin.display(description="type")
    def kind(self, link: CatalogLink) -> str:
        catalog = catalog_of(link)
        return catalog.get_kind_display() if catalog else "not imported"

    @admin.display(description="status")
    def status(self, link: CatalogLink) -> str:
        catalog = catalog_of(link)
        return catalog.status.capitalize() if catalog and catalog.status else "—"

    @admin.display(description="for")
    def offered_to(self, link: CatalogLink) -> str:
        catalog = catalog_of(link)
        if catalog is None:
            return "—"
        if catalog.kind == CatalogKind.MARKET:
            return ", ".join(catalog.market_names) or "—"
        gids = catalog.company_location_gids
        names = getattr(link, "location_names", None)
        if names is None:
            names = _location_names(link.merchant_id, gids[:NAMED_AT_MOST])
        said = ", ".join(names.get(gid, gid) for gid in gids[:NAMED_AT_MOST])
        more = len(gids) - NAMED_AT_MOST
        return f"{said} and {more} more" if more > 0 else said or "no company location"

    @admin.display(description="currency")
    def currency(self, link: CatalogLink) -> str:
        catalog = catalog_of(link)
        return catalog.currency if catalog and catalog.currency else "—"

    @admin.display(description="price list", ordering="price_list_code")
    def price_list_shown(self, link: CatalogLink) -> str:
        return link.price_list_code or "its customer's, else the shop card's"

    @admin.display(description="Shopify price list")
    def shopify_price_list(self, link: CatalogLink) -> str:
        catalog = catalog_of(link)
        if catalog is None or not catalog.price_list_gid:
            return "none (the catalog shows the shop's prices)"
        adjustment = ""
        if catalog.adjustment_type and catalog.adjustment_value is not None:
            way = "less" if catalog.adjustment_type.endswith("DECREASE") else "more"
            adjustment = f"; other variants {catalog.adjustment_value.normalize():f} % {way} than the shop's prices"
        return f"{catalog.price_list_name} ({catalog.currency}){adjustment}"

    @admin.display(description="fixed prices")
    def fixed_prices(self, link: CatalogLink) -> str:
        catalog = catalog_of(link)
        if catalog is None:
            return "—"
        if catalog.prices_read_at is None:
            return f"{catalog.fixed_prices_count} (as Shopify last counted them)"
        return str(link.held_prices)

    @admin.display(description="products")
    def products_offered(self, link: CatalogLink) -> str:
        catalog = catalog_of(link)
        if catalog is None:
            return "—"
        return "every product" if catalog.product_gids is None else counted(len(catalog.product_gids), "product")

    @admin.display(description="removed from Shopify")
    def removed(self, link: CatalogLink) -> str:
        catalog = catalog_of(link)
        if catalog is None or catalog.removed_at is None:
            return "no"
        return in_zone(catalog.removed_at, link.merchant.time_zone)

    @admin.display(description="company locations and their ledger customers")
    def company_locations(self, link: CatalogLink) -> str:
        catalog = catalog_of(link)
        if catalog is None or not catalog.company_location_gids:
            return "—"
        gids = catalog.company_location_gids
        names = _location_names(link.merchant_id, gids)
        customers = customers_of_locations(link.merchant, gids)
        return format_html("<table><thead><tr><th>company location</th><th>ledger customer</th></tr></thead>"
                           "<tbody>{}</tbody></table>",
                           format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", (
                               (names.get(gid, f"{gid} (not imported)"), customers.get(gid) or "not mapped")
                               for gid in gids)))

    @admin.display(description="last price sync", ordering="prices_synced_at")
    def last_price_sync(self, link: CatalogLink) -> str:
        return in_zone(link.prices_synced_at, link.merchant.time_zone, empty="never")

    @admin.action(description="Sync prices: on (set the selected catalogs' prices from the ledger)")
    def turn_price_sync_on(self, request, queryset):
        marks = actions.set_price_sync(queryset, on=True)
        self.message_user(request, f"{counted(marks.changed, 'catalog')} marked for price sync.", messages.SUCCESS)
        if marks.not_priceable:
            self.message_user(request, "Left as they are, with no price list in Shopify to hold prices (or no longer "
                                       f"in Shopify): {', '.join(marks.not_priceable)}.", messages.WARNING)

    @admin.action(description="Sync prices: off (leave the selected catalogs' prices to Shopify)")
    def turn_price_sync_off(self, request, queryset):
        marks = actions.set_price_sync(queryset, on=False)
        self.message_user(request, f"{counted(marks.changed, 'catalog')} no longer priced from the ledger.",
                          messages.SUCCESS)
