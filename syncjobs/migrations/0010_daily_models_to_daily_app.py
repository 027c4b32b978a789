"""The daily sync's models now belong to the daily app (its migration 0001 keeps the rows)."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('syncjobs', '0009_mark_posted_orders'),
        ('daily', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.RemoveField(
                model_name='orderadjustment',
                name='journal',
            ),
            migrations.RemoveField(
                model_name='orderadjustment',
                name='merchant',
            ),
            migrations.RemoveField(
                model_name='orderadjustment',
                name='order',
            ),
            migrations.RemoveField(
                model_name='postedpayout',
                name='journal',
            ),
            migrations.RemoveField(
                model_name='postedpayout',
                name='payout',
            ),
            migrations.RemoveField(
                model_name='postedpayout',
                name='reversed_in',
            ),
            migrations.DeleteModel(
                name='DailySyncDay',
            ),
            migrations.DeleteModel(
                name='OrderAdjustment',
            ),
            migrations.DeleteModel(
                name='PostedPayout',
            ),
        ]),
    ]
