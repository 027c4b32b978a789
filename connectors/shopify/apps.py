from django.apps import AppConfig


class ShopifyConfig(AppConfig):
    name = "connectors.shopify"
    label = "shopify"
    verbose_name = "Shopify"
