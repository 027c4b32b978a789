"""Report 1 Daily Sales Sync (D1–D3): yesterday, in the shop's time zone, into one balanced journal.

A daily-summary shop's journal holds the day's sales, payments, fees and payouts; a documents-mode
shop's (D0: its invoices post the sales) the day's payments against receivables, fees, payouts and
Shopify Payments' own movements (issue 28)."""
from __future__ import annotations

import time as clock
from datetime import time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from connectors.shopify.importers.counts import ImportCounts
from connectors.shopify.models import ImportState
from connectors.shopify.order_sync import WATERMARK_OVERLAP, sync_orders
from connectors.shopify.payout_sync import sync_payments
from core.local_time import in_zone
from syncjobs.daily.journal import day_bounds
from syncjobs.daily.lifecycle import days_to_sync, disable_if_failing, failures_summary, post_days
from syncjobs.daily.models import DailySyncDay, DayStatus
from syncjobs.payments.reconciliation import reconcile_payouts
from syncjobs.reports.base import Report, ReportError, ReportFailed, RunContext, RunResult, register

# The run at the sync hour waits this long, at most, for the day's end plus the overlap to pass,
# so that orders updated in the day's last minutes are surely imported before it is posted.
MAX_WAIT_FOR_IMPORT = timedelta(minutes=15)


class DailySalesRequestForm(forms.Form):
    intro = ("Choose one day to post; leave it empty to post yesterday and catch up every earlier day not yet "
             "posted.")

    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                          help_text="A local calendar day to post; empty: yesterday in the shop's time zone.")

    def __init__(self, *args, merchant=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.merchant = merchant

    def clean_day(self):
        day = self.cleaned_data.get("day")
        if day and self.merchant is not None:
            today = timezone.now().astimezone(ZoneInfo(self.merchant.time_zone)).date()
            if day >= today:
                raise forms.ValidationError(f"{day} has not ended yet in {self.merchant.time_zone}; only past days "
                                            f"can be posted, {today - timedelta(days=1)} at the latest.")
            start = self.merchant.daily_sync_start_date
            if start and day < start:
                raise forms.ValidationError(f"{day} is before the daily sync's start date, {start}; days before it "
                                            "are never posted (move the start date on the shop card first).")
        return day


@register
class DailySalesSyncReport(Report):
    number = 1
    name = "Daily Sales Sync"
    button_label = "Post daily journal"
    button_position = 120   # after the imports and documents: Sync all posts what they brought in
    unit = "orders"
    count_words = {"created": "days posted", "skipped": "days with nothing to post"}
    form_class = DailySalesRequestForm
    recurring_minutes = 24 * 60
    task_timeout = 2 * 60 * 60

    @classmethod
    def recurring_starting_time(cls, merchant) -> time:
        return time(merchant.daily_sync_hour, 0)

    @classmethod
    def request_form(cls, merchant):
        return partial(DailySalesRequestForm, merchant=merchant)

    def run(self, ctx: RunContext) -> RunResult:
        merchant = ctx.merchant
        counts = ImportCounts()
        if not merchant.daily_sync_enabled:
            # D5 stopped it: the recurring entry runs on and does nothing until the shop re-enables it.
            reason = merchant.daily_sync_disabled_reason or "turned off on the shop card"
            ctx.log(f"the daily sync of {merchant.code} is disabled ({reason}); nothing was posted")
            return RunResult.of(counts)
        # The day is fixed now: a run that ends after midnight still posts the day it planned.
        today = timezone.now().astimezone(ZoneInfo(merchant.time_zone)).date()
        planned = ctx.parameters.get("day") or today - timedelta(days=1)
        if planned >= today:
            raise ReportError(f"{planned} has not ended yet in {merchant.time_zone}; only past days are posted")
        if merchant.daily_sync_start_date and planned < merchant.daily_sync_start_date:
            if not ctx.parameters.get("day"):   # the recurring run before the start date: nothing to do yet
                ctx.log(f"the daily sync starts on {merchant.daily_sync_start_date}; nothing to post yet")
                return RunResult.of(counts)
            raise ReportError(f"{planned} is before the daily sync's start date, "
                              f"{merchant.daily_sync_start_date}; it is never synced")
        if ctx.parameters.get("day"):   # a given day only, if it still needs posting
            row, _ = DailySyncDay.objects.get_or_create(merchant=merchant, day=planned)
            days = [row] if row.status in (DayStatus.PENDING, DayStatus.FAILED) else []
        else:
            days = days_to_sync(merchant, planned)
        ctx.period = (day_bounds(merchant, days[0].day)[0] if days else day_bounds(merchant, planned)[0],
                      day_bounds(merchant, planned)[1])
        if not days:
            counts.skipped = 1
            ctx.log(f"{planned} is already posted (or skipped): nothing to do")
            return RunResult.of(counts)
        self._import(ctx, ready_after=day_bounds(merchant, planned)[1] + WATERMARK_OVERLAP)
        failures = post_days(merchant, days, counts=counts, run_id=ctx.run_id, log=ctx.log)
        reconcile_payouts(merchant=merchant)    # what the days posted, against each payout
        if disable_if_failing(merchant, planned):
            ctx.log(f"the daily sync was disabled: {merchant.daily_sync_disabled_reason}")
        if failures:
            raise ReportFailed(failures_summary(failures, len(days)), counts)
        return RunResult.of(counts)

    def _import(self, ctx: RunContext, *, ready_after) -> None:
        """Import orders and payouts; post only once both imports reach past the day's end plus the
        overlap (waiting a little if the run started right at midnight)."""
        while True:
            orders = sync_orders(merchant=ctx.merchant)
            payouts = sync_payments(merchant=ctx.merchant)
            ctx.log(f"imported {orders.summary('orders')}; "
                    f"{payouts.summary('payouts, balance transactions and disputes')}")
            if orders.failed or payouts.failed:
                # A day posted without a record it should hold would be wrong without anyone knowing.
                failed = ImportCounts(failed=orders.failed + payouts.failed, errors=orders.errors + payouts.errors)
                records = "1 record" if failed.failed == 1 else f"{failed.failed} records"
                raise ReportFailed(f"{records} could not be imported, so no day was posted; the run lists "
                                   f"{'it' if failed.failed == 1 else 'them'}", failed)
            # Only what the day's journal reads: a customer or product import's older watermark says
            # nothing about the day's money.
            reached = min(ImportState.objects.filter(
                merchant=ctx.merchant, kind__in=(ImportState.Kind.ORDERS, ImportState.Kind.PAYOUTS),
            ).values_list("watermark", flat=True))
            if reached >= ready_after:
                return
            wait = ready_after - timezone.now()
            if wait > MAX_WAIT_FOR_IMPORT:
                zone = ctx.merchant.time_zone
                raise ReportError(f"orders are imported up to {in_zone(reached, zone)}; the day can be posted "
                                  f"from {in_zone(ready_after, zone)}")
            clock.sleep(max(wait.total_seconds(), 0) + 1)

