# The eAkte's search: one entry per document, and the database's own full-text index
# beside it (docs/decisions/0032).

import django.db.models.deletion
import django.db.models.manager
from django.db import migrations, models

from rathaus.records import search_index


def install_text_index(apps, schema_editor):
    # Each database its own: an FTS5 table on SQLite, a tsvector with GIN on PostgreSQL.
    search_index.for_connection(schema_editor.connection).install(schema_editor.connection)


def uninstall_text_index(apps, schema_editor):
    search_index.for_connection(schema_editor.connection).uninstall(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('authorities', '0008_authority_catalog_revision'),
        ('records', '0002_eakte'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('filed_at', models.DateTimeField(verbose_name='filed')),
                ('metadata_terms', models.TextField(blank=True)),
                ('authority', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='authorities.authority')),
                ('case_file', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='records.casefile', verbose_name='case file')),
                ('department', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='authorities.department', verbose_name='department')),
                ('document', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='search_entry', to='records.document', verbose_name='document')),
            ],
            options={
                'verbose_name': 'search entry',
                'verbose_name_plural': 'search entries',
                'indexes': [models.Index(fields=['authority', 'filed_at', 'id'], name='search_entry_newest'), models.Index(fields=['authority', 'department', 'filed_at', 'id'], name='search_entry_department')],
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('all_authorities', django.db.models.manager.Manager()),
            ],
        ),
        migrations.RunPython(install_text_index, uninstall_text_index),
    ]
