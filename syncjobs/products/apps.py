from django.apps import AppConfig


class ProductsConfig(AppConfig):
    """Sync Products and Sync Images (reports 30108, 30107): which ledger item (and item variant)
    each Shopify variant is, and keeping products, prices and pictures in step. A sync domain with
    its own models."""

    name = "syncjobs.products"
    label = "product_sync"
    verbose_name = "Product sync"

    def ready(self) -> None:
        from syncjobs.products import startup  # noqa: PLC0415  (it imports models: loaded only by now)

        startup.register()
