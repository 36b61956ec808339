from django.db import migrations

from rathaus.audit import triggers


def install(apps, schema_editor):
    triggers.install(schema_editor.connection)


def drop(apps, schema_editor):
    triggers.drop(schema_editor.connection)


# After every change to the audit tables' columns: on SQLite, Django rebuilds a table to
# alter it, and the rebuilt table has no triggers. `rathaus audit verify` reports them
# missing; a later migration that alters these tables must run `install` again.
class Migration(migrations.Migration):
    dependencies = [("audit", "0002_merkle_tree")]

    operations = [migrations.RunPython(install, drop)]
