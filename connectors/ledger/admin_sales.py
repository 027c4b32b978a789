"""The admin pages of sales documents, posted shipments, invoices and credit memos, customer ledger
entries and shipping agents.
Read-only but for the shipping agents and a posted shipment's tracking (Business Central's "Update
document"): 30103 makes the documents and 296/297 post them; a person releases or reopens a
document from the list. Thin: the services are connectors.ledger.sales_* and shipments."""
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Sum
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import formats
from django.utils.html import format_html, format_html_join

from connectors.ledger.forms import DocumentTrackingForm, ShipmentTrackingForm, ShippingAgentForm
from connectors.ledger.models import (
    CustomerLedgerEntry,
    PostedSalesCreditMemo,
    PostedSalesCreditMemoLine,
    PostedSalesInvoice,
    PostedSalesInvoiceLine,
    PostedSalesShipment,
    PostedSalesShipmentLine,
    SalesDocument,
    SalesDocumentType,
    SalesLine,
    ShippingAgent,
)
from connectors.ledger.models.sales import CustomerLedgerApplication, WaitingCustomerPayment
from connectors.ledger.sales_documents import release_documents, reopen_documents
from connectors.ledger.sales_selectors import POSTED_CREDIT_MEMO, POSTED_INVOICE, POSTED_SHIPMENT
from connectors.ledger.shipments import (
    shipping_agents,
    tracking_url,
    update_document_tracking,
    update_shipment_tracking,
)
from core.admin_base import MerchantScopedAdmin, ReadOnlyInline, ReadOnlyScopedAdmin
from core.money import CENT, money, money_column
from core.sentences import counted

SHIP_TO = ("ship_to_name", "ship_to_address", "ship_to_address_2", "ship_to_post_code", "ship_to_city",
           "ship_to_county", "ship_to_country")
SHOPIFY = ("shopify_order_no", "shopify_order_id", "external_document_no")
TRACKING = ("shipping_agent", "package_tracking_no")
PRICED_LINE = ("line_no_shown", "type", "number", "variant_code", "description", "quantity_shown",
               "unit_price_shown", money_column("line_discount", "line discount", currency=None),
               money_column("invoice_discount", "invoice discount", currency=None),
               money_column("amount", "amount", currency=None), money_column("tax_amount", "tax amount", currency=None),
               money_column("amount_including_tax", "amount incl. tax", currency=None), "taxes_shown")


def quantity(value: Decimal) -> str:
    """"2", "1.5", "1,000": a quantity without the trailing zeros of its five decimal places."""
    return formats.number_format(value.normalize(), force_grouping=True)


class LineNumbers:
    """A line's no. as Business Central shows it (10000, not 10,000), its quantity without trailing
    zeros. A priced line's amounts show with two decimals; the page names the currency once."""

    @admin.display(description="line no.")
    def line_no_shown(self, line) -> str:
        return str(line.line_no)

    @admin.display(description="quantity")
    def quantity_shown(self, line) -> str:
        return quantity(line.quantity)


class PricedLineInline(LineNumbers, ReadOnlyInline):
    fields = readonly_fields = PRICED_LINE

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    @admin.display(description="unit price")
    def unit_price_shown(self, line) -> str:
        """Two decimals, or as many as a price of fractions of a cent has (up to five)."""
        price = line.unit_price
        return money(price) if price == price.quantize(CENT) else quantity(price)

    @admin.display(description="taxes")
    def taxes_shown(self, line) -> str:
        return ", ".join(f"{t['key']} ({float(t['rate']) * 100:g} %): {t['amount']}" for t in line.taxes) or "—"


class SalesLineInline(PricedLineInline):
    model = SalesLine


class PostedSalesInvoiceLineInline(PricedLineInline):
    model = PostedSalesInvoiceLine


class PostedSalesCreditMemoLineInline(PricedLineInline):
    model = PostedSalesCreditMemoLine


class PostedSalesShipmentLineInline(LineNumbers, ReadOnlyInline):
    model = PostedSalesShipmentLine
    fields = ("line_no_shown", "type", "number", "variant_code", "description", "quantity_shown", "shopify_line_id")

    def get_readonly_fields(self, request, obj=None):
        return self.fields


@admin.register(SalesDocument)
class SalesDocumentAdmin(ReadOnlyScopedAdmin):
    """Documents are made by Process orders and changed only by it, but for their shipping agent and
    package tracking no., which a person enters before the goods ship (the shipment takes them)."""

    merchant_user_permissions = frozenset({"view", "change", "release"})
    form = DocumentTrackingForm
    list_display = ("number", "type", "sell_to", "shopify_order_no", "document_date", "status", "is_shipped",
                    "total", "merchant")
    list_filter = ("type", "status", "merchant")
    list_select_related = ("merchant", "sell_to")
    search_fields = ("number", "shopify_order_no")
    actions = ("release", "reopen")
    inlines = (SalesLineInline,)
    readonly_fields = ("total", "total_amount", "total_tax", "total_invoice_discount")
    fieldsets = (
        (None, {"fields": ("merchant", "type", "number", "status", "sell_to", "bill_to", "document_date",
                           "currency", "prices_include_tax")}),
        ("Totals", {"fields": ("total_amount", "total_tax", "total", "total_invoice_discount")}),
        ("Ship-to", {"fields": SHIP_TO}),
        ("Shopify", {"fields": SHOPIFY}),
        ("Shipping", {"fields": ("location", "shipped_shipment_no", *TRACKING, "created_at")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(total_including_tax=Sum("lines__amount_including_tax"))

    def has_change_permission(self, request, obj=None):
        return self._may(request, "change")

    def get_readonly_fields(self, request, obj=None):
        return tuple(f for f in flatten_fieldsets(self.fieldsets) if f not in TRACKING)

    def save_model(self, request, obj, form, change):
        update_document_tracking(document=obj, shipping_agent=form.cleaned_data["shipping_agent"],
                                 package_tracking_no=form.cleaned_data["package_tracking_no"])

    def get_object(self, request, object_id, from_field=None):
        """The page's document with its lines' totals (amount incl. tax comes annotated by get_queryset)."""
        document = super().get_object(request, object_id, from_field)
        if document is not None:
            document.totals = SalesLine.objects.filter(document=document).aggregate(
                amount=Sum("amount"), tax=Sum("tax_amount"), invoice_discount=Sum("invoice_discount"))
        return document

    @admin.display(description="amount incl. tax", ordering="total_including_tax")
    def total(self, document: SalesDocument) -> str:
        return money(document.total_including_tax or 0, document.currency)

    @admin.display(description="amount")
    def total_amount(self, document: SalesDocument) -> str:
        return money(document.totals["amount"] or 0, document.currency)

    @admin.display(description="tax")
    def total_tax(self, document: SalesDocument) -> str:
        return money(document.totals["tax"] or 0, document.currency)

    @admin.display(description="invoice discount")
    def total_invoice_discount(self, document: SalesDocument) -> str:
        return money(document.totals["invoice_discount"] or 0, document.currency)

    @admin.display(description="shipped", boolean=True, ordering="shipped_shipment_no")
    def is_shipped(self, document: SalesDocument) -> bool:
        return bool(document.shipped_shipment_no)

    def has_release_permission(self, request) -> bool:
        return self._may(request, "release")

    @admin.action(description="Release the selected documents", permissions=["release"])
    def release(self, request, queryset):
        done, already = release_documents(documents=_unannotated(queryset))
        self._say(request, done, "released", already=already, why="released already")

    @admin.action(description="Reopen the selected documents", permissions=["release"])
    def reopen(self, request, queryset):
        done, already = reopen_documents(documents=_unannotated(queryset))
        self._say(request, done, "reopened", already=already, why="open already")

    def _say(self, request, done: int, verb: str, *, already: int, why: str) -> None:
        """"2 documents released; 7 were released already.": what the action did and what it left alone."""
        left = f"; {counted(already, 'was', 'were')} {why}" if already else ""
        self.message_user(request, f"{counted(done, 'document')} {verb}{left}.",
                          messages.SUCCESS if done else messages.WARNING)

    def get_urls(self):
        return [path("open/<str:kind>/<path:number>/", self.admin_site.admin_view(self.open_view),
                     name="ledger_salesdocument_open"), *super().get_urls()]

    def open_view(self, request, kind: str, number: str):
        """A document by kind and number (the target's document_url): its page when the person's shops
        hold one of that number, else the list of them."""
        model = {POSTED_SHIPMENT: PostedSalesShipment, POSTED_INVOICE: PostedSalesInvoice,
                 POSTED_CREDIT_MEMO: PostedSalesCreditMemo}.get(kind, SalesDocument)
        if model is SalesDocument and kind not in SalesDocumentType.values:
            raise Http404(f"no kind of document {kind}")
        model_admin = self.admin_site._registry[model]
        if not model_admin.has_view_permission(request):
            raise PermissionDenied
        query = {"number": number, **({"type": kind} if model is SalesDocument else {})}
        found = list(model_admin.get_queryset(request).filter(**query).values_list("pk", flat=True)[:2])
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        if len(found) == 1:
            return redirect(reverse(f"{info}_change", args=[found[0]]))
        return redirect(f"{reverse(f'{info}_changelist')}?{urlencode(query)}")


def _unannotated(queryset):
    """The chosen documents without the list's total, which an update cannot carry."""
    return SalesDocument.objects.filter(pk__in=list(queryset.values_list("pk", flat=True)))


AMOUNT = money_column("amount", "amount")
AMOUNT_INCLUDING_TAX = money_column("amount_including_tax", "amount incl. tax")


class PostedAdmin(ReadOnlyScopedAdmin):
    list_filter = ("merchant", "posting_date")
    list_select_related = ("merchant", "sell_to")
    search_fields = ("number", "order_no", "shopify_order_no")


@admin.register(PostedSalesShipment)
class PostedSalesShipmentAdmin(PostedAdmin):
    """A posted shipment is kept as posted, but for its shipping agent and package tracking no.: the
    parcel's number often comes after the goods left (Business Central's "Update document")."""

    merchant_user_permissions = frozenset({"view", "change"})
    form = ShipmentTrackingForm
    list_display = ("number", "order_no", "sell_to", "shopify_order_no", "posting_date", "location",
                    "package_tracking_no", "merchant")
    search_fields = (*PostedAdmin.search_fields, "package_tracking_no")
    inlines = (PostedSalesShipmentLineInline,)
    fieldsets = (
        (None, {"fields": ("merchant", "number", "order_no", "posting_date", "document_date", "sell_to", "bill_to",
                           "location", "currency")}),
        ("Tracking", {"fields": (*TRACKING, "tracking_link")}),
        ("Ship-to", {"fields": SHIP_TO}),
        ("Shopify", {"fields": SHOPIFY}),
    )

    def has_change_permission(self, request, obj=None):
        return self._may(request, "change")

    def get_readonly_fields(self, request, obj=None):
        return tuple(f for f in flatten_fieldsets(self.fieldsets) if f not in TRACKING)

    @admin.display(description="tracking URL")
    def tracking_link(self, shipment: PostedSalesShipment):
        agent = shipping_agents(shipment.merchant_id, [shipment.shipping_agent]).get(shipment.shipping_agent)
        url = tracking_url(agent, shipment.package_tracking_no)
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', url, url) if url else "—"

    def save_model(self, request, obj, form, change):
        update_shipment_tracking(shipment=obj, shipping_agent=form.cleaned_data["shipping_agent"],
                                 package_tracking_no=form.cleaned_data["package_tracking_no"])


class JournalLink:
    @admin.display(description="G/L journal")
    def journal_link(self, posted):
        if posted.journal_id is None:
            return "— (nothing to post)"
        return format_html('<a href="{}">{}</a>', reverse("admin:ledger_journalentry_change",
                                                          args=[posted.journal_id]), posted.journal)


@admin.register(PostedSalesInvoice)
class PostedSalesInvoiceAdmin(JournalLink, PostedAdmin):
    list_display = ("number", "order_no", "sell_to", "shopify_order_no", "posting_date", AMOUNT, AMOUNT_INCLUDING_TAX,
                    "merchant")
    inlines = (PostedSalesInvoiceLineInline,)
    readonly_fields = ("journal_link", AMOUNT, AMOUNT_INCLUDING_TAX)
    fieldsets = (
        (None, {"fields": ("merchant", "number", "order_no", "posting_date", "document_date", "sell_to", "bill_to",
                           "currency", "prices_include_tax", AMOUNT, AMOUNT_INCLUDING_TAX, "journal_link")}),
        ("Ship-to", {"fields": SHIP_TO}),
        ("Shopify", {"fields": SHOPIFY}),
    )


@admin.register(PostedSalesCreditMemo)
class PostedSalesCreditMemoAdmin(JournalLink, PostedAdmin):
    list_display = ("number", "source_no", "sell_to", "shopify_order_no", "posting_date", AMOUNT,
                    AMOUNT_INCLUDING_TAX, "merchant")
    search_fields = ("number", "source_no", "shopify_order_no")
    inlines = (PostedSalesCreditMemoLineInline,)
    readonly_fields = ("journal_link", AMOUNT, AMOUNT_INCLUDING_TAX)
    fieldsets = (
        (None, {"fields": ("merchant", "number", "source_type", "source_no", "posting_date", "document_date",
                           "sell_to", "bill_to", "location", "currency", "prices_include_tax", AMOUNT,
                           AMOUNT_INCLUDING_TAX, "journal_link")}),
        ("Ship-to", {"fields": SHIP_TO}),
        ("Shopify", {"fields": SHOPIFY}),
    )


@admin.register(CustomerLedgerEntry)
class CustomerLedgerEntryAdmin(ReadOnlyScopedAdmin):
    """What each customer owes, entry by entry, and which entries each one is applied to (an invoice
    to its payments, a payment to its invoices)."""

    list_display = ("posting_date", "customer", "document_type", "document_no", "description",
                    money_column("amount", "amount incl. tax"), money_column("remaining_amount", "remaining amount"),
                    "open", "applied_to_shown", "shopify_order_no", "merchant")
    list_filter = ("merchant", "open", "document_type")
    list_select_related = ("merchant", "customer")
    search_fields = ("document_no", "shopify_order_no", "customer__number", "customer__name")
    readonly_fields = ("applied_to_shown",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(
            Prefetch("applied_payments", queryset=CustomerLedgerApplication.objects.select_related("paid_entry")),
            Prefetch("applied_to", queryset=CustomerLedgerApplication.objects.select_related("owed_entry")))

    @admin.display(description="applied to")
    def applied_to_shown(self, entry):
        """The entries of the other side it is applied to, each with the amount applied, oldest first."""
        applied = sorted([(a.posting_date, a.pk, a.paid_entry, a.amount) for a in entry.applied_payments.all()]
                         + [(a.posting_date, a.pk, a.owed_entry, a.amount) for a in entry.applied_to.all()],
                         key=lambda row: (row[0], row[1]))
        if not applied:
            return "—"
        return format_html_join("; ", '<a href="{}">{}</a>: {}', (
            (reverse("admin:ledger_customerledgerentry_change", args=[other.pk]), other, money(amount, entry.currency))
            for _, _, other, amount in applied))


@admin.register(WaitingCustomerPayment)
class WaitingCustomerPaymentAdmin(ReadOnlyScopedAdmin):
    """Payments the daily payments journal took into receivables for orders the books cannot yet name
    a customer for: each is entered on the customer of its order's invoice when that is posted."""

    list_display = ("posting_date", "shopify_order_no", money_column("amount", "amount"), "document_no",
                    "description", "merchant")
    list_filter = ("merchant",)
    list_select_related = ("merchant",)
    search_fields = ("shopify_order_no", "document_no")


@admin.register(ShippingAgent)
class ShippingAgentAdmin(MerchantScopedAdmin):
    form = ShippingAgentForm
    merchant_user_permissions = frozenset({"view", "add", "change"})
    list_display = ("code", "name", "tracking_company", "internet_address", "merchant")
    list_filter = ("merchant",)
    list_select_related = ("merchant",)
    search_fields = ("code", "name", "tracking_company")

    def get_readonly_fields(self, request, obj=None):
        """Documents name an agent by its code: once it exists, its code and shop stay."""
        readonly = tuple(super().get_readonly_fields(request, obj))
        return (*readonly, *(f for f in ("merchant", "code") if f not in readonly)) if obj else readonly
