"""The playgrounds' open data: "spielplatzkataster" and "spielgeraete", points with
lon/lat (OGC collections), only public columns; a closure moves the figures at once."""

import csv
import io

from django.test import Client

from rathaus.assets import services
from rathaus.assets.models import Asset, Risk
from rathaus.authorities.tenancy import authority_context
from rathaus.opendata.models import Dataset
from rathaus.opendata.publish.services import refresh_automatic_datasets
from rathaus.playgrounds.kinds import EQUIPMENT_TYPES
from rathaus.playgrounds.open_data import (
    EQUIPMENT_DATASET,
    GERMAN_TYPES,
    PLAYGROUNDS_DATASET,
)
from rathaus.publication.producers import producer
from tests.factories import PLAYGROUNDS

from .conftest import inspect

PLAYGROUND_COLUMNS = ["nummer", "spielplatz", "strasse", "altersgruppe", "geraete",
                      "gesperrte_geraete", "zustand", "lon", "lat"]
EQUIPMENT_COLUMNS = ["nummer", "spielplatz_nummer", "geraeteart", "din_en_1176_teil",
                     "hersteller", "einbaujahr", "zustand", "lon", "lat"]


def _csv(name: str) -> list[dict]:
    response = Client().get(f"/daten/{name}/download.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_no_playground_no_dataset(town):
    with authority_context(town):
        assert not producer(PLAYGROUNDS_DATASET).applies()
        assert not producer(EQUIPMENT_DATASET).applies()


def test_the_names_leave_the_uploaded_playgrounds_dataset_alone():
    assert "spielplaetze" not in (PLAYGROUNDS_DATASET, EQUIPMENT_DATASET)
    assert PLAYGROUNDS.startswith("spielplatz;")  # the uploaded one of the open data tests


def test_every_equipment_type_has_a_german_name():
    assert set(GERMAN_TYPES) == {key for key, _label, _part in EQUIPMENT_TYPES}


def test_the_datasets_hold_only_public_columns(playground, cadastres, town):
    with authority_context(town):
        swing = Asset.objects.get(number="SG-01-1")
        inspect(cadastres, swing, notes="Prüferin: Kette verschlissen", findings=[
            services.NewFinding("Kette verschlissen", Risk.VERY_HIGH, "Kette tauschen")])
        refresh_automatic_datasets()
        for name in (PLAYGROUNDS_DATASET, EQUIPMENT_DATASET):
            assert Dataset.objects.get(name=name).published
    rows = _csv(PLAYGROUNDS_DATASET)
    assert list(rows[0]) == PLAYGROUND_COLUMNS
    assert rows == [{"nummer": "SP-01", "spielplatz": "Spielplatz Am Wall",
                     "strasse": "Am Wall", "altersgruppe": "3–12", "geraete": "2",
                     "gesperrte_geraete": "1", "zustand": "teilweise gesperrt",
                     "lon": "7.0186", "lat": "51.1056"}]
    rows = _csv(EQUIPMENT_DATASET)
    assert list(rows[0]) == EQUIPMENT_COLUMNS
    assert [(r["nummer"], r["geraeteart"], r["din_en_1176_teil"], r["zustand"])
            for r in rows] == [("SG-01-1", "Schaukel", "DIN EN 1176-2", "gesperrt"),
                               ("SG-01-2", "Rutsche", "DIN EN 1176-3", "offen")]
    assert {r["hersteller"] for r in rows} == {"Kompan"}
    assert {r["einbaujahr"] for r in rows} == {"2019"}
    assert {r["spielplatz_nummer"] for r in rows} == {"SP-01"}


def test_a_closure_refreshes_the_datasets_at_once(playground, cadastres, town):
    with authority_context(town):
        refresh_automatic_datasets()
        assert _csv(PLAYGROUNDS_DATASET)[0]["zustand"] == "offen"
        swing = Asset.objects.get(number="SG-01-1")
        recorded = inspect(cadastres, swing, findings=[
            services.NewFinding("Sitz gebrochen", Risk.VERY_HIGH)])
        assert _csv(PLAYGROUNDS_DATASET)[0]["zustand"] == "teilweise gesperrt"
        services.finish_work_order(actor=cadastres["inspector"],
                                   work_order=recorded.work_orders[0], note="Sitz getauscht")
        assert _csv(PLAYGROUNDS_DATASET)[0]["zustand"] == "offen"


def test_the_playgrounds_are_ogc_collections(playground, town):
    with authority_context(town):
        refresh_automatic_datasets()
    for name in (PLAYGROUNDS_DATASET, EQUIPMENT_DATASET):
        items = Client().get(f"/ogc/collections/{name}/items", {"f": "json"})
        assert items.status_code == 200, name
        features = items.json()["features"]
        assert features and features[0]["geometry"]["type"] == "Point"
