"""Residences recorded before they said why they started and ended get their reasons
from the register's own dates."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("residents", "0002_street")]
AFTER = [("residents", "0004_residence_start_end_known")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_old_residences_read_their_moves_from_their_dates(town):
    apps = _migrate(BEFORE)
    try:
        Person = apps.get_model("residents", "Person")
        Dwelling = apps.get_model("residents", "Dwelling")
        Residence = apps.get_model("residents", "Residence")
        person = Person.objects.create(
            authority_id=town.pk, family_name="Weber", given_names="Anna",
            date_of_birth=date(1985, 3, 2), place_of_birth="Köln", sex="w")
        first, second, weekend = (
            Dwelling.objects.create(authority_id=town.pk, street="Marktstraße",
                                    street_key="01210", house_number=number,
                                    postcode="42799", place="Leichlingen")
            for number in ("1", "2", "3"))

        def lived(dwelling, kind, moved_in, moved_out):
            return Residence.objects.create(authority_id=town.pk, person=person,
                                            dwelling=dwelling, kind=kind,
                                            moved_in=moved_in, moved_out=moved_out).pk

        old = lived(first, "main", date(2020, 1, 1), date(2022, 5, 1))
        new = lived(second, "main", date(2022, 5, 1), date(2024, 8, 31))
        holiday = lived(weekend, "secondary", date(2021, 1, 1), date(2024, 8, 31))

        apps = _migrate(AFTER)
        Residence = apps.get_model("residents", "Residence")
        reasons = {r.pk: (r.started_by, r.ended_by) for r in Residence.objects.all()}
        assert reasons == {old: ("move_in", "move_within"), new: ("move_within", "move_out"),
                           holiday: ("move_in", "move_out")}
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
