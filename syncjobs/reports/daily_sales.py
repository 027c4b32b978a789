"""Report 1 Daily Sales Sync (D1–D3): yesterday, in the shop's time zone, into one balanced journal."""
from __future__ import annotations

import time as clock
from datetime import time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from connectors.ledger.errors import JournalAlreadyPosted, LedgerError
from connectors.ledger.models import JournalEntry, JournalKind
from connectors.shopify.importers.counts import ImportCounts
from connectors.shopify.models import ImportState
from connectors.shopify.order_sync import WATERMARK_OVERLAP, sync_orders
from connectors.shopify.payout_sync import sync_payouts
from merchants.models import PostingMode
from syncjobs.daily.journal import DayFailed, day_bounds, post_day
from syncjobs.reports.base import Report, ReportError, ReportFailed, RunContext, register

# The run at the sync hour waits this long, at most, for the day's end plus the overlap to pass,
# so that orders updated in the day's last minutes are surely imported before it is posted.
MAX_WAIT_FOR_IMPORT = timedelta(minutes=15)


class DailySalesRequestForm(forms.Form):
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                          help_text="A local calendar day to post; empty: yesterday in the shop's time zone.")


@register
class DailySalesSyncReport(Report):
    number = 1
    name = "Daily Sales Sync"
    form_class = DailySalesRequestForm
    recurring_minutes = 24 * 60
    task_timeout = 2 * 60 * 60

    @classmethod
    def recurring_starting_time(cls, merchant) -> time:
        return time(merchant.daily_sync_hour, 0)

    def run(self, ctx: RunContext) -> ImportCounts:
        merchant = ctx.merchant
        if merchant.posting_mode != PostingMode.DAILY_SUMMARY:
            raise ReportError(f"{merchant.code} posts a document per order, not a daily summary; set the posting "
                              "mode on the shop card to use the daily sync")
        # The day is fixed now: a run that ends after midnight still posts the day it planned.
        today = timezone.now().astimezone(ZoneInfo(merchant.time_zone)).date()
        day = ctx.parameters.get("day") or today - timedelta(days=1)
        if day >= today:
            raise ReportError(f"{day} has not ended yet in {merchant.time_zone}; only past days are posted")
        start, end = day_bounds(merchant, day)
        ctx.period = (start, end)
        counts = ImportCounts()
        if JournalEntry.objects.filter(merchant=merchant, kind=JournalKind.DAILY_SALES, posting_date=day).exists():
            counts.skipped = 1
            ctx.log(f"{day} is already posted")
            return counts
        self._import(ctx, ready_after=end + WATERMARK_OVERLAP)
        try:
            posted = post_day(merchant=merchant, day=day, log=ctx.log)
        except DayFailed as exc:
            counts.failed = max(len(exc.records), 1)
            counts.errors = exc.records
            raise ReportFailed(f"{day} was not posted: {exc}", counts) from None
        except JournalAlreadyPosted:
            counts.skipped = 1   # another run posted it meanwhile
            ctx.log(f"{day} was posted by another run meanwhile")
            return counts
        except LedgerError as exc:
            raise ReportError(f"{day} was not posted: {exc}") from None
        counts.read = posted.orders
        if posted.journal is None:
            ctx.log(f"{day} had no sales, refunds, payments or payouts: nothing to post")
        else:
            counts.created = 1
            ctx.log(f"posted journal {posted.journal.pk} for {day}: {posted.journal.lines.count()} lines")
        return counts

    def _import(self, ctx: RunContext, *, ready_after) -> None:
        """Import orders and payouts; post only once both imports reach past the day's end plus the
        overlap (waiting a little if the run started right at midnight)."""
        while True:
            orders = sync_orders(merchant=ctx.merchant)
            payouts = sync_payouts(merchant=ctx.merchant)
            ctx.log(f"imported orders: {orders.summary()}; payouts: {payouts.summary()}")
            reached = min(ImportState.objects.filter(merchant=ctx.merchant).values_list("watermark", flat=True))
            if reached >= ready_after:
                return
            wait = ready_after - timezone.now()
            if wait > MAX_WAIT_FOR_IMPORT:
                raise ReportError(f"orders are imported up to {reached:%Y-%m-%d %H:%M} UTC; the day can be posted "
                                  f"from {ready_after:%Y-%m-%d %H:%M} UTC")
            clock.sleep(max(wait.total_seconds(), 0) + 1)

