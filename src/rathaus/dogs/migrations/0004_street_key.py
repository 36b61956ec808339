from django.db import migrations, models


def fill_keys(apps, schema_editor):
    # The rule of models.normalise_street, copied: a migration must not change when the
    # app's code does.
    street_district = apps.get_model("dogs", "StreetDistrict")
    for entry in street_district._base_manager.all():
        entry.street_key = " ".join(entry.street.lower().replace("str.", "straße").split())
        entry.save(update_fields=["street_key"])


class Migration(migrations.Migration):

    dependencies = [
        ("dogs", "0003_street_district"),
    ]

    operations = [
        migrations.AddField(
            model_name="streetdistrict",
            name="street_key",
            field=models.CharField(default="", editable=False, max_length=150),
            preserve_default=False,
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="streetdistrict",
            index=models.Index(fields=["authority", "street_key"], name="street_key_idx"),
        ),
    ]
