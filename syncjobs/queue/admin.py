"""Job queue pages: categories, entries with Business Central's actions, and the run log."""
from __future__ import annotations

from functools import partial

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.db.models import Count
from django.forms.utils import pretty_name
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from core.admin_base import MerchantScopedAdmin, tile_list_filter
from core.local_time import in_zone
from core.paginators import EstimatedCountPaginator
from core.record_links import fix_links, record_link
from syncjobs.queue import entries as entry_actions
from syncjobs.queue.errors import QueueError
from syncjobs.queue.forms import JobQueueEntryForm, request_page_field_names
from syncjobs.queue.models import EntryStatus, JobQueueCategory, JobQueueEntry, RunStatus, SkippedRecord, SyncRun
from syncjobs.queue.registry import REPORTS
from syncjobs.queue.run_errors import dismiss_errors, open_sync_errors

RECENT_RUNS = 10
# The role center's "synchronization errors": exactly the runs its tile counts.
OpenErrorFilter = tile_list_filter(title="synchronization error", parameter_name="open_error",
                                   choices={"yes": ("sync_errors", "Still counted")})
ERRORS_SHOWN = 200


class ReportFilter(admin.SimpleListFilter):
    """Choices from the report registry, not a DISTINCT over a large table."""

    title = "report"
    parameter_name = "report"

    def lookups(self, request, model_admin):
        return [(str(number), REPORTS[number].label()) for number in sorted(REPORTS)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(report_number=self.value())
        return queryset


@admin.register(JobQueueCategory)
class JobQueueCategoryAdmin(MerchantScopedAdmin):
    list_display = ("code", "merchant", "description", "running")
    list_filter = ("merchant",)
    list_select_related = ("merchant",)
    search_fields = ("code", "description")

    @admin.display(description="in process")
    def running(self, category: JobQueueCategory) -> str:
        entry = category.entries.filter(status="in_process").first()
        return entry.report_label if entry else "—"


@admin.register(JobQueueEntry)
class JobQueueEntryAdmin(MerchantScopedAdmin):
    form = JobQueueEntryForm
    change_form_template = "admin/syncjobs/jobqueueentry/change_form.html"
    merchant_user_permissions = frozenset({"view", "add", "change", "delete"})
    list_display = ("__str__", "merchant", "report", "category", "status", "earliest_start_at", "attempts_shown",
                    "last_error_short")
    list_filter = ("status", "merchant", ReportFilter)
    list_select_related = ("merchant", "category")
    search_fields = ("description",)
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = EstimatedCountPaginator
    actions = ("set_ready", "set_on_hold", "run_now", "restart")
    readonly_fields = ("status_shown", "recurrence", "attempts", "last_error", "started_at", "running_in",
                       "created_by", "created_at", "updated_at", "recent_runs")
    fieldsets = (
        (None, {"fields": ("merchant", "report_number", "description", "status", "status_shown")}),
        ("Category", {"fields": ("category", "priority_within_category")}),
        ("Schedule", {"description": "Times are the shop's local time. Tick no weekday to run every day.", "fields": (
            "recurrence",
            ("earliest_start_at", "expires_at"),
            ("run_on_mondays", "run_on_tuesdays", "run_on_wednesdays", "run_on_thursdays", "run_on_fridays",
             "run_on_saturdays", "run_on_sundays"),
            ("starting_time", "ending_time"), "minutes_between_runs",
        )}),
        ("Attempts", {"fields": (("maximum_attempts", "rerun_delay_seconds"), "attempts", "last_error",
                                 "notify_on_success")}),
        ("Runs", {"fields": ("recent_runs", ("started_at", "running_in"), "created_by", ("created_at", "updated_at"))}),
    )

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The request-page fields are the form's own (added per report), not the model's.
        pages = {name for number in REPORTS for name in request_page_field_names(number)}
        kwargs["fields"] = [f for f in flatten_fieldsets(self.get_fieldsets(request, obj)) if f not in pages]
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        hidden = "status" if obj else "status_shown"
        fieldsets = [(name, {**options, "fields": tuple(f for f in options["fields"] if f != hidden)})
                     for name, options in self.fieldsets]
        # Each report's request page, after the report; the page shows the chosen report's only.
        pages = [(f"Request page: {REPORTS[number].label()}", {
            "fields": request_page_field_names(number),
            "classes": ("request-page", f"request-page-{number}"),
            "description": "The report's filters; leave them empty for everything."})
            for number in sorted(REPORTS) if REPORTS[number].form_class.base_fields]
        return [fieldsets[0], *pages, *fieldsets[1:]]

    @admin.display(description="report", ordering="report_number")
    def report(self, entry: JobQueueEntry) -> str:
        return entry.report_label

    @admin.display(description="status")
    def status_shown(self, entry: JobQueueEntry) -> str:
        return entry.get_status_display()

    @admin.display(description="runs")
    def recurrence(self, entry: JobQueueEntry) -> str:
        if not entry.pk:
            return "as the schedule below says"
        return f"{entry.recurrence_text}, {entry.weekdays_text}" if entry.is_recurring else "once"

    @admin.display(description="attempts")
    def attempts_shown(self, entry: JobQueueEntry) -> str:
        return f"{entry.attempts}/{entry.maximum_attempts}"

    @admin.display(description="last error")
    def last_error_short(self, entry: JobQueueEntry) -> str:
        return Truncator(entry.last_error).chars(80)

    @admin.display(description="recent runs")
    def recent_runs(self, entry: JobQueueEntry):
        if not entry.pk:
            return "—"
        runs = entry.runs.order_by("-started_at")[:RECENT_RUNS]
        if not runs:
            return "none yet"
        zone = entry.merchant.time_zone
        return format_html("<ul>{}</ul>", format_html_join(
            "", '<li><a href="{}">{}</a>: {} — {}</li>',
            ((reverse("admin:syncjobs_syncrun_change", args=[run.pk]), in_zone(run.started_at, zone),
              run.get_status_display(), Truncator(run.message).chars(100)) for run in runs),
        ))

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _, name, description = actions["delete_selected"]
            actions["delete_selected"] = (delete_entries_at_rest, name, description)
        return actions

    def has_delete_permission(self, request, obj=None):
        # A running entry holds its category: it cannot be deleted until its run has ended.
        if obj is not None and obj.status == EntryStatus.IN_PROCESS:
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        # A selection with running entries is not refused whole: delete_queryset leaves those alone
        # and says so.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(self.opts.verbose_name)
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        self.delete_queryset(request, JobQueueEntry.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        try:
            outcome = entry_actions.delete_entries(queryset)
        except QueueError as exc:
            self.message_user(request, f"Nothing was deleted: {exc}.", messages.ERROR)
            return
        if outcome.skipped_in_process:
            self.message_user(request, f"{outcome.skipped_in_process} running entr"
                              f"{'y was' if outcome.skipped_in_process == 1 else 'ies were'} not deleted: "
                              "delete an entry once its run has ended.", messages.WARNING)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        entry_actions.save_entry(obj, changed=form.changed_fields() if change else set())

    @admin.action(description="Set Ready")
    def set_ready(self, request, queryset):
        self._report(request, entry_actions.set_ready, queryset, "set to Ready")

    @admin.action(description="Set On Hold")
    def set_on_hold(self, request, queryset):
        self._report(request, entry_actions.set_on_hold, queryset, "put on hold")

    @admin.action(description="Run now")
    def run_now(self, request, queryset):
        self._report(request, partial(entry_actions.run_now, user=request.user), queryset, "started")

    @admin.action(description="Restart (forget attempts and error)")
    def restart(self, request, queryset):
        self._report(request, entry_actions.restart, queryset, "restarted")

    def _report(self, request, action, queryset, done: str) -> None:
        try:
            outcome = action(queryset)
        except QueueError as exc:
            self.message_user(request, f"Nothing was {done}: {exc}.", messages.ERROR)
            return
        if outcome.changed:
            self.message_user(request, f"{outcome.changed} entr{'y' if outcome.changed == 1 else 'ies'} {done}.",
                              messages.SUCCESS)
        if outcome.skipped_in_process:
            self.message_user(request, f"{outcome.skipped_in_process} running entr"
                              f"{'y was' if outcome.skipped_in_process == 1 else 'ies were'} left alone.",
                              messages.WARNING)
        if outcome.started_once:
            held = outcome.started_once
            self.message_user(request, f"{held} recurring entr{'y' if held == 1 else 'ies'} On Hold started once, "
                              f"as a one-off entry; {'it stays' if held == 1 else 'they stay'} On Hold.",
                              messages.SUCCESS)


def delete_entries_at_rest(modeladmin, request, queryset):
    """Django's "Delete selected", over the selected entries that are not running: its confirmation
    and its "Successfully deleted N" then count only what is deleted. (delete_queryset still locks
    and skips an entry that started meanwhile.)"""
    running = queryset.filter(status=EntryStatus.IN_PROCESS).count()
    if running:
        modeladmin.message_user(request, f"{running} running entr{'y is' if running == 1 else 'ies are'} left out: "
                                "delete an entry once its run has ended.", messages.WARNING)
    return delete_selected(modeladmin, request, queryset.exclude(status=EntryStatus.IN_PROCESS))


RUN_PAGE_REFRESH_SECONDS = 5


def _refreshing(running: bool) -> dict:
    return {"refresh_seconds": RUN_PAGE_REFRESH_SECONDS} if running else {}


@admin.register(SyncRun)
class SyncRunAdmin(MerchantScopedAdmin):
    list_display = ("started_at", "merchant", "report", "trigger", "status", "counts", "duration_shown",
                    "problem", "dismissed")
    list_filter = ("status", OpenErrorFilter, "dismissed", "merchant", ReportFilter, "trigger")
    list_select_related = ("merchant",)
    actions = ("dismiss_errors",)
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER   # facet counts are a COUNT per filter choice
    paginator = EstimatedCountPaginator
    readonly_fields = ("merchant", "report", "entry", "trigger", "started_by_person", "scheduled_for", "request_page",
                       "started_at", "ended_at", "status", "message", "log", "counts_in_words", "progress", "read",
                       "created", "updated", "skipped", "failed", "period_start", "period_end", "error_state",
                       "record_errors", "records_skipped")
    fields = readonly_fields

    def changelist_view(self, request, extra_context=None):
        # While anything the person can see runs, the list refreshes itself (J4: progress as it grows).
        running = self.get_queryset(request).filter(status=RunStatus.IN_PROCESS).exists()
        return super().changelist_view(request, {**(extra_context or {}), **_refreshing(running)})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        run = self.get_object(request, unquote(object_id))
        running = run is not None and run.status == RunStatus.IN_PROCESS
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **_refreshing(running)})

    @admin.action(description="Dismiss the selected errors (seen and dealt with)", permissions=["view"])
    def dismiss_errors(self, request, queryset):
        dismissed = dismiss_errors(queryset)
        if not dismissed:
            self.message_user(request, "None of the selected runs is an error still counted; nothing changed.",
                              messages.WARNING)
            return
        counted = "it no longer counts" if dismissed == 1 else "they no longer count"
        self.message_user(request, f"{dismissed} error{'s' if dismissed != 1 else ''} dismissed; {counted} as "
                                   "synchronization errors in the role center.", messages.SUCCESS)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False   # runs leave only through retention (the log of what happened stays whole)

    def has_change_permission(self, request, obj=None):
        return False

    def lookup_allowed(self, lookup, value, request=None):
        # The shop card links to "the runs of this entry".
        return lookup == "entry" or super().lookup_allowed(lookup, value, request)

    def get_object(self, request, object_id, from_field=None):
        run = super().get_object(request, object_id, from_field)
        # The person who started it links to their page only for whoever may open it (staff).
        person = run.started_by
        person_admin = self.admin_site._registry.get(type(person)) if person is not None else None
        run.started_by_url = ""
        if person_admin is not None and person_admin.has_view_or_change_permission(request, person):
            opts = person._meta
            run.started_by_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[person.pk],
                                         current_app=self.admin_site.name)
        return run

    @admin.display(description="started by")
    def started_by_person(self, run: SyncRun):
        if run.started_by is None:
            return "—"
        url = getattr(run, "started_by_url", "")
        return format_html('<a href="{}">{}</a>', url, run.started_by) if url else str(run.started_by)

    @admin.display(description="report", ordering="report_number")
    def report(self, run: SyncRun) -> str:
        return run.report_label

    @admin.display(description="duration")
    def duration_shown(self, run: SyncRun) -> str:
        duration = run.duration
        return f"{duration.total_seconds():.1f} s" if duration is not None else "running"

    @admin.display(description="read · created · updated · skipped · failed")
    def counts(self, run: SyncRun) -> str:
        return f"{run.read} · {run.created} · {run.updated} · {run.skipped} · {run.failed}"

    @admin.display(description="counts")
    def counts_in_words(self, run: SyncRun) -> str:
        return run.counts_in_words()

    @admin.display(description="progress")
    def progress(self, run: SyncRun) -> str:
        return run.progress_text

    @admin.display(description="request page")
    def request_page(self, run: SyncRun) -> str:
        if not run.parameters:
            return "no filters: everything"
        return "; ".join(f"{pretty_name(name).lower()}: {value}" for name, value in sorted(run.parameters.items()))

    @admin.display(description="synchronization error")
    def error_state(self, run: SyncRun) -> str:
        if run.status != RunStatus.ERROR:
            return "—"
        if run.dismissed:
            return "dismissed (seen and dealt with)"
        if not open_sync_errors().filter(pk=run.pk).exists():
            return "no longer counted: a later run of the same report for the shop succeeded"
        return "counted in the role center until it is dismissed or a later run succeeds"

    @admin.display(description="records skipped")
    def records_skipped(self, run: SyncRun):
        count = run.skipped_records.count()
        if not count:
            return "none"
        url = f"{reverse('admin:syncjobs_skippedrecord_changelist')}?run__id__exact={run.pk}"
        return format_html('<a href="{}">{} record{} skipped, and why</a>', url, count, "" if count == 1 else "s")

    @admin.display(description="error")
    def problem(self, run: SyncRun) -> str:
        if run.status == "error":
            return Truncator(run.message).chars(100)
        return f"{run.failed} record(s) failed" if run.failed else ""

    @admin.display(description="records that failed")
    def record_errors(self, run: SyncRun):
        total = run.errors.aggregate(n=Count("pk"))["n"]
        if not total:
            return "none"
        shown = run.errors.all()[:ERRORS_SHOWN]
        more = f"… and {total - ERRORS_SHOWN} more" if total > ERRORS_SHOWN else ""
        return format_html("<ul>{}</ul>{}", format_html_join(
            "", "<li>{} {}: {}{}</li>", ((e.object, e.shopify_id, e.reason, _links(e, run.merchant_id))
                                         for e in shown)), more)


def _links(error, merchant_id: int):
    """" (see the imported order; fix: account mappings)", as links, when the record or the problem
    has a page."""
    seen = record_link(error.object, merchant_id, error.shopify_id)
    fixes = fix_links(error.reason, merchant_id)
    parts = ([format_html('see <a href="{}">{}</a>', seen.url, seen.text)] if seen else []) + [
        format_html('fix: <a href="{}">{}</a>', fix.url, fix.text) for fix in fixes]
    return format_html(" ({})", format_html_join("; ", "{}", ((part,) for part in parts))) if parts else ""


@admin.register(SkippedRecord)
class SkippedRecordAdmin(MerchantScopedAdmin):
    """What runs left alone on purpose, and why; pruned with their runs. A merchant user may clear
    what they have read (the role center's tile counts the log)."""

    merchant_user_permissions = frozenset({"view", "delete"})
    list_display = ("skipped_at", "merchant", "report", "record", "shopify_id", "reason", "run_link")
    list_filter = ("merchant", ReportFilter)
    list_select_related = ("merchant",)
    search_fields = ("record", "shopify_id", "reason")
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = EstimatedCountPaginator
    readonly_fields = ("skipped_at", "merchant", "report", "record", "shopify_id", "reason", "run_link")
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def lookup_allowed(self, lookup, value, request=None):
        # A run's page links to "the records it skipped".
        return lookup == "run__id__exact" or super().lookup_allowed(lookup, value, request)

    @admin.display(description="report", ordering="report_number")
    def report(self, record: SkippedRecord) -> str:
        return record.report_label

    @admin.display(description="run")
    def run_link(self, record: SkippedRecord):
        return format_html('<a href="{}">{}</a>', reverse("admin:syncjobs_syncrun_change", args=[record.run_id]),
                           f"run {record.run_id}")
