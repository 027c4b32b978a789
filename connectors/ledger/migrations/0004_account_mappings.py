"""Account mappings move from merchants to the ledger: they map money to the ledger's accounts.

The rows stay: the model changes app in Django's state only, then its table is renamed."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0003_journals'),
        ('merchants', '0003_shop_disabled_reason'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='AccountMapping',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('sales', 'Sales'), ('refunds', 'Refunds'), ('discounts', 'Discounts'), ('shipping_income', 'Shipping income'), ('tips', 'Tips'), ('gift_cards_sold', 'Sold gift cards'), ('gift_card_redemptions', 'Gift card redemptions'), ('tax', 'Tax'), ('payment_clearing', 'Payment clearing'), ('payment_fees', 'Payment fees'), ('fee_refunds', 'Fee refunds'), ('payouts', 'Payouts (bank)'), ('receivables', 'Receivables'), ('rounding', 'Rounding')], max_length=30)),
                    ('key', models.CharField(blank=True, help_text="Only for tax (a tax rate, e.g. 'VAT 20%') and payment clearing (a gateway, e.g. 'shopify_payments'). Blank: everything without a mapping of its own.", max_length=100)),
                    ('account', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='mappings', to='ledger.account')),
                    ('merchant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='account_mappings', to='merchants.merchant')),
                ],
                options={
                    'ordering': ['merchant', 'kind', 'key'],
                    'db_table': 'merchants_accountmapping',
                    'constraints': [models.UniqueConstraint(fields=('merchant', 'kind', 'key'), name='account_mapping_unique_kind_key')],
                },
            ),
        ]),
        migrations.AlterModelTable(name='accountmapping', table=None),
    ]
