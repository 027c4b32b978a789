"""The journal foreign keys the daily sync no longer reads (its numbers were copied in 0003)."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("daily", "0003_journals_by_number")]

    operations = [
        migrations.RemoveIndex(model_name="orderadjustment", name="order_adjustment_pending"),
        migrations.RemoveField(model_name="dailysyncday", name="journal"),
        migrations.RemoveField(model_name="orderadjustment", name="journal"),
        migrations.RemoveField(model_name="postedpayout", name="journal"),
        migrations.RemoveField(model_name="postedpayout", name="reversed_in"),
        migrations.AddIndex(model_name="orderadjustment",
                            index=models.Index(fields=["merchant", "journal_no", "seen_at"],
                                               name="order_adjustment_pending")),
    ]
