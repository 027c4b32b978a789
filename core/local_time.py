"""Times as a person reads them: in a shop's time zone, always with the zone's abbreviation.

Stored times are UTC. A page about one shop shows its times in the shop's zone (the admin activates
it, core.admin_base); a list across shops shows each row in its own shop's zone; text a sync writes
(run messages, emails) uses `in_zone` with the shop's zone. Either way the format is DATETIME_FORMAT
(syncsite/formats), which ends with the zone's abbreviation: "2025-03-11 14:05 CET".
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import formats, timezone

UTC = ZoneInfo("UTC")


def zone_named(name: str | None) -> ZoneInfo:
    """The zone of that IANA name; UTC for a blank or unknown one (the shop card refuses those)."""
    try:
        return ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def in_zone(moment: datetime | None, zone_name: str | None, *, empty: str = "—") -> str:
    """`moment` in the zone, as the admin shows times: "2025-03-11 14:05 CET"."""
    if moment is None:
        return empty
    return formats.date_format(timezone.localtime(moment, zone_named(zone_name)), "DATETIME_FORMAT")


def clock_in_zone(moment: datetime, zone_name: str | None) -> str:
    """Just the time ("14:05 CET") when `moment` is today in the zone, else the date too."""
    local = timezone.localtime(moment, zone_named(zone_name))
    if local.date() != timezone.localtime(timezone.now(), local.tzinfo).date():
        return in_zone(moment, zone_name)
    return formats.date_format(local, "H:i T")
