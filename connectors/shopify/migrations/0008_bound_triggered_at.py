"""Deliveries stored before X-Shopify-Triggered-At was bounded may hold times no delivery can have
(year 1, year 9999) that break the pages showing them: they forget that time."""
from datetime import timedelta

from django.db import migrations
from django.db.models import F, Q


def forget_impossible_times(apps, schema_editor):
    WebhookDelivery = apps.get_model("shopify", "WebhookDelivery")
    WebhookDelivery.objects.filter(
        Q(triggered_at__lt=F("received_at") - timedelta(days=7))
        | Q(triggered_at__gt=F("received_at") + timedelta(hours=1))
    ).update(triggered_at=None)


class Migration(migrations.Migration):

    dependencies = [
        ("shopify", "0007_shopify_verbose_names"),
    ]

    operations = [
        migrations.RunPython(forget_impossible_times, migrations.RunPython.noop),
    ]
