import uuid

import django.db.models.deletion
import django.db.models.manager
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('authorities', '0008_authority_catalog_revision'),
        ('mailbox', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CopyRequest',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('requested_at', models.DateTimeField(verbose_name='requested')),
                ('status', models.CharField(choices=[('requested', 'Being prepared'), ('produced', 'Delivered to your mailbox'), ('failed', 'Delayed; we are working on it')], default='requested', max_length=10, verbose_name='status')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                ('failure', models.CharField(blank=True, max_length=200)),
                ('summary', models.JSONField(blank=True, default=dict)),
                ('authority', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='authorities.authority')),
                ('citizen', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='citizen')),
                ('delivered_message', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='mailbox.message', verbose_name='message with the copy')),
            ],
            options={
                'verbose_name': 'copy of personal data',
                'verbose_name_plural': 'copies of personal data',
                'ordering': ['-requested_at'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'requested')), fields=('authority', 'citizen'), name='one_running_copy_request')],
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('all_authorities', django.db.models.manager.Manager()),
            ],
        ),
    ]
