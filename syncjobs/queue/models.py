"""The job queue after Business Central's: categories, entries, and the run log.

These tables are the truth; django-q2 only executes what `syncjobs.queue.dispatch` hands it.
"""
from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from core.local_time import in_zone
from core.sentences import joined
from syncjobs.queue.registry import COUNT_NAMES, counts_in_words, report_label, report_unit


class JobQueueCategory(models.Model):
    """Entries sharing a category never run at the same time (J2); its row is the semaphore."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="job_queue_categories")
    code = models.CharField(max_length=20)
    description = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = "job queue category"
        verbose_name_plural = "job queue categories"
        ordering = ("merchant__code", "code")
        constraints = [models.UniqueConstraint(fields=("merchant", "code"), name="job_queue_category_code_unique")]

    def __str__(self) -> str:
        return self.code


class EntryStatus(models.TextChoices):
    READY = "ready", "Ready"
    IN_PROCESS = "in_process", "In Process"
    WAITING = "waiting", "Waiting"
    ERROR = "error", "Error"
    ON_HOLD = "on_hold", "On Hold"
    FINISHED = "finished", "Finished"


class Priority(models.IntegerChoices):
    """Priority within category: the lower value starts first among Waiting entries."""

    HIGH = 1, "High"
    NORMAL = 2, "Normal"
    LOW = 3, "Low"


WEEKDAY_FIELDS = ("run_on_mondays", "run_on_tuesdays", "run_on_wednesdays", "run_on_thursdays",
                  "run_on_fridays", "run_on_saturdays", "run_on_sundays")


class JobQueueEntry(models.Model):
    """One report to run for one merchant, once or on a recurrence (J1)."""

    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="job_queue_entries")
    report_number = models.PositiveIntegerField("report no.")
    description = models.CharField(max_length=250, blank=True)
    parameters = models.JSONField(
        "request page", default=dict, blank=True,
        help_text="The report's request-page filters, checked by its form (e.g. {\"financial_status\": \"paid\"}).",
    )
    category = models.ForeignKey(JobQueueCategory, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="entries",
                                 help_text="Entries in one category never run at the same time.")
    priority_within_category = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(max_length=12, choices=EntryStatus.choices, default=EntryStatus.READY)

    earliest_start_at = models.DateTimeField(
        "earliest start", null=True, blank=True,
        help_text="When the entry may run next; empty means at once.")
    expires_at = models.DateTimeField("expiration", null=True, blank=True,
                                      help_text="After this moment the entry no longer runs.")

    run_on_mondays = models.BooleanField(default=False)
    run_on_tuesdays = models.BooleanField(default=False)
    run_on_wednesdays = models.BooleanField(default=False)
    run_on_thursdays = models.BooleanField(default=False)
    run_on_fridays = models.BooleanField(default=False)
    run_on_saturdays = models.BooleanField(default=False)
    run_on_sundays = models.BooleanField(default=False)
    starting_time = models.TimeField(null=True, blank=True, help_text="Local time in the shop's time zone.")
    ending_time = models.TimeField(null=True, blank=True,
                                   help_text="Local time; may be before the starting time (a window across midnight).")
    minutes_between_runs = models.PositiveIntegerField(null=True, blank=True)

    maximum_attempts = models.PositiveSmallIntegerField(
        "maximum no. of attempts", default=3, validators=[MinValueValidator(1), MaxValueValidator(10)])
    rerun_delay_seconds = models.PositiveIntegerField(
        "rerun delay (sec.)", default=60, validators=[MaxValueValidator(3600)])
    attempts = models.PositiveSmallIntegerField("no. of attempts so far", default=0)
    last_error = models.TextField(blank=True)
    notify_on_success = models.BooleanField(default=False)

    # The claim of the run in progress: a run only finishes the entry while it holds this token.
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Which process runs it (host:pid), like Business Central's server instance and session: what an
    # operator looks for when a run hangs.
    running_in = models.CharField(max_length=100, blank=True, editable=False,
                                  help_text="The process running it now (host:pid).")
    # Written every few seconds while it runs; a stale heartbeat means the worker died (J3).
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The slot last handed to the executor, so a dispatcher pass never hands it over twice.
    enqueued_for = models.DateTimeField(null=True, blank=True, editable=False)
    enqueued_at = models.DateTimeField(null=True, blank=True, editable=False)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "job queue entry"
        verbose_name_plural = "job queue entries"
        ordering = ("-id",)
        indexes = [
            models.Index(fields=("status", "earliest_start_at"), name="job_entry_due"),
            models.Index(fields=("category", "status", "priority_within_category", "id"), name="job_entry_category"),
            models.Index(fields=("merchant", "report_number"), name="job_entry_merchant_report"),
            models.Index(fields=("status", "heartbeat_at"), name="job_entry_heartbeat"),
        ]
        constraints = [
            # The last line of defence behind the category row lock (J2).
            models.UniqueConstraint(fields=("category",), condition=Q(status="in_process"),
                                    name="job_entry_one_in_process_per_category"),
        ]

    def __str__(self) -> str:
        return self.description or f"report {self.report_number}"

    @property
    def is_recurring(self) -> bool:
        return any(getattr(self, name) for name in WEEKDAY_FIELDS) or bool(self.minutes_between_runs)

    @property
    def report_label(self) -> str:
        return report_label(self.report_number)

    @property
    def weekdays_text(self) -> str:
        """"every day" when no weekday is ticked, else "on Mondays and Fridays"."""
        days = [name.removeprefix("run_on_").capitalize() for name in WEEKDAY_FIELDS if getattr(self, name)]
        if not days or len(days) == 7:
            return "every day"
        return "on " + joined(days)

    @property
    def recurrence_text(self) -> str:
        """E.g. "every 15 minutes" or "daily at 00:00"."""
        if not self.is_recurring:
            return "once"
        minutes = self.minutes_between_runs or 1440
        at = f" at {self.starting_time:%H:%M} {self.merchant.time_zone} time" if self.starting_time else ""
        if minutes == 1440:
            return f"daily{at}"
        if minutes % 1440 == 0:
            return f"every {minutes // 1440} days{at}"
        return f"every {minutes} minutes"


class QueueHeartbeat(models.Model):
    """When the dispatcher last ran: the proof that a worker is taking tasks."""

    name = models.CharField(max_length=40, primary_key=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.seen_at:%Y-%m-%d %H:%M:%S} UTC"


class RunStatus(models.TextChoices):
    IN_PROCESS = "in_process", "In Process"
    SUCCESS = "success", "Success"
    ERROR = "error", "Error"


class RunTrigger(models.TextChoices):
    QUEUE = "queue", "Job queue"
    FOREGROUND = "foreground", "Shop card (foreground)"
    COMMAND = "command", "Command line"


class SyncRun(models.Model):
    """One run of a report (J4), whoever started it."""

    entry = models.ForeignKey(JobQueueEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="runs")
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="sync_runs")
    report_number = models.PositiveIntegerField("report no.")
    trigger = models.CharField(max_length=12, choices=RunTrigger.choices, default=RunTrigger.QUEUE)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    # The entry's slot this run belongs to: one run per (entry, slot), however often it is delivered.
    scheduled_for = models.DateTimeField(null=True, blank=True)
    parameters = models.JSONField("request page", default=dict, blank=True)
    started_at = models.DateTimeField(db_index=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=RunStatus.choices, default=RunStatus.IN_PROCESS)
    message = models.TextField(blank=True)
    log = models.TextField(blank=True, help_text="What the run did besides its counts, e.g. accounts it created.")
    read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many records the run expects to read, once it knows: its progress.")
    period_start = models.DateTimeField(null=True, blank=True, help_text="The start of the period the run covered.")
    period_end = models.DateTimeField(null=True, blank=True, help_text="The end of the period the run covered.")
    # A failed run counts as a synchronization error in the role center until someone dismisses it.
    dismissed = models.BooleanField(default=False, help_text="The error was seen and dealt with.")

    class Meta:
        verbose_name = "sync run"
        ordering = ("-started_at", "-id")
        indexes = [
            models.Index(fields=("merchant", "-started_at"), name="sync_run_merchant_recent"),
            models.Index(fields=("report_number", "-started_at"), name="sync_run_report_recent"),
            models.Index(fields=("status", "-started_at"), name="sync_run_status_recent"),
            models.Index(fields=("merchant", "-started_at"), name="sync_run_open_errors",
                         condition=models.Q(status="error", dismissed=False)),
        ]
        constraints = [
            models.UniqueConstraint(fields=("entry", "scheduled_for"), name="sync_run_one_per_slot"),
        ]

    def __str__(self) -> str:
        # As the run's page shows its times: in its shop's zone.
        return f"{self.report_label} at {in_zone(self.started_at, self.merchant.time_zone)}"

    @property
    def report_label(self) -> str:
        return report_label(self.report_number)

    def counts_in_words(self) -> str:
        """E.g. "12 orders read, 10 new, 2 changed", in the report's own words."""
        return counts_in_words(self.report_number, {name: getattr(self, name) for name in COUNT_NAMES})

    @property
    def progress_text(self) -> str:
        """E.g. "120 of 500 orders" while it runs, once the report knows how many there are."""
        unit = report_unit(self.report_number)
        if self.total is None:
            return f"{self.read} {unit}"
        return f"{min(self.read, self.total)} of {self.total} {unit}"

    @property
    def duration(self):
        return self.ended_at - self.started_at if self.ended_at else None


class SyncRunError(models.Model):
    """A record a run could not sync, and why."""

    merchant_lookup = "run__merchant"

    run = models.ForeignKey(SyncRun, on_delete=models.CASCADE, related_name="errors")
    object = models.CharField(max_length=40)
    shopify_id = models.CharField("Shopify id", max_length=100, blank=True)
    reason = models.TextField()

    class Meta:
        verbose_name = "sync run error"
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.object} {self.shopify_id}: {self.reason}"


class SkippedRecord(models.Model):
    """A record a run left alone on purpose, and why (Business Central's skipped-record log): not an
    error, but what a bookkeeper asks about when a record is missing. Pruned with its run."""

    run = models.ForeignKey(SyncRun, on_delete=models.CASCADE, related_name="skipped_records")
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="+")
    report_number = models.PositiveIntegerField("report no.")
    record = models.CharField(max_length=100, help_text="What was skipped, e.g. order #1001.")
    shopify_id = models.CharField("Shopify id", max_length=100, blank=True)
    reason = models.TextField()
    skipped_at = models.DateTimeField()

    class Meta:
        verbose_name = "skipped record"
        ordering = ("-skipped_at", "-id")
        indexes = [models.Index(fields=("merchant", "-skipped_at"), name="skipped_record_recent")]

    def __str__(self) -> str:
        return f"{self.record}: {self.reason}"

    @property
    def report_label(self) -> str:
        return report_label(self.report_number)
