"""Account mappings now belong to the ledger app (its migration 0004 keeps the rows)."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('merchants', '0003_shop_disabled_reason'),
        ('ledger', '0004_account_mappings'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.DeleteModel(name='AccountMapping'),
        ]),
    ]
