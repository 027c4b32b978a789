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


def start_shop_card_action(*, merchant, action_slug: str, user) -> ShopCardOutcome:
    """Start what a shop card button asks for and return the message for the page.

    Syncs not built yet say so plainly instead of pretending to sync.
    """
    action = ACTIONS_BY_SLUG.get(action_slug)
    if action is None:
        raise ShopCardActionUnavailable(f"the shop card has no action {action_slug!r}")
    if action.slug == "test_connection":
        return _test_connection(merchant)
    if action.report_number is not None:
        return _run_report_now(merchant, action)
    raise ShopCardActionUnavailable(f"{action.label} is not available yet in this version of syncsite")


def _run_report_now(merchant, action: ShopCardAction) -> ShopCardOutcome:
    """Run the button's report in the request (the job queue, for background runs, comes next)."""
    from connectors.shopify.errors import ShopifyError
    from syncjobs.reports import get_report
    from syncjobs.reports.base import ReportError
    from syncjobs.services import run_report

    report = get_report(action.report_number)
    if not report.is_implemented:
        raise ShopCardActionUnavailable(
            f"{action.label} is not available yet: report {report.label()} is not implemented in this "
            "version of syncsite"
        )
    if not merchant.access_token:
        raise ShopCardActionUnavailable("no access token is stored; enter one on the shop card first")
    try:
        counts = run_report(merchant=merchant, number=report.number)
    except (ReportError, ShopifyError) as exc:
        raise ShopCardActionFailed(f"{action.label} failed: {exc}") from exc
    warnings = [f"{e.object} {e.shopify_id}: {e.reason}" for e in counts.errors[:10]]
    return ShopCardOutcome(f"{action.label} finished: {counts.summary()}", warnings=warnings)


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
