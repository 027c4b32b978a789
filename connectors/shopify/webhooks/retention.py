"""Webhook deliveries are kept WEBHOOK_DELIVERY_RETENTION_DAYS: long enough to see what arrived,
and longer than Shopify retries one (4 hours), so a late duplicate still finds its first delivery."""
from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from connectors.shopify.models import WebhookDelivery

DELETE_BATCH = 5000


def prune_old_deliveries(now: datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - timedelta(days=settings.WEBHOOK_DELIVERY_RETENTION_DAYS)
    deleted = 0
    while True:
        ids = list(WebhookDelivery.objects.filter(received_at__lt=cutoff).order_by()
                   .values_list("pk", flat=True)[:DELETE_BATCH])
        if not ids:
            return deleted
        WebhookDelivery.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
