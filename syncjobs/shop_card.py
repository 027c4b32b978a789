"""The shop card's sync buttons (M1, J5): one per report that has a button, registered with
core.shop_card at start-up, in the place each report asks for.

With Allow background syncs on, a sync becomes a job queue entry that starts at once; off, it runs
in the request. Syncs not built yet say so plainly instead of pretending to sync.
"""
from __future__ import annotations

from functools import partial

from django.contrib import admin, messages

from core.shop_card import (
    ShopCardAction,
    ShopCardActionFailed,
    ShopCardActionUnavailable,
    ShopCardOutcome,
    register_action,
    register_list_action,
)
from syncjobs.queue.claims import CategoryBusy
from syncjobs.queue.entries import create_recurring_syncs, start_in_background
from syncjobs.queue.errors import QueueError
from syncjobs.queue.execution import run_now
from syncjobs.queue.models import RunStatus, RunTrigger
from syncjobs.reports import REPORTS, Report

SYNC_ALL_POSITION = 900


def register() -> None:
    for report in REPORTS.values():
        if report.button_label:
            register_action(ShopCardAction(
                slug=report.button_slug(), label=report.button_label, position=report.button_position,
                request_page=partial(request_page_for, report), start=partial(start_report, report)))
    register_action(ShopCardAction(slug="sync_all", label="Sync all", position=SYNC_ALL_POSITION,
                                   request_page=_sync_all_unavailable, start=_sync_all_unavailable))
    register_list_action("create_recurring_syncs", create_recurring_syncs_action)


def request_page_for(report: type[Report], merchant, user=None):
    """The report's request page, or None when it has no filters; a button that cannot start says
    why now (ShopCardActionUnavailable), before any page is shown."""
    _check_startable(report, merchant)
    return report.form_class if report.form_class.base_fields else None


def start_report(report: type[Report], *, merchant, user, raw_parameters: dict | None = None) -> ShopCardOutcome:
    _check_startable(report, merchant)
    if merchant.allow_background_syncs:
        return _start_in_background(merchant, report, raw_parameters, user)
    return _run_in_foreground(merchant, report, raw_parameters, user)


def _sync_all_unavailable(merchant, *args, **kwargs):
    raise ShopCardActionUnavailable("Sync all is not available yet in this version of syncsite")


def _check_startable(report: type[Report], merchant) -> None:
    if not merchant.is_enabled:
        why = f": {merchant.disabled_reason}" if merchant.disabled_reason else ""
        raise ShopCardActionUnavailable(f"{merchant.code} is disabled{why}; enable it on this card to sync again")
    if not report.is_implemented:
        raise ShopCardActionUnavailable(
            f"{report.button_label} is not available yet: report {report.label()} is not implemented in this "
            "version of syncsite"
        )
    if not merchant.access_token:
        raise ShopCardActionUnavailable("no access token is stored; enter one on the shop card first")


def _start_in_background(merchant, report, raw_parameters, user) -> ShopCardOutcome:
    try:
        started = start_in_background(merchant=merchant, report_number=report.number,
                                      raw_parameters=raw_parameters, user=user)
    except QueueError as exc:
        raise ShopCardActionFailed(f"{report.button_label} was not started: {exc}") from exc
    if not started.created:
        return ShopCardOutcome(f"{report.button_label} is already scheduled and waiting to start; it was not "
                               "scheduled twice", entry_id=started.entry.pk)
    return ShopCardOutcome(f"{report.button_label}: the sync was scheduled in the background",
                           entry_id=started.entry.pk)


def _run_in_foreground(merchant, report, raw_parameters, user) -> ShopCardOutcome:
    try:
        run = run_now(merchant=merchant, report_number=report.number, raw_parameters=raw_parameters,
                      user=user, trigger=RunTrigger.FOREGROUND)
    except CategoryBusy as exc:
        raise ShopCardActionUnavailable(f"{report.button_label} was not started: {exc}") from exc
    except QueueError as exc:
        raise ShopCardActionFailed(f"{report.button_label} was not started: {exc}") from exc
    if run.status == RunStatus.ERROR:
        raise ShopCardActionFailed(f"{report.button_label} failed: {run.message}", run_id=run.pk)
    warnings = [str(error) for error in run.errors.all()[:10]]
    return ShopCardOutcome(f"{report.button_label} finished: {run.counts_in_words()}", warnings=warnings,
                           run_id=run.pk)


@admin.action(description="Create recurring syncs")
def create_recurring_syncs_action(modeladmin, request, queryset) -> None:
    """The shops list's action: one recurring entry per built report that recurs (J1)."""
    for merchant in queryset:
        made = create_recurring_syncs(merchant=merchant, user=request.user)
        parts = []
        if made.created:
            parts.append("created " + ", ".join(f"{e.report_label} {e.recurrence_text}" for e in made.created))
        if made.already_there:
            parts.append("already recurring: " + ", ".join(made.already_there))
        if made.not_implemented:
            parts.append(f"{len(made.not_implemented)} reports not built yet were skipped")
        level = messages.SUCCESS if made.created else messages.INFO
        modeladmin.message_user(request, f"{merchant.code}: {'; '.join(parts)}.", level)
