"""The daily sync names journals by the accounting target's number for them instead of a foreign key
into the ledger's tables; the built-in ledger's number is the journal's id, copied over. The foreign
keys go in the next migration (PostgreSQL alters no table with the copy's trigger events pending)."""
from django.db import migrations, models
from django.db.models.functions import Cast

MOVES = (("dailysyncday", "journal", "journal_no"), ("orderadjustment", "journal", "journal_no"),
         ("postedpayout", "journal", "journal_no"), ("postedpayout", "reversed_in", "reversed_in_no"))


def copy_numbers(apps, schema_editor):
    for model_name, old, new in MOVES:
        model = apps.get_model("daily", model_name)
        model.objects.filter(**{f"{old}__isnull": False}).update(
            **{new: Cast(f"{old}_id", output_field=models.CharField(max_length=40))})


def copy_back(apps, schema_editor):
    for model_name, old, new in MOVES:
        model = apps.get_model("daily", model_name)
        for pk, number in model.objects.exclude(**{new: ""}).values_list("pk", new):
            model.objects.filter(pk=pk).update(**{f"{old}_id": int(number)})


class Migration(migrations.Migration):

    dependencies = [
        ("daily", "0002_a_posted_payout_stays"),
        ("ledger", "0007_customers_items_stock"),
    ]

    operations = [
        migrations.AddField(
            model_name="dailysyncday", name="journal_no",
            field=models.CharField(blank=True, default="", max_length=40, verbose_name="journal no.",
                                   help_text="The accounting target's number of the journal that posted the day."),
            preserve_default=False),
        migrations.AddField(
            model_name="orderadjustment", name="journal_no",
            field=models.CharField(blank=True, default="", max_length=40, verbose_name="journal no.",
                                   help_text="The journal the difference was posted in; blank until it is."),
            preserve_default=False),
        migrations.AddField(
            model_name="postedpayout", name="journal_no",
            field=models.CharField(default="", max_length=40, verbose_name="journal no."), preserve_default=False),
        migrations.AddField(
            model_name="postedpayout", name="reversed_in_no",
            field=models.CharField(blank=True, default="", max_length=40, verbose_name="reversed in journal no."),
            preserve_default=False),
        migrations.RunPython(copy_numbers, copy_back),
    ]
