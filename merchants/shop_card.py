"""The sync action buttons of the shop card (M1), in the order the card shows them."""
from __future__ import annotations

from dataclasses import dataclass, field

from merchants.errors import ShopCardActionFailed, ShopCardActionUnavailable


@dataclass(frozen=True)
class ShopCardAction:
    slug: str
    label: str
    report_number: int | None  # the report it starts; None for actions that are not a report


SHOP_CARD_ACTIONS: tuple[ShopCardAction, ...] = (
    ShopCardAction("sync_orders", "Sync orders", 30104),
    ShopCardAction("sync_shipments", "Sync shipments", 30109),
    ShopCardAction("sync_products", "Sync products", 30108),
    ShopCardAction("sync_inventory", "Sync inventory", 30102),
    ShopCardAction("sync_images", "Sync images", 30107),
    ShopCardAction("sync_customers", "Sync customers", 30100),
    ShopCardAction("sync_companies", "Sync companies", 30114),
    ShopCardAction("sync_payments", "Sync payments", 30105),
    ShopCardAction("sync_catalogs", "Sync catalogs", 30115),
    ShopCardAction("sync_catalog_prices", "Sync catalog prices", 30116),
    ShopCardAction("process_orders", "Process orders", 30103),
    ShopCardAction("sync_all", "Sync all", None),
    ShopCardAction("test_connection", "Test connection", None),
)
ACTIONS_BY_SLUG = {action.slug: action for action in SHOP_CARD_ACTIONS}


@dataclass(frozen=True)
class ShopCardOutcome:
    message: str
    warnings: list[str] = field(default_factory=list)
    entry_id: int | None = None   # the job queue entry a background sync created
    run_id: int | None = None     # the run a foreground sync wrote


def request_page_for(*, merchant, action_slug: str):
    """The request-page form the button shows before it starts, or None when its report has no filters.

    A button that cannot start says why now (ShopCardActionUnavailable), before any page is shown.
    """
    action = _action(action_slug)
    if action.report_number is None:
        return None
    report = _startable_report(merchant, action)
    return report.form_class if report.form_class.base_fields else None


def start_shop_card_action(*, merchant, action_slug: str, user, raw_parameters: dict | None = None) -> ShopCardOutcome:
    """Start what a shop card button asks for and return the message for the page.

    With Allow background syncs on, a sync becomes a job queue entry that starts at once; off, it
    runs in the request (J5). Syncs not built yet say so plainly instead of pretending to sync.
    """
    action = _action(action_slug)
    if action.slug == "test_connection":
        return _test_connection(merchant)
    if action.report_number is None:
        raise ShopCardActionUnavailable(f"{action.label} is not available yet in this version of syncsite")
    report = _startable_report(merchant, action)
    if merchant.allow_background_syncs:
        return _start_in_background(merchant, action, report, raw_parameters, user)
    return _run_in_foreground(merchant, action, report, raw_parameters, user)


def _action(action_slug: str) -> ShopCardAction:
    action = ACTIONS_BY_SLUG.get(action_slug)
    if action is None:
        raise ShopCardActionUnavailable(f"the shop card has no action {action_slug!r}")
    return action


def _startable_report(merchant, action: ShopCardAction):
    from syncjobs.reports import get_report

    if not merchant.is_enabled:
        why = f": {merchant.disabled_reason}" if merchant.disabled_reason else ""
        raise ShopCardActionUnavailable(f"{merchant.code} is disabled{why}; enable it on this card to sync again")
    report = get_report(action.report_number)
    if not report.is_implemented:
        raise ShopCardActionUnavailable(
            f"{action.label} is not available yet: report {report.label()} is not implemented in this "
            "version of syncsite"
        )
    if not merchant.access_token:
        raise ShopCardActionUnavailable("no access token is stored; enter one on the shop card first")
    return report


def _start_in_background(merchant, action, report, raw_parameters, user) -> ShopCardOutcome:
    from syncjobs.entries import start_in_background
    from syncjobs.reports.base import ReportError

    try:
        entry = start_in_background(merchant=merchant, report_number=report.number,
                                    raw_parameters=raw_parameters, user=user)
    except ReportError as exc:
        raise ShopCardActionFailed(f"{action.label} was not started: {exc}") from exc
    return ShopCardOutcome(f"{action.label}: the sync was scheduled in the background", entry_id=entry.pk)


def _run_in_foreground(merchant, action, report, raw_parameters, user) -> ShopCardOutcome:
    from syncjobs.claims import CategoryBusy
    from syncjobs.execution import run_now
    from syncjobs.models import RunStatus, RunTrigger
    from syncjobs.reports.base import ReportError

    try:
        run = run_now(merchant=merchant, report_number=report.number, raw_parameters=raw_parameters,
                      user=user, trigger=RunTrigger.FOREGROUND)
    except CategoryBusy as exc:
        raise ShopCardActionUnavailable(f"{action.label} was not started: {exc}") from exc
    except ReportError as exc:
        raise ShopCardActionFailed(f"{action.label} was not started: {exc}") from exc
    if run.status == RunStatus.ERROR:
        raise ShopCardActionFailed(f"{action.label} failed: {run.message}", run_id=run.pk)
    warnings = [str(error) for error in run.errors.all()[:10]]
    return ShopCardOutcome(f"{action.label} finished: {run.counts_summary()}", warnings=warnings, run_id=run.pk)


def _test_connection(merchant) -> ShopCardOutcome:
    from connectors.shopify.connection_check import check_connection
    from connectors.shopify.errors import ShopifyError

    if not merchant.access_token:
        raise ShopCardActionUnavailable("no access token is stored; enter one on the shop card first")
    try:
        report = check_connection(merchant=merchant)
    except ShopifyError as exc:
        raise ShopCardActionFailed(f"the connection test failed: {exc}") from exc
    return ShopCardOutcome(report.summary(), warnings=report.warnings)
