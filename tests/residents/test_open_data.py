"""The register's open data: moves into, within and away from the town per district and
month, small counts without a number, published where the town offers the registration
of residence online."""

from dataclasses import replace
from datetime import date

import pytest
from django.test import Client

from rathaus.catalog.models import Service
from rathaus.opendata.models import Dataset
from rathaus.opendata.publish.services import refresh_automatic_datasets
from rathaus.opendata.store import queries
from rathaus.publication.producers import producer
from rathaus.residents.models import ResidenceKind, Street
from rathaus.residents.services import move_out, move_within, register_move_in
from rathaus.residents.statistics import UNASSIGNED, moves_per_district_and_month
from tests.factories import OPENDATA_HOST

from .conftest import FAMILY, dwelling

NAME = "zu-und-wegzuege-je-ortsteil"
NOTE = "weniger als 3, nicht ausgewiesen"


def _streets():
    for key, name, district in (("01210", "Marktstraße", "Leichlingen-Mitte"),
                                ("02010", "Solinger Straße", "Witzhelden")):
        Street.objects.create(key=key, name=name, postcode="42799", place="Leichlingen",
                              district=district)


def _family(surname: str) -> list:
    return [replace(member, family_name=surname) for member in FAMILY]


@pytest.fixture
def register(in_town, clerk):
    """Four households of three in March 2026: the Webers and Beckers move into
    Marktstraße (Leichlingen-Mitte), the Kochs into Solinger Straße (Witzhelden), the
    Wolfs into a street not in the directory. In April the Webers move to Solinger
    Straße and the Beckers away; the Kochs' move away in May is registered ahead of its
    day."""
    _streets()
    moved_in = {}
    for surname, home in (("Weber", dwelling(number="1")), ("Becker", dwelling(number="2")),
                          ("Koch", dwelling("Solinger Straße", "4", "02010")),
                          ("Wolf", dwelling("Feldweg", "9", "77777"))):
        moved_in[surname] = register_move_in(
            actor=clerk, household=_family(surname), dwelling=home,
            moved_in=date(2026, 3, 2), kind=ResidenceKind.MAIN).household
    # A secondary residence is no move of a person's home: not counted.
    register_move_in(actor=clerk, household=moved_in["Wolf"],
                     dwelling=dwelling(number="5"), moved_in=date(2026, 3, 20),
                     kind=ResidenceKind.SECONDARY)
    move_within(actor=clerk, household=moved_in["Weber"],
                dwelling=dwelling("Solinger Straße", "6", "02010"), moved_in=date(2026, 4, 1))
    move_out(actor=clerk, household=moved_in["Becker"], moved_out=date(2026, 4, 30))
    move_out(actor=clerk, household=moved_in["Koch"], moved_out=date(2026, 5, 15))


def test_moves_are_counted_per_district_and_month_in_persons(register):
    rows = moves_per_district_and_month(min_count=1, until=date(2026, 5, 31))
    assert rows == [
        {"district": "Leichlingen-Mitte", "month": "2026-03", "moves_in": 6,
         "moves_within": 0, "moves_away": 0, "suppressed": False},
        {"district": "Witzhelden", "month": "2026-03", "moves_in": 3, "moves_within": 0,
         "moves_away": 0, "suppressed": False},
        {"district": UNASSIGNED, "month": "2026-03", "moves_in": 3, "moves_within": 0,
         "moves_away": 0, "suppressed": False},
        {"district": "Leichlingen-Mitte", "month": "2026-04", "moves_in": 0,
         "moves_within": 0, "moves_away": 3, "suppressed": False},
        {"district": "Witzhelden", "month": "2026-04", "moves_in": 0, "moves_within": 3,
         "moves_away": 0, "suppressed": False},
        {"district": "Witzhelden", "month": "2026-05", "moves_in": 0, "moves_within": 0,
         "moves_away": 3, "suppressed": False},
    ]


def test_a_move_registered_ahead_counts_once_its_day_has_come(register):
    months = {row["month"] for row in moves_per_district_and_month(until=date(2026, 5, 14))}
    assert months == {"2026-03", "2026-04"}


def test_counts_below_three_show_no_number(register, clerk):
    register_move_in(actor=clerk, household=_family("Wagner")[:2], dwelling=dwelling(number="8"),
                     moved_in=date(2026, 4, 10), kind=ResidenceKind.MAIN)
    rows = moves_per_district_and_month(until=date(2026, 4, 30))
    mitte_april = next(r for r in rows
                       if (r["district"], r["month"]) == ("Leichlingen-Mitte", "2026-04"))
    assert mitte_april == {"district": "Leichlingen-Mitte", "month": "2026-04",
                           "moves_in": None, "moves_within": 0, "moves_away": 3,
                           "suppressed": True}


def test_the_published_rows_say_where_a_number_is_withheld(register, clerk):
    register_move_in(actor=clerk, household=_family("Wagner")[:1], dwelling=dwelling(number="8"),
                     moved_in=date(2026, 3, 10), kind=ResidenceKind.MAIN)
    rows = list(producer(NAME).produce().rows)
    assert {"ortsteil": "Leichlingen-Mitte", "monat": "2026-04", "zuzuege": 0,
            "umzuege": 0, "wegzuege": 3, "hinweis": None} in rows
    assert {"ortsteil": "Witzhelden", "monat": "2026-03", "zuzuege": 3,
            "umzuege": 0, "wegzuege": 0, "hinweis": None} in rows
    assert {"ortsteil": "Leichlingen-Mitte", "monat": "2026-03", "zuzuege": 7,
            "umzuege": 0, "wegzuege": 0, "hinweis": None} in rows


@pytest.fixture
def public(settings, tmp_path):
    """A visitor of the town's open data portal; the versions stored apart."""
    settings.RATHAUS_OPENDATA_DIR = tmp_path / "opendata"
    return Client(HTTP_HOST=OPENDATA_HOST)


def test_the_dataset_is_published_where_the_town_offers_the_registration(register, public):
    assert not producer(NAME).applies()
    Service.objects.create(slug="wohnsitzanmeldung", title="Wohnsitz anmelden / ummelden")
    assert producer(NAME).applies()
    version = {v.dataset.name: v for v in refresh_automatic_datasets()}[NAME]
    assert Dataset.objects.get(name=NAME).published
    assert queries.first_rows(version.sha256)[0] == {
        "ortsteil": "Leichlingen-Mitte", "monat": "2026-03", "zuzuege": 6, "umzuege": 0,
        "wegzuege": 0, "hinweis": None}
    csv = b"".join(public.get(f"/daten/{NAME}/download.csv").streaming_content).decode()
    assert csv.startswith("ortsteil,monat,zuzuege,umzuege,wegzuege,hinweis\r\n"
                          "Leichlingen-Mitte,2026-03,6,0,0,\r\n")

