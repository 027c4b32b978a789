"""syncsite's admin site. Its index is the role center: activity tiles (A1), the daily-sync calendar
and the latest runs beside them (A2), and warnings about the queue and the shops."""
from __future__ import annotations

from django.contrib import admin

from core.admin_base import MerchantScopedAdmin, StaffOnlyAdminMixin
from core.scoping import merchants_for, scope_to_user
from syncjobs.daily.calendar import daily_sync_troubles, recent_days_of
from syncjobs.queue.health import queue_warnings
from syncjobs.queue.models import JobQueueEntry, SyncRun
from syncsite.role_center import tile_counts

ROLE_CENTER_CALENDARS = 12
ROLE_CENTER_RUNS = 10


class SyncsiteAdminSite(admin.AdminSite):
    site_header = "syncsite"
    site_title = "syncsite"
    index_title = "Role center"

    def index(self, request, extra_context=None):
        merchants = merchants_for(request.user)
        own_entries = scope_to_user(JobQueueEntry.objects.all(), request.user)
        latest_runs = scope_to_user(SyncRun.objects.select_related("merchant"), request.user)
        extra_context = {
            **(extra_context or {}),
            "tiles": tile_counts(request.user),
            "calendars": recent_days_of(merchants, limit=ROLE_CENTER_CALENDARS),
            "calendar_limit": ROLE_CENTER_CALENDARS,
            "latest_runs": latest_runs.order_by("-started_at", "-id")[:ROLE_CENTER_RUNS],
            "disabled_shops": list(merchants.filter(is_enabled=False).only("pk", "code", "disabled_reason")),
            "queue_warnings": queue_warnings(entries=own_entries),
            "daily_sync_troubles": daily_sync_troubles(merchants),
        }
        return super().index(request, extra_context)

    def confine_unscoped_admins(self) -> None:
        """Make every admin that is neither merchant-scoped nor staff-only (django-q2's, auth's)
        staff-only, so a model registered by a library is never open to merchant users."""
        for model, model_admin in list(self._registry.items()):
            if isinstance(model_admin, (MerchantScopedAdmin, StaffOnlyAdminMixin)):
                continue
            admin_class = type(model_admin)
            confined = type(f"StaffOnly{admin_class.__name__}", (StaffOnlyAdminMixin, admin_class),
                            _refusals_kept(admin_class))
            self.unregister(model)
            self.register(model, confined)


PERMISSIONS = ("has_view_permission", "has_add_permission", "has_change_permission", "has_delete_permission")


def _refusals_kept(admin_class: type) -> dict:
    """What a library's admin decides itself (django-q2 allows no adds of tasks) it keeps deciding:
    staff-only narrows it, never widens it (an add page of a task answered 500)."""
    kept = {}
    for name in PERMISSIONS:
        own = getattr(admin_class, name)
        if own is getattr(admin.ModelAdmin, name):
            continue

        def narrowed(self, request, *args, _own=own, _name=name):
            return getattr(StaffOnlyAdminMixin, _name)(self, request, *args) and _own(self, request, *args)

        kept[name] = narrowed
    return kept
