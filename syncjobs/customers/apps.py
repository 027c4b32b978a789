from django.apps import AppConfig


class CustomersConfig(AppConfig):
    """Sync Customers (report 30100): which ledger customer each Shopify customer is, and keeping
    the two in step. A sync domain with its own models."""

    name = "syncjobs.customers"
    label = "customer_sync"
    verbose_name = "Customer sync"

    def ready(self) -> None:
        from syncjobs.customers import startup  # noqa: PLC0415  (it imports models: loaded only by now)

        startup.register()
