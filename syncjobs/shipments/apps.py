from django.apps import AppConfig


class ShipmentsConfig(AppConfig):
    """Sync Shipments (report 30109): each posted shipment of a Shopify order becomes a fulfillment in
    Shopify, and this app's rows say which, or why not (Business Central's Shpfy Fulfillment Id). A
    sync domain with its own models."""

    name = "syncjobs.shipments"
    label = "shipment_sync"
    verbose_name = "Shipments to Shopify"

    def ready(self) -> None:
        from syncjobs.shipments import startup  # noqa: PLC0415  (it imports models: loaded only by now)

        startup.register()
