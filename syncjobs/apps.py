from django.apps import AppConfig


class SyncjobsConfig(AppConfig):
    name = "syncjobs"
    verbose_name = "Sync jobs"

    def ready(self) -> None:
        from syncjobs import startup  # noqa: PLC0415  (it imports models: loaded only by now)

        startup.register(self)
