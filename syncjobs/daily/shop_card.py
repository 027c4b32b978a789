"""What the daily sync adds to the shop card: its calendar, and what its settings do (D5, D6)."""
from __future__ import annotations

from core.shop_card import ShopCardPanel, ShopCardRule, register_panel, register_rule
from syncjobs.daily.calendar import recent_days
from syncjobs.daily.lifecycle import StartDateRefused, apply_daily_sync_settings, check_start_date

SETTINGS = frozenset({"daily_sync_enabled", "daily_sync_start_date"})


def start_date_problems(merchant, cleaned: dict, changed: set[str]) -> dict[str, str]:
    if "daily_sync_start_date" not in changed:
        return {}
    try:
        check_start_date(merchant, cleaned.get("daily_sync_start_date"),
                         time_zone=cleaned.get("time_zone") or merchant.time_zone or "UTC")
    except StartDateRefused as exc:
        return {"daily_sync_start_date": str(exc)}
    return {}


def apply_settings(merchant, initial: dict, changed: set[str]) -> None:
    apply_daily_sync_settings(merchant, was_enabled=initial.get("daily_sync_enabled", True))


def register() -> None:
    register_panel(ShopCardPanel("daily_sync_calendar", recent_days))
    register_rule(ShopCardRule("daily_sync_settings", SETTINGS, check=start_date_problems, after_save=apply_settings))
