from django.apps import AppConfig


class CatalogsConfig(AppConfig):
    """B2B catalogs (reports 30115, 30116): which catalogs take their prices from the ledger, from
    which price list, and how far a price sync got. A sync domain with its own models."""

    name = "syncjobs.catalogs"
    label = "catalog_sync"
    verbose_name = "B2B catalogs"

    def ready(self) -> None:
        from syncjobs.catalogs import startup  # noqa: PLC0415  (it imports models: loaded only by now)

        startup.register()
