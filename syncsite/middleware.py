"""Show times in the merchant's own time zone to its users (staff keep UTC: they see many shops)."""
from __future__ import annotations

from django.utils import timezone

from core.scoping import is_syncsite_staff, merchants_for


class MerchantTimeZoneMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        zone = None
        if user is not None and user.is_authenticated and not is_syncsite_staff(user):
            zones = set(merchants_for(user).values_list("time_zone", flat=True)[:2])
            zone = zones.pop() if len(zones) == 1 else None
        if zone:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
