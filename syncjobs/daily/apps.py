from django.apps import AppConfig


class DailyConfig(AppConfig):
    """The daily sync (Codat's Sync for Commerce): a sync domain with its own models."""

    name = "syncjobs.daily"
    label = "daily"
    verbose_name = "Daily sync"

    def ready(self) -> None:
        from syncjobs.daily import startup  # noqa: PLC0415  (it imports models: loaded only by now)

        startup.register()
