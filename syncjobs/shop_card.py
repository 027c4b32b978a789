"""The shop card's sync buttons (M1, J5): one per report that has a button, registered with
core.shop_card at start-up, in the place each report asks for.

With Allow background syncs on, a sync becomes a job queue entry that starts at once; off, it runs
in the request. Syncs not built yet say so plainly instead of pretending to sync.
"""
from __future__ import annotations

from functools import partial

from django.contrib import admin, messages

from core.sentences import counted
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
                                   request_page=lambda merchant, user: None, start=start_sync_all))
    register_list_action("create_recurring_syncs", create_recurring_syncs_action)


def request_page_for(report: type[Report], merchant, user=None):
    """The report's request page, or None when it has no filters; a button that cannot start says
    why now (ShopCardActionUnavailable), before any page is shown."""
    _check_startable(report, merchant)
    return report.request_form(merchant) if report.form_class.base_fields else None


def start_report(report: type[Report], *, merchant, user, raw_parameters: dict | None = None) -> ShopCardOutcome:
    _check_startable(report, merchant)
    if merchant.allow_background_syncs:
        return _start_in_background(merchant, report, raw_parameters, user)
    return _run_in_foreground(merchant, report, raw_parameters, user)


def start_sync_all(*, merchant, user, raw_parameters: dict | None = None) -> ShopCardOutcome:
    """Every built report with a button that the shop can run, in the order of the buttons (imports
    first, the daily journal last), each as its own button would start it: queued one after another
    in the shop's category, or, with background syncs off, run one after another in the request."""
    _check_shop(merchant)
    reports = [r for r in sorted(REPORTS.values(), key=lambda r: (r.button_position, r.number))
               if r.button_label and r.in_sync_all(merchant) and r.is_implemented and not r.unavailable_for(merchant)]
    if not reports:
        raise ShopCardActionUnavailable("Sync all has nothing to start: no sync this shop can run is built yet")
    said, warnings = [], []
    for report in reports:
        try:
            outcome = (_start_in_background if merchant.allow_background_syncs else _run_in_foreground)(
                merchant, report, None, user)
        except (ShopCardActionUnavailable, ShopCardActionFailed) as exc:
            warnings.append(str(exc))
            continue
        said.append(outcome.message)
        warnings += outcome.warnings
    how = "queued to run one after another" if merchant.allow_background_syncs else "ran one after another"
    return ShopCardOutcome(f"Sync all {how}: " + "; ".join(said) if said else "Sync all started nothing",
                           warnings=warnings)


def _check_shop(merchant) -> None:
    _refuse_if_disabled(merchant)
    _refuse_without_token(merchant)


def _check_startable(report: type[Report], merchant) -> None:
    _refuse_if_disabled(merchant)
    if not report.is_implemented:
        raise ShopCardActionUnavailable(
            f"{report.button_label} is not available yet: report {report.label()} is not implemented in this "
            "version of syncsite"
        )
    if why := report.unavailable_for(merchant):
        raise ShopCardActionUnavailable(f"{report.button_label} is not available: {why}")
    _refuse_without_token(merchant)


def _refuse_if_disabled(merchant) -> None:
    if not merchant.is_enabled:
        why = f": {merchant.disabled_reason}" if merchant.disabled_reason else ""
        raise ShopCardActionUnavailable(f"{merchant.code} is disabled{why}; enable it on this card to sync again")


def _refuse_without_token(merchant) -> None:
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
        if made.unavailable:
            parts.append("not used with the shop's settings: " + ", ".join(made.unavailable))
        if made.not_implemented:
            parts.append(f"{len(made.not_implemented)} reports not built yet were skipped")
        level = messages.SUCCESS if made.created else messages.INFO
        modeladmin.message_user(request, f"{merchant.code}: {'; '.join(parts)}.", level)


def start_for_selected(modeladmin, request, report: type[Report], chosen: dict, *, parameter: str,
                       noun: str, every: str, named_at_most: int = 100) -> None:
    """An admin action's last step: `report` started for each shop of `chosen` ({merchant: [names]})
    as the card's button starts it, its request page's `parameter` naming them (a longer list is
    not worth a filter: the run takes `every`); each shop's outcome said on the page."""
    for merchant, names in chosen.items():
        parameters = {parameter: ", ".join(names)} if len(names) <= named_at_most else {}
        try:
            outcome = start_report(report, merchant=merchant, user=request.user, raw_parameters=parameters)
        except (ShopCardActionUnavailable, ShopCardActionFailed) as exc:
            modeladmin.message_user(request, f"{merchant.code}: {exc}", messages.ERROR)
            continue
        scope = counted(len(names), noun) if parameters else every
        modeladmin.message_user(request, f"{merchant.code}, {scope}: {outcome.message}", messages.SUCCESS)
        for warning in outcome.warnings:
            modeladmin.message_user(request, warning, messages.WARNING)
