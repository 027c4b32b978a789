"""Orders of days posted before the `processed` flag was set by postings: flag them now, so the role
center does not count them as waiting for the ledger."""
from datetime import time, timedelta
from zoneinfo import ZoneInfo

from django.db import migrations

from syncjobs.queue.recurrence import local_moment  # a pure function of dates and zones


def _start(day, zone):
    return local_moment(day, time(0, 0), zone)


def mark_posted_orders(apps, schema_editor):
    DailySyncDay = apps.get_model("syncjobs", "DailySyncDay")
    OrderAdjustment = apps.get_model("syncjobs", "OrderAdjustment")
    ShopifyOrder = apps.get_model("shopify", "ShopifyOrder")
    # Late orders of a posted day whose adjustment is not posted yet still wait for the ledger.
    waiting = OrderAdjustment.objects.filter(journal__isnull=True).values("order_id")
    synced = DailySyncDay.objects.filter(status="synced").select_related("merchant")
    for row in synced.iterator():   # once, at upgrade: a query per posted day is fine
        zone = ZoneInfo(row.merchant.time_zone)
        ShopifyOrder.objects.filter(
            merchant_id=row.merchant_id, processed=False, processed_at__gte=_start(row.day, zone),
            processed_at__lt=_start(row.day + timedelta(days=1), zone),
        ).exclude(pk__in=waiting).update(processed=True)
    ShopifyOrder.objects.filter(
        pk__in=OrderAdjustment.objects.filter(journal__isnull=False).values("order_id"), processed=False,
    ).update(processed=True)


class Migration(migrations.Migration):
    dependencies = [
        ("syncjobs", "0008_dismissed_errors"),
        ("shopify", "0006_webhook_deliveries"),
    ]

    operations = [migrations.RunPython(mark_posted_orders, migrations.RunPython.noop)]
