from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from connectors.shopify.webhooks.views import shopify_webhook

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
    path("webhooks/shopify/", shopify_webhook, name="shopify-webhooks"),
]
