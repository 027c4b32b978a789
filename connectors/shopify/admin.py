from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.views.main import ChangeList
from django.db import models
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from connectors.shopify.models import (
    ImportState,
    ShopifyBalanceTransaction,
    ShopifyCustomer,
    ShopifyDispute,
    ShopifyOrder,
    ShopifyOrderLine,
    ShopifyPayout,
    ShopifyTransaction,
    WebhookDelivery,
)
from connectors.shopify.states import FinancialStatus, PayoutStatus
from core.admin_base import MerchantScopedAdmin, ReadOnlyInline, tile_list_filter
from core.list_extras import row_actions, row_notes
from core.money import money, money_column
from core.paginators import EstimatedCountPaginator
from core.record_links import related_links
from core.webhook_topics import subscribed_topics


def _in_order_currency(field_name: str, label: str):
    return money_column(field_name, label, currency=None)   # the order's page says its currency


class OrderLineInline(ReadOnlyInline):
    model = ShopifyOrderLine
    fields = ("position", "sku", "name", "quantity", _in_order_currency("unit_price", "unit price"),
              _in_order_currency("discount", "discount"), "is_gift_card")

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class TransactionInline(ReadOnlyInline):
    model = ShopifyTransaction
    fields = ("kind", "status", "gateway", "processed_at", _in_order_currency("amount", "amount"),
              _in_order_currency("fee", "fee"), "refund")

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class FinancialStatusFilter(admin.SimpleListFilter):
    """Shopify's statuses as choices: the default filter would run a DISTINCT over every order."""

    title = "financial status"
    parameter_name = "financial_status"

    def lookups(self, request, model_admin):
        return FinancialStatus.choices

    def queryset(self, request, queryset):
        return queryset.filter(financial_status=self.value()) if self.value() else queryset


# The role center's "unprocessed orders": exactly the rows its tile counts.
AwaitingLedgerFilter = tile_list_filter(title="ledger", parameter_name="awaiting_ledger",
                                        choices={"yes": ("unprocessed_orders", "Awaiting the ledger")})


# An address on the order's page: its parts (the columns after "bill_to_" or "ship_to_"), a row at a time.
ADDRESS_ROWS = (("name",), ("company",), ("address1",), ("address2",), ("zip", "city"),
                ("province_code", "country_code"))


class NotedOrderChangeList(ChangeList):
    """The page's orders with what the sync domains say of them (core.list_extras): the document an
    order became, or why it is not in the books yet; one round of queries for the page."""

    def get_results(self, request):
        super().get_results(request)
        notes = row_notes("shopify order", list(self.result_list))
        for order in self.result_list:
            order.list_note = notes.get(order.pk, "")


@admin.register(ShopifyOrder)
class ShopifyOrderAdmin(MerchantScopedAdmin):
    list_display = ("name", "merchant", "created_at", "financial_status", "amount", "processed", "has_error",
                    "in_the_books")
    list_filter = ("merchant", AwaitingLedgerFilter, "processed", "has_error", FinancialStatusFilter, "is_test")
    list_select_related = ("merchant",)
    search_fields = ("name", "email", "shopify_gid")
    # No date hierarchy: it needs a DISTINCT over every order's date. Lists never count the whole table.
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = EstimatedCountPaginator
    inlines = (OrderLineInline, TransactionInline)
    # The journal links to the orders of its day: a list of orders processed between two instants.
    DAY_LOOKUPS = frozenset({"processed_at__gte", "processed_at__lt"})

    def get_readonly_fields(self, request, obj=None):
        return ["ledger", "customer_in_ledger", "items_in_ledger", *shown_as_money(self.model, exclude=("id",))]

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)

    def get_fieldsets(self, request, obj=None):
        """The order's fields, then its bill-to and ship-to addresses, a section each."""
        addresses = {prefix: [tuple(f"{prefix}_{part}" for part in row) for row in ADDRESS_ROWS]
                     for prefix in ("bill_to", "ship_to")}
        in_addresses = {name for rows in addresses.values() for row in rows for name in row}
        return [
            (None, {"fields": [f for f in self.get_fields(request, obj) if f not in in_addresses]}),
            ("Bill-to address", {"fields": addresses["bill_to"]}),
            ("Ship-to address", {
                "fields": addresses["ship_to"],
                "description": "Blank when nothing on the order is shipped (gift cards, digital goods).",
            }),
        ]

    def lookup_allowed(self, lookup, value, request=None):
        return lookup in self.DAY_LOOKUPS or super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request):
        return False  # orders come from Shopify

    def has_change_permission(self, request, obj=None):
        return False  # Shopify's record, never edited here

    def has_delete_permission(self, request, obj=None):
        # An order a journal took stays: the journal would no longer say what it posted.
        return super().has_delete_permission(request, obj) and not (obj and obj.processed)

    def get_changelist(self, request, **kwargs):
        return NotedOrderChangeList

    @admin.display(description="in the books")
    def in_the_books(self, order: ShopifyOrder) -> str:
        return getattr(order, "list_note", "")

    def get_actions(self, request):
        actions = super().get_actions(request)
        for action in row_actions("shopify order"):
            actions[action.__name__] = (action, action.__name__, action.short_description)
        if "delete_selected" in actions:
            _, name, description = actions["delete_selected"]
            actions["delete_selected"] = (delete_orders_not_posted, name, description)
        return actions

    @admin.display(description="total", ordering="total")
    def amount(self, order: ShopifyOrder) -> str:
        return money(order.total, order.currency)

    @admin.display(description="in the ledger")
    def ledger(self, order: ShopifyOrder):
        links = related_links("shopify order", order)
        if not links:
            return "not posted yet"
        return format_html_join(", ", '<a href="{}">{}</a>', ((link.url, link.text) for link in links))

    @admin.display(description="items in the ledger")
    def items_in_ledger(self, order: ShopifyOrder):
        links = related_links("shopify order items", order)
        shown = format_html_join(mark_safe("<br>"), '<a href="{}">{}</a>', ((link.url, link.text) for link in links))
        return shown or "—"

    @admin.display(description="customer in the ledger")
    def customer_in_ledger(self, order: ShopifyOrder):
        links = related_links("shopify order customer", order)
        return format_html_join(", ", '<a href="{}">{}</a>', ((link.url, link.text) for link in links)) or "—"


def delete_orders_not_posted(modeladmin, request, queryset):
    """Django's "Delete selected", over the selected orders no journal has taken; it says how many
    it kept."""
    taken = queryset.filter(processed=True).count()
    if taken:
        modeladmin.message_user(request, f"{taken} of the selected orders {'is' if taken == 1 else 'are'} in the "
                                "ledger already and cannot be deleted; they were left out.", messages.WARNING)
    rest = queryset.filter(processed=False)
    return delete_selected(modeladmin, request, rest) if rest.exists() else None


def shown_as_money(model, *, exclude=()) -> list:
    """The model's fields for a read-only page, its amounts as money in the row's currency."""
    def shown(field):
        if not (isinstance(field, models.DecimalField) and field.decimal_places == 4):
            return field.name
        # What the customer saw is in the currency they saw it in.
        currency = "presentment_currency" if field.name.endswith("_presentment") else "currency"
        return money_column(field.name, field.verbose_name, currency=currency)

    return [shown(f) for f in model._meta.fields if f.name not in exclude]


@admin.register(ImportState)
class ImportStateAdmin(MerchantScopedAdmin):
    list_display = ("merchant", "kind", "watermark", "bulk_operation_status", "updated_at")
    list_filter = ("merchant", "kind")
    readonly_fields = ("bulk_operation_gid", "bulk_operation_status", "bulk_started_at", "updated_at")
    merchant_user_permissions = frozenset({"view"})

    def has_add_permission(self, request):
        return False  # the first sync creates it


class FromShopifyAdmin(MerchantScopedAdmin):
    """Rows that come from Shopify and grow without end: read-only, and lists that never count the
    whole table."""

    list_select_related = ("merchant",)
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = EstimatedCountPaginator

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ShopifyPayout)
class ShopifyPayoutAdmin(FromShopifyAdmin):
    list_display = ("issued_at", "merchant", "status", money_column("net", "net"), "shopify_gid")
    list_filter = ("merchant", "status")
    # A journal links to the payouts it posted.
    LINKED_LOOKUPS = frozenset({"id__in"})

    def get_readonly_fields(self, request, obj=None):
        return shown_as_money(self.model)

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)

    def lookup_allowed(self, lookup, value, request=None):
        return lookup in self.LINKED_LOOKUPS or super().lookup_allowed(lookup, value, request)


def choices_filter(title: str, field: str, choices) -> type[admin.SimpleListFilter]:
    """A list filter over a text field with Shopify's values as its choices: the default filter
    would run a DISTINCT over every row to find them."""

    def queryset(self, request, queryset):
        return queryset.filter(**{field: self.value()}) if self.value() else queryset

    return type(f"{field.title().replace('_', '')}Filter", (admin.SimpleListFilter,), {
        "title": title, "parameter_name": field, "queryset": queryset,
        "lookups": lambda self, request, model_admin: [(v, in_words(v)) for v in choices],
    })


def in_words(value: str) -> str:
    """One of Shopify's enum values as a person reads it: DISPUTE_WITHDRAWAL → "Dispute withdrawal"."""
    return value.replace("_", " ").capitalize() if value else "—"


def shown_in_words(field: str, description: str):
    return admin.display(description=description, ordering=field)(lambda self, row: in_words(getattr(row, field)))


def order_searched(row) -> str:
    """The order's name, linked to the orders list searching for it (no query per row)."""
    if not row.order_name:
        return "—"
    url = reverse("admin:shopify_shopifyorder_changelist") + "?" + urlencode(
        {"merchant__id__exact": row.merchant_id, "q": row.order_name})
    return format_html('<a href="{}">{}</a>', url, row.order_name)


# The balance transaction types Shopify Payments makes most, and those with a treatment of their
# own in the daily journal; any other type is stored too (and searchable by its name).
BALANCE_TRANSACTION_TYPES = (
    "CHARGE", "REFUND", "REFUND_FAILURE", "DISPUTE_WITHDRAWAL", "DISPUTE_REVERSAL", "CHARGEBACK_FEE",
    "CHARGEBACK_FEE_REFUND", "CHARGEBACK_HOLD", "CHARGEBACK_HOLD_RELEASE", "RESERVED_FUNDS",
    "RESERVED_FUNDS_WITHDRAWAL", "RESERVED_FUNDS_REVERSAL", "ADJUSTMENT", "CHARGE_ADJUSTMENT", "REFUND_ADJUSTMENT",
    "TRANSFER", "TRANSFER_FAILURE", "TRANSFER_CANCEL", "SHIPPING_LABEL", "APPLICATION_FEE_REFUND",
)
# ShopifyPaymentsBalanceTransactionPayoutStatus: the payout's statuses, and two of a payout not made yet.
BALANCE_PAYOUT_STATUSES = (*PayoutStatus.values, "PENDING", "ACTION_REQUIRED")
DISPUTE_STATUSES = ("NEEDS_RESPONSE", "UNDER_REVIEW", "CHARGE_REFUNDED", "ACCEPTED", "WON", "LOST")
DISPUTE_REASONS = ("BANK_CANNOT_PROCESS", "CREDIT_NOT_PROCESSED", "CUSTOMER_INITIATED", "DEBIT_NOT_AUTHORIZED",
                   "DUPLICATE", "FRAUDULENT", "GENERAL", "INCORRECT_ACCOUNT_DETAILS", "INSUFFICIENT_FUNDS",
                   "PRODUCT_NOT_RECEIVED", "PRODUCT_UNACCEPTABLE", "SUBSCRIPTION_CANCELLED", "UNRECOGNIZED")


@admin.register(ShopifyBalanceTransaction)
class ShopifyBalanceTransactionAdmin(FromShopifyAdmin):
    """Every movement on the Shopify Payments balance as Shopify states it, with its payout."""

    list_display = ("transaction_date", "merchant", "type_shown", money_column("amount", "amount"),
                    money_column("fee", "fee"), money_column("net", "net"), "order_shown", "payout_shown",
                    "payout_status_shown", "is_test")
    list_filter = ("merchant", choices_filter("type", "type", BALANCE_TRANSACTION_TYPES),
                   choices_filter("payout status", "payout_status", BALANCE_PAYOUT_STATUSES), "is_test")
    search_fields = ("=payout_gid", "=order_gid", "=order_name", "=shopify_gid", "=source_id", "=type")
    type_shown = shown_in_words("type", "type")
    payout_status_shown = shown_in_words("payout_status", "payout status")
    order_shown = admin.display(description="order", ordering="order_name")(lambda self, row: order_searched(row))

    @admin.display(description="payout", ordering="payout_gid")
    def payout_shown(self, row):
        """The payout's number, linked to it in the payouts list."""
        number = row.payout_gid.rsplit("/", 1)[-1]
        if not number.isdigit():
            return "—"
        url = reverse("admin:shopify_shopifypayout_changelist") + f"?legacy_id={number}"
        return format_html('<a href="{}">{}</a>', url, number)

    def get_readonly_fields(self, request, obj=None):
        return shown_as_money(self.model)

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)

    def get_search_results(self, request, queryset, search_term):
        """A payout or an order is found by its number too (the end of its GID), e.g. 90738922 or 1001."""
        term = search_term.strip()
        if term.isdigit():
            return queryset.filter(
                models.Q(payout_gid=f"gid://shopify/ShopifyPaymentsPayout/{term}")
                | models.Q(order_gid=f"gid://shopify/Order/{term}") | models.Q(order_name=f"#{term}")
                | models.Q(source_id=term)), False
        return super().get_search_results(request, queryset, term)


@admin.register(ShopifyDispute)
class ShopifyDisputeAdmin(FromShopifyAdmin):
    """Shopify Payments disputes with their course; their money is in the balance transactions."""

    list_display = ("initiated_at", "merchant", "order_shown", money_column("amount", "amount"), "status_shown",
                    "type_shown", "reason_shown", "evidence_due_by", "finalized_on")
    list_filter = ("merchant", choices_filter("status", "status", DISPUTE_STATUSES),
                   choices_filter("reason", "reason", DISPUTE_REASONS))
    search_fields = ("=order_name", "=shopify_gid", "=order_gid")
    status_shown = shown_in_words("status", "status")
    type_shown = shown_in_words("type", "type")
    reason_shown = shown_in_words("reason", "reason")
    order_shown = admin.display(description="order", ordering="order_name")(lambda self, row: order_searched(row))

    def get_readonly_fields(self, request, obj=None):
        return shown_as_money(self.model)

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)


@admin.register(ShopifyCustomer)
class ShopifyCustomerAdmin(FromShopifyAdmin):
    """Customers as report 30100 imported them; read-only (Shopify's record), each shop's users
    seeing their own."""

    list_display = ("__str__", "merchant", "email", "phone", "phone_e164", "country_code", "tax_exempt", "state",
                    "shopify_updated_at")
    list_filter = ("merchant", "tax_exempt")   # no filter that needs a DISTINCT over every customer
    search_fields = ("email_normalized", "phone_e164", "last_name", "first_name", "company", "shopify_gid")
    fieldsets = (
        (None, {"fields": ("merchant", "shopify_gid", "legacy_id", "first_name", "last_name", "state", "note",
                           "tags")}),
        ("Contact", {"fields": ("email", "email_normalized", "phone", "phone_e164", "email_marketing_state")}),
        ("Default address", {"fields": ("address_name", "company", "address1", "address2", "zip", "city",
                                        "province_code", "country_code", "address_phone")}),
        ("Tax", {"fields": ("tax_exempt", "tax_exemptions")}),
        ("Times", {"fields": ("created_at", "shopify_updated_at", "imported_at", "updated_at")}),
    )


class TopicFilter(admin.SimpleListFilter):
    """The topics syncsite subscribes to, as choices (the default filter reads every delivery)."""

    title = "topic"
    parameter_name = "topic"

    def lookups(self, request, model_admin):
        return [(topic, topic) for topic in subscribed_topics()]

    def queryset(self, request, queryset):
        return queryset.filter(topic=self.value()) if self.value() else queryset


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(FromShopifyAdmin):
    """What Shopify sent and what syncsite did about it; kept WEBHOOK_DELIVERY_RETENTION_DAYS."""

    list_display = ("received_at", "merchant", "topic", "outcome", "detail", "entry_link")
    list_filter = ("merchant", "outcome", TopicFilter)
    search_fields = ("event_id", "webhook_id", "subject")

    @admin.display(description="job queue entry")
    def entry_link(self, delivery: WebhookDelivery):
        if delivery.entry_id is None:
            return "—"
        url = reverse("admin:syncjobs_jobqueueentry_change", args=[delivery.entry_id])
        return format_html('<a href="{}">{}</a>', url, delivery.entry_id)


import connectors.shopify.admin_companies  # noqa: E402, F401  (registers the B2B companies' pages)
from connectors.shopify import admin_inventory, admin_products  # noqa: E402, F401  (register their lists)
