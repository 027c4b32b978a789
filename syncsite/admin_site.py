"""syncsite's admin site. Its index is the role center (activity tiles arrive with their issue)."""
from __future__ import annotations

from django.contrib import admin

from syncsite.admin_base import MerchantScopedAdmin, StaffOnlyAdminMixin


class SyncsiteAdminSite(admin.AdminSite):
    site_header = "syncsite"
    site_title = "syncsite"
    index_title = "Role center"

    def index(self, request, extra_context=None):
        from syncjobs.daily.calendar import daily_sync_troubles
        from syncjobs.health import queue_warnings
        from syncjobs.models import JobQueueEntry
        from syncsite.scoping import merchants_for, scope_to_user

        own_entries = scope_to_user(JobQueueEntry.objects.all(), request.user)
        extra_context = {**(extra_context or {}), "queue_warnings": queue_warnings(entries=own_entries),
                         "daily_sync_troubles": daily_sync_troubles(merchants_for(request.user))}
        return super().index(request, extra_context)

    def confine_unscoped_admins(self) -> None:
        """Make every admin that is neither merchant-scoped nor staff-only (django-q2's, auth's)
        staff-only, so a model registered by a library is never open to merchant users."""
        for model, model_admin in list(self._registry.items()):
            if isinstance(model_admin, (MerchantScopedAdmin, StaffOnlyAdminMixin)):
                continue
            admin_class = type(model_admin)
            confined = type(f"StaffOnly{admin_class.__name__}", (StaffOnlyAdminMixin, admin_class), {})
            self.unregister(model)
            self.register(model, confined)
