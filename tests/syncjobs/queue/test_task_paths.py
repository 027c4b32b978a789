"""The job queue moved to syncjobs.queue: tasks and schedules that name the old dotted paths still run."""
from django.utils.module_loading import import_string
from django_q.models import Schedule

from syncjobs.queue.execution import run_queued_entry
from syncjobs.queue.queue_pass import run_queue_pass
from syncjobs.queue.retention import prune_old_runs
from syncjobs.queue.schedules import SCHEDULES, ensure_schedules


def test_a_task_queued_before_the_move_finds_its_function():
    assert import_string("syncjobs.execution.run_queued_entry") is run_queued_entry
    assert import_string("syncjobs.queue_pass.run_queue_pass") is run_queue_pass
    assert import_string("syncjobs.retention.prune_old_runs") is prune_old_runs


def test_start_up_rewrites_a_schedule_that_names_an_old_path(db):
    # given the schedule as a release before the move wrote it
    Schedule.objects.update_or_create(name="syncjobs: job queue pass", defaults={
        "func": "syncjobs.queue_pass.run_queue_pass", "schedule_type": Schedule.MINUTES, "minutes": 1})

    # when a worker starts
    ensure_schedules()

    # then every schedule names its function where it is now
    assert dict(Schedule.objects.values_list("name", "func")) == {name: func for name, func, _ in SCHEDULES}
    for _, func, _ in SCHEDULES:
        assert callable(import_string(func))
