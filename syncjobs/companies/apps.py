from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    """B2B companies (report 30114): each Shopify company location linked to the ledger customer its
    orders are sold to, by the shop card's company mapping. A sync domain with its own models."""

    name = "syncjobs.companies"
    label = "company_sync"
    verbose_name = "B2B companies"

    def ready(self) -> None:
        from syncjobs.companies import startup  # noqa: PLC0415  (it imports models: loaded only by now)

        startup.register()
