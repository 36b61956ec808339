from django.db import migrations, models
from django.db.models import Q

CHUNK = 500


def _update(rows, ids, **values):
    ids = sorted(ids)
    for start in range(0, len(ids), CHUNK):
        rows.filter(pk__in=ids[start:start + CHUNK]).update(**values)


def read_history(apps, schema_editor):
    """Residences recorded before the fields existed: a residence that ended on the day
    another of the same person and kind started was a move within the town (Ummeldung
    ends the old and starts the new on one day, and nothing else does); every other end
    was a move away, every other start a move in from elsewhere (the field's default)."""
    Residence = apps.get_model("residents", "Residence")
    rows = Residence.objects.all()
    starts = {}
    for pk, person, kind, moved_in in rows.values_list("pk", "person_id", "kind", "moved_in"):
        starts.setdefault((person, kind, moved_in), []).append(pk)
    within_end, within_start, away = [], [], []
    for pk, person, kind, moved_out in (rows.filter(moved_out__isnull=False)
                                        .values_list("pk", "person_id", "kind", "moved_out")):
        following = [other for other in starts.get((person, kind, moved_out), ()) if other != pk]
        if following:
            within_end.append(pk)
            within_start += following
        else:
            away.append(pk)
    _update(rows, within_end, ended_by="move_within")
    _update(rows, within_start, started_by="move_within")
    _update(rows, away, ended_by="move_out")


class Migration(migrations.Migration):

    dependencies = [
        ('residents', '0002_street'),
    ]

    operations = [
        migrations.AddField(
            model_name='residence',
            name='started_by',
            field=models.CharField(choices=[('move_in', 'Moved in from elsewhere'), ('move_within', 'Moved within the town')], default='move_in', max_length=12, verbose_name='started by'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='residence',
            name='ended_by',
            field=models.CharField(blank=True, choices=[('move_within', 'Moved within the town'), ('move_out', 'Moved away')], default='', max_length=12, verbose_name='ended by'),
            preserve_default=False,
        ),
        migrations.RunPython(read_history, migrations.RunPython.noop),
    ]
