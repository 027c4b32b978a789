"""Users: staff manage them, with their merchant memberships beside them."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from core.admin_base import StaffOnlyAdminMixin
from merchants.models import Membership


class MembershipInline(StaffOnlyAdminMixin, admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("merchant", "created_at")
    readonly_fields = ("created_at",)


admin.site.unregister(User)


@admin.register(User)
class SyncsiteUserAdmin(StaffOnlyAdminMixin, UserAdmin):
    inlines = (MembershipInline,)

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Staff who are not superusers manage merchant users; they cannot grant superpowers.
            readonly += ("is_superuser", "user_permissions")
        return readonly
