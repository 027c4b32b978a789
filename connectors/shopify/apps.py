from django.apps import AppConfig


class ShopifyConfig(AppConfig):
    name = "connectors.shopify"
    label = "shopify"
    verbose_name = "Shopify"

    def ready(self) -> None:
        from connectors.shopify import startup  # noqa: PLC0415  (it imports models: loaded only by now)

        startup.register()
