from django.apps import AppConfig


class InventoryConfig(AppConfig):
    """Sync Inventory (report 30102): which ledger locations' stock each Shopify location shows, and
    how it is counted (Business Central's shop locations). A sync domain with its own models."""

    name = "syncjobs.inventory"
    label = "inventory_sync"
    verbose_name = "Inventory sync"

    def ready(self) -> None:
        from syncjobs.inventory import startup  # noqa: PLC0415  (it imports models: loaded only by now)

        startup.register()
