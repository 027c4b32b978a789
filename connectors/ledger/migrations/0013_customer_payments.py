# Customer payments (issue 28, documents-mode shops): payment and refund entries in the customer
# ledger, entries keyed by their Shopify order, and applications of entries to each other.

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def key_entries_by_order(apps, schema_editor):
    """Entries posted before: the Shopify order of the invoice or credit memo they were posted for."""
    entries = apps.get_model("ledger", "CustomerLedgerEntry").objects
    for document_type, model in (("invoice", "PostedSalesInvoice"), ("credit_memo", "PostedSalesCreditMemo")):
        posted = apps.get_model("ledger", model).objects.filter(merchant=OuterRef("merchant"),
                                                                number=OuterRef("document_no"))
        entries.filter(document_type=document_type, shopify_order_id="").exclude(shopify_order_no="").update(
            shopify_order_id=Subquery(posted.values("shopify_order_id")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0012_item_journal'),
        ('merchants', '0010_shop_locations_replace_inventory_sync_location'),
    ]

    operations = [
        migrations.AddField(
            model_name='customerledgerentry',
            name='shopify_order_id',
            field=models.CharField(blank=True, max_length=100, verbose_name='Shopify order ID'),
        ),
        migrations.AlterField(
            model_name='customerledgerentry',
            name='document_type',
            field=models.CharField(choices=[('invoice', 'Invoice'), ('credit_memo', 'Credit memo'), ('payment', 'Payment'), ('refund', 'Refund')], max_length=20),
        ),
        migrations.AddIndex(
            model_name='customerledgerentry',
            index=models.Index(fields=['merchant', 'shopify_order_id', 'open'], name='ledger_customer_entry_order'),
        ),
        migrations.AddConstraint(
            model_name='customerledgerentry',
            constraint=models.UniqueConstraint(condition=models.Q(('document_type__in', ['payment', 'refund'])), fields=('merchant', 'shopify_order_id', 'document_no'), name='ledger_one_payment_per_order_and_journal'),
        ),
        migrations.CreateModel(
            name='CustomerLedgerApplication',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('amount', models.DecimalField(decimal_places=2, default=0, max_digits=18)),
                ('posting_date', models.DateField(help_text="The later of the two entries' posting dates.")),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('merchant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='customer_ledger_applications', to='merchants.merchant')),
                ('owed_entry', models.ForeignKey(help_text='The invoice or refund.', on_delete=django.db.models.deletion.CASCADE, related_name='applied_payments', to='ledger.customerledgerentry')),
                ('paid_entry', models.ForeignKey(help_text='The payment or credit memo.', on_delete=django.db.models.deletion.CASCADE, related_name='applied_to', to='ledger.customerledgerentry')),
            ],
            options={
                'ordering': ['owed_entry', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='ledger_application_amount_positive')],
            },
        ),
        migrations.RunPython(key_entries_by_order, migrations.RunPython.noop, elidable=True),
    ]
