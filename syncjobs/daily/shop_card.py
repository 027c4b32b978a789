"""What the daily sync adds to the shop card: its calendar, what its settings do (D5, D6), and the
"Set up accounts" button (M2)."""
from __future__ import annotations

from functools import partial

from connectors.ledger.account_setup import SetupRefused
from connectors.ledger.chart_templates import CHART_TEMPLATES
from core.local_time import in_zone
from core.shop_card import (
    ShopCardAction,
    ShopCardActionFailed,
    ShopCardOutcome,
    ShopCardPanel,
    ShopCardRule,
    register_action,
    register_panel,
    register_rule,
)
from syncjobs.daily.account_setup import preview_setup, set_up_accounts
from syncjobs.daily.calendar import failing_days, recent_days
from syncjobs.daily.forms import SetUpAccountsForm
from syncjobs.daily.lifecycle import StartDateRefused, apply_daily_sync_settings, check_start_date
from syncjobs.queue.dispatch import RECURRING
from syncjobs.queue.models import EntryStatus, JobQueueEntry

SET_UP_ACCOUNTS_POSITION = 950   # after the syncs, before Test connection
DAILY_SALES_REPORT = 1            # syncjobs.reports.daily_sales, which builds on this package
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


def failing_phrase(merchant) -> str:
    """What the card's daily-sync state adds: "failing since …, N days not posted" while days fail,
    else when it next runs, or why it will not run by itself."""
    if merchant.pk is None:
        return ""
    failing = failing_days(merchant)
    if failing is not None:
        days = "1 day" if failing.count == 1 else f"{failing.count} days"
        return f"failing since {failing.since}, {days} not posted (the calendar below links each to its run)"
    entry = (JobQueueEntry.objects.filter(RECURRING, merchant=merchant, report_number=DAILY_SALES_REPORT)
             .order_by("pk").first())
    if entry is None:
        return ("nothing posts by itself yet: no recurring daily sync is scheduled (Create recurring syncs, on the "
                "shops list), and Post daily journal posts by hand")
    if entry.status == EntryStatus.ON_HOLD:
        return "its recurring entry is On Hold, so nothing posts by itself (Set Ready on the entry to start it)"
    return f"next run {in_zone(entry.earliest_start_at, merchant.time_zone)}"


def set_up_accounts_page(merchant, user):
    try:
        preview = preview_setup(merchant=merchant, user=user)
    except SetupRefused as exc:
        raise ShopCardActionFailed(f"Set up accounts cannot start: {exc}") from exc
    return partial(SetUpAccountsForm, preview=preview)


def start_set_up_accounts(*, merchant, user, raw_parameters: dict | None = None) -> ShopCardOutcome:
    template = CHART_TEMPLATES[(raw_parameters or {})["template"]]   # the request page checked it
    try:
        result = set_up_accounts(merchant=merchant, template_slug=template.slug)
    except SetupRefused as exc:
        raise ShopCardActionFailed(f"Set up accounts did not finish: {exc}") from exc
    return ShopCardOutcome(f"Set up accounts ({template.label}): {result.summary()}")


def daily_calendar(merchant):
    """The calendar of the shop's days: its daily summaries, or for a documents-mode shop its daily
    payments journals."""
    return recent_days(merchant)


def register() -> None:
    register_action(ShopCardAction(
        slug="set_up_accounts", label="Set up accounts", position=SET_UP_ACCOUNTS_POSITION,
        request_page=set_up_accounts_page, start=start_set_up_accounts,
        page_template="admin/merchants/merchant/set_up_accounts.html"))
    register_panel(ShopCardPanel("daily_sync_calendar", daily_calendar))
    register_panel(ShopCardPanel("daily_sync_trouble", failing_phrase))
    register_rule(ShopCardRule("daily_sync_settings", SETTINGS, check=start_date_problems, after_save=apply_settings))
