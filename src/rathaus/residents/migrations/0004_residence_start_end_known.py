from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    """The constraints on the history fields, apart from the data migration that fills
    them: PostgreSQL refuses to alter a table in the transaction that updated its rows
    (pending foreign key trigger events)."""

    dependencies = [
        ('residents', '0003_residence_started_by_ended_by'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='residence',
            constraint=models.CheckConstraint(condition=Q(started_by__in=['move_in', 'move_within']), name='residence_start_known'),
        ),
        migrations.AddConstraint(
            model_name='residence',
            constraint=models.CheckConstraint(condition=Q(moved_out__isnull=True, ended_by='') | Q(moved_out__isnull=False, ended_by__in=['move_within', 'move_out']), name='residence_end_known'),
        ),
    ]
