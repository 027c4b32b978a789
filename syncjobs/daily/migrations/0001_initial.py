"""The daily sync's models leave the syncjobs app for their own (label "daily"), rows kept: Django's
state moves them, then their tables are renamed from syncjobs_* to daily_*."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('ledger', '0003_journals'),
        ('merchants', '0003_shop_disabled_reason'),
        ('shopify', '0007_shopify_verbose_names'),
        ('syncjobs', '0009_mark_posted_orders'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='PostedPayout',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('journal', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ledger.journalentry')),
                    ('payout', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='shopify.shopifypayout')),
                    ('reversed_in', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ledger.journalentry')),
                ],
                options={
                    'db_table': 'syncjobs_postedpayout',
                },
            ),
            migrations.CreateModel(
                name='DailySyncDay',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('day', models.DateField()),
                    ('status', models.CharField(choices=[('pending', 'Pending'), ('synced', 'Synced'), ('failed', 'Failed'), ('skipped', 'Skipped')], default='pending', max_length=10)),
                    ('message', models.TextField(blank=True)),
                    ('attempts', models.PositiveIntegerField(default=0)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('journal', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='ledger.journalentry')),
                    ('merchant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='daily_sync_days', to='merchants.merchant')),
                    ('run', models.ForeignKey(blank=True, help_text='The run that last tried the day.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='syncjobs.syncrun')),
                ],
                options={
                    'db_table': 'syncjobs_dailysyncday',
                    'verbose_name': 'daily sync day',
                    'ordering': ('merchant', '-day'),
                    'indexes': [models.Index(fields=['merchant', 'status', 'day'], name='daily_sync_day_status')],
                    'constraints': [models.UniqueConstraint(fields=('merchant', 'day'), name='daily_sync_day_unique')],
                },
            ),
            migrations.CreateModel(
                name='OrderAdjustment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('seen_at', models.DateTimeField()),
                    ('before', models.JSONField(blank=True, default=dict)),
                    ('journal', models.ForeignKey(blank=True, help_text='The journal the difference was posted in.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='ledger.journalentry')),
                    ('merchant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='merchants.merchant')),
                    ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='shopify.shopifyorder')),
                ],
                options={
                    'db_table': 'syncjobs_orderadjustment',
                    'indexes': [models.Index(fields=['merchant', 'journal', 'seen_at'], name='order_adjustment_pending')],
                },
            ),
        ]),
        migrations.AlterModelTable(name='postedpayout', table=None),
        migrations.AlterModelTable(name='dailysyncday', table=None),
        migrations.AlterModelTable(name='orderadjustment', table=None),
    ]
