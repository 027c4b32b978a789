from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SyncjobsConfig(AppConfig):
    name = "syncjobs"
    verbose_name = "Sync jobs"

    def ready(self) -> None:
        from django_q.signals import post_spawn

        import syncjobs.daily.adjustments  # noqa: F401  (listens to the order importer)
        import syncjobs.reports  # noqa: F401  (registers every report)
        from syncjobs.queue_pass import run_queue_pass_at_worker_start
        from syncjobs.schedules import ensure_schedules
        from syncjobs.tiles import register as register_tiles

        register_tiles()
        post_migrate.connect(ensure_schedules, sender=self, dispatch_uid="syncjobs.ensure_schedules")
        post_spawn.connect(run_queue_pass_at_worker_start, dispatch_uid="syncjobs.queue_pass_at_worker_start")
