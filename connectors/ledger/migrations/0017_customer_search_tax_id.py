"""A customer's tax registration no. stays as typed; its search key (upper case, no spaces, dots or
dashes: core.contacts.normalized_tax_id) makes finding customers by tax ID one indexed lookup, as
search_email and search_phone do for contacts."""
import re

from django.db import migrations, models

# core.contacts.normalized_tax_id as it was when this migration was written (a migration keeps its rules).
_PUNCTUATION = re.compile(r"[\s.\-\u00a0\u2010-\u2015]")


def fill_search_tax_id(apps, schema_editor):
    Customer = apps.get_model("ledger", "Customer")
    typed = Customer.objects.exclude(tax_registration_no="").only("pk", "tax_registration_no")
    changed = []
    for customer in typed.iterator(chunk_size=2000):
        customer.search_tax_id = _PUNCTUATION.sub("", customer.tax_registration_no).upper()
        changed.append(customer)
    Customer.objects.bulk_update(changed, ["search_tax_id"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0016_price_lists_and_b2b_customers'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='customer',
            name='ledger_customer_tax_no',
        ),
        migrations.AddField(
            model_name='customer',
            name='search_tax_id',
            field=models.CharField(blank=True, db_default='', default='', editable=False, max_length=30),
        ),
        migrations.RunPython(fill_search_tax_id, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name='customer',
            index=models.Index(fields=['merchant', 'search_tax_id'], name='ledger_customer_tax_id'),
        ),
    ]
