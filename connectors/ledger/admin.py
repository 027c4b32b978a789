from django.contrib import admin

from connectors.ledger.forms import AccountForm
from connectors.ledger.models import Account
from syncsite.admin_base import MerchantScopedAdmin


@admin.register(Account)
class AccountAdmin(MerchantScopedAdmin):
    form = AccountForm
    merchant_user_permissions = frozenset({"view", "add", "change"})
    list_display = ("code", "name", "type", "is_active", "is_auto_created", "merchant")
    list_filter = ("merchant", "type", "is_active")
    list_select_related = ("merchant",)
    search_fields = ("code", "name")
    readonly_fields = ("is_auto_created",)
