from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.debug import sensitive_post_parameters

from core.admin_base import MerchantScopedAdmin, tile_list_filter
from core.local_time import in_zone
from core.sentences import as_sentence
from core.shop_card import (
    INLINES,
    LIST_ACTIONS,
    PANELS,
    ShopCardActionFailed,
    ShopCardActionUnavailable,
    action_for,
    rules_for,
    shop_card_actions,
)
from merchants.errors import MerchantError
from merchants.forms import MerchantForm
from merchants.models import Membership, Merchant

SECRET_FIELDS = ("access_token", "api_secret_key")


# The role center's "daily syncs failing" and "daily syncs disabled" tiles link here.
DailySyncStateFilter = tile_list_filter(title="daily sync trouble", parameter_name="daily_sync", choices={
    "failing": ("daily_syncs_failing", "Failing"), "disabled": ("daily_syncs_disabled", "Disabled")})


@admin.register(Merchant)
class MerchantAdmin(MerchantScopedAdmin):
    """The shop card: grouped panels and a row of sync buttons, after Business Central's."""

    form = MerchantForm
    change_form_template = "admin/merchants/merchant/shop_card.html"

    def get_inlines(self, request, obj):
        # The card's tables, registered by the layers that own them (core.shop_card).
        return list(INLINES) if obj is not None else []
    merchant_user_permissions = frozenset({"view", "change"})
    # The API base URL decides where the token is sent: staff set it (merchant users could point it
    # at any address and have the server call it).
    staff_only_fields = ("code", "api_base_url", "allow_background_syncs")
    list_display = ("code", "name", "shop_domain", "time_zone", "shop_currency", "is_enabled",
                    "allow_background_syncs")
    list_filter = ("is_enabled", "allow_background_syncs", "daily_sync_enabled", DailySyncStateFilter)
    search_fields = ("code", "name", "shop_domain")
    readonly_fields = ("disabled_reason", "previous_key_accepted_until", "webhook_subscriptions", "daily_sync_state",
                       "shop_locations", "payouts", "companies", "catalogs", "created_at", "updated_at")
    fieldsets = (
        ("General", {"fields": (
            ("code", "name"), "shop_domain", "api_base_url", "access_token",
            ("api_secret_key", "previous_key_accepted_until"),
            "api_version", ("is_enabled", "disabled_reason"), ("time_zone", "shop_currency"),
        )}),
        ("Background syncs", {"fields": ("allow_background_syncs",)}),
        ("Customers", {"fields": (
            "customer_import", "customer_mapping", "default_customer_no", "auto_create_unknown_customers",
            "customer_template_no", "export_customers_to_shopify",
        )}),
        ("Products", {"fields": ("sync_item_direction", "sku_mapping", "sku_field_separator", "find_mapping_by_barcode",
                                 "auto_create_unknown_items", "item_template_no", "status_for_created_products",
                                 "action_for_removed_items", "sync_item_images")}),
        ("Inventory", {"fields": ("shop_locations",)}),
        ("Order processing", {"fields": (
            "auto_sync_orders", "webhook_subscriptions", "auto_create_sales_documents",
            "create_fulfilled_orders_as_invoices", "use_shopify_order_no", "refund_process",
            "write_document_no_to_shopify", "archive_processed_orders",
        )}),
        ("Shipments", {"fields": ("send_shipping_confirmation",)}),
        ("Payments", {"fields": (
            "posting_mode", "auto_create_accounts", ("auto_create_code_from", "auto_create_code_to"), "payouts",
        )}),
        ("B2B", {"fields": ("company_import", "company_mapping", "default_company_no", "auto_create_unknown_companies",
                            "auto_create_catalog", "catalog_price_list_code", "companies", "catalogs")}),
        ("Daily sync", {"fields": (
            ("daily_sync_enabled", "daily_sync_state"), "daily_sync_hour", "daily_sync_start_date",
        )}),
        ("Record", {"classes": ("collapse",), "fields": ("created_at", "updated_at")}),
    )

    def get_actions(self, request):
        actions = super().get_actions(request)
        for name, function in LIST_ACTIONS.items():   # registered by the layers above (core.shop_card)
            actions[name] = (function, name, function.short_description)
        return actions

    @admin.display(description="webhook subscriptions")
    def webhook_subscriptions(self, merchant: Merchant) -> str:
        deliveries = reverse("admin:shopify_webhookdelivery_changelist") + f"?merchant={merchant.pk}"
        subscribed = ", ".join(merchant.webhook_subscription_ids) or "none"
        return format_html('{} (<a href="{}">deliveries received</a>)', subscribed, deliveries)

    @admin.display(description="locations")
    def shop_locations(self, merchant: Merchant) -> str:
        if merchant.pk is None or "shop_locations" not in PANELS:
            return "Sync inventory imports the shop's locations once the shop is saved"
        return PANELS["shop_locations"].context(merchant)

    @admin.display(description="payouts")
    def payouts(self, merchant: Merchant) -> str:
        if merchant.pk is None or "payouts" not in PANELS:
            return "Sync payments imports the shop's payouts once the shop is saved"
        return PANELS["payouts"].context(merchant)

    @admin.display(description="companies")
    def companies(self, merchant: Merchant) -> str:
        if merchant.pk is None or "companies" not in PANELS:
            return "Sync companies imports the shop's B2B companies once the shop is saved"
        return PANELS["companies"].context(merchant)

    @admin.display(description="catalogs")
    def catalogs(self, merchant: Merchant) -> str:
        if merchant.pk is None or "catalogs" not in PANELS:
            return "Sync catalogs imports the shop's B2B catalogs once the shop is saved"
        return PANELS["catalogs"].context(merchant)

    @admin.display(description="state")
    def daily_sync_state(self, merchant: Merchant) -> str:
        trouble = PANELS["daily_sync_trouble"].context(merchant) if "daily_sync_trouble" in PANELS else ""
        if merchant.daily_sync_enabled:
            return f"on; {trouble}" if trouble else "on"
        if merchant.daily_sync_disabled_reason:
            when = merchant.daily_sync_disabled_at
            state = f"off since {in_zone(when, merchant.time_zone)}: {merchant.daily_sync_disabled_reason}" if when \
                else f"off: {merchant.daily_sync_disabled_reason}"
        else:
            state = "off: turned off on this card"
        return f"{state}; {trouble}" if trouble else state

    @admin.display(description="previous key accepted until")
    def previous_key_accepted_until(self, merchant: Merchant):
        # After the key changes, webhooks Shopify signed with the old one still pass until then.
        until = merchant.previous_api_secret_key_until
        return until if until and until > timezone.now() else "—"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        for name in SECRET_FIELDS:
            if name in form.base_fields:
                stored = bool(obj and getattr(obj, name))
                form.base_fields[name].help_text = (
                    ("A value is stored (encrypted). Leave blank to keep it. " if stored else "None stored yet. ")
                    + Merchant._meta.get_field(name).help_text
                )
        return form

    @method_decorator(sensitive_post_parameters(*SECRET_FIELDS))
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id:
            merchant = self.get_object(request, object_id)
            extra_context["shop_card_actions"] = shop_card_actions()
            extra_context.update({panel.key: panel.context(merchant) for panel in PANELS.values()})
            extra_context["may_start_syncs"] = self.has_change_permission(request, merchant)
            extra_context["title"] = f"Shop card: {merchant.name}"
        response = super().changeform_view(request, object_id, form_url, extra_context)
        saved = getattr(request, "shop_card_saved", None)
        if saved is not None:
            # What calls Shopify runs after the save's transaction, never while it holds the database.
            merchant, changed = saved
            for rule in rules_for(changed):
                said = rule.after_commit(merchant) if rule.after_commit else None
                if said is not None:
                    ok, message = said
                    self.message_user(request, as_sentence(message), messages.SUCCESS if ok else messages.ERROR)
        return response

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = set(form.changed_data)
        initial = form.initial if change else {}
        for rule in rules_for(changed):
            if rule.after_save and change:
                rule.after_save(obj, initial, changed)
        request.shop_card_saved = (obj, changed)   # after_commit rules run once the save committed

    def get_urls(self):
        return [
            path("<path:object_id>/action/", self.admin_site.admin_view(self.shop_card_action_view),
                 name="merchants_merchant_action"),
            *super().get_urls(),
        ]

    def shop_card_action_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        merchant = self.get_object(request, object_id)
        if not self.has_change_permission(request, merchant):
            raise PermissionDenied
        action_slug = request.POST.get("action", "")
        try:
            raw_parameters = None
            action = action_for(action_slug)
            request_page = action.request_page(merchant, request.user)
            if request_page is not None:
                # As in Business Central, a report with filters shows its request page first.
                form = request_page(data=request.POST) if "request_page" in request.POST else request_page()
                if not form.is_bound or not form.is_valid():
                    return self._render_request_page(request, merchant, action_slug, form)
                # form[name].data: a multiple choice keeps every value ticked (form.data[name] only the last).
                raw_parameters = {name: form[name].data for name in form.fields
                                  if form[name].data not in (None, "", [], False)}
            outcome = action.start(merchant=merchant, user=request.user, raw_parameters=raw_parameters)
        except ShopCardActionUnavailable as exc:
            self.message_user(request, as_sentence(exc), messages.WARNING)
        except ShopCardActionFailed as exc:
            self.message_user(request, _with_link(as_sentence(exc), _run_link(exc.run_id)), messages.ERROR)
        except MerchantError as exc:
            self.message_user(request, as_sentence(exc), messages.ERROR)
        else:
            link = _entry_runs_link(outcome.entry_id) if outcome.entry_id else _run_link(outcome.run_id)
            self.message_user(request, _with_link(as_sentence(outcome.message), link), messages.SUCCESS)
            for warning in outcome.warnings:
                self.message_user(request, as_sentence(warning), messages.WARNING)
        return HttpResponseRedirect(reverse("admin:merchants_merchant_change", args=[merchant.pk]))

    def _render_request_page(self, request, merchant, action_slug, form):
        action = action_for(action_slug)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{action.label}: request page",
            "opts": self.opts,
            "original": merchant,
            "action": action,
            "form": form,
            "runs_in_background": merchant.allow_background_syncs,
        }
        return TemplateResponse(request, action.page_template, context)


def _with_link(message: str, link: tuple[str, str] | None):
    if link is None:
        return message
    url, label = link
    return format_html("{} <a href=\"{}\">{}</a>", message, url, label)


def _run_link(run_id: int | None) -> tuple[str, str] | None:
    if run_id is None:
        return None
    return reverse("admin:syncjobs_syncrun_change", args=[run_id]), "See the run."


def _entry_runs_link(entry_id: int) -> tuple[str, str]:
    return f"{reverse('admin:syncjobs_syncrun_changelist')}?entry={entry_id}", "See its run."


@admin.register(Membership)
class MembershipAdmin(MerchantScopedAdmin):
    list_display = ("user", "merchant", "created_at")
    list_filter = ("merchant",)
    list_select_related = ("user", "merchant")
    search_fields = ("user__username", "user__email")
