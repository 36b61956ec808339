"""The common street trees of NRW, with the age at which each usually enters its
ageing phase (FLL: about 50 to 80 years; short-lived ornamental trees earlier)."""

from django.db import migrations

# The list lives in the app so that tests whose flush emptied the table can put it back
# (species.ensure_species); seeding is idempotent.
from rathaus.trees.species_list import SPECIES  # noqa: E402


def seed(apps, schema_editor):
    Species = apps.get_model("trees", "Species")
    for key, botanical, german, ageing in SPECIES:
        Species.objects.update_or_create(key=key, defaults={
            "botanical_name": botanical, "german_name": german, "ageing_from": ageing})


def unseed(apps, schema_editor):
    Species = apps.get_model("trees", "Species")
    Species.objects.filter(key__in=[row[0] for row in SPECIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("trees", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
