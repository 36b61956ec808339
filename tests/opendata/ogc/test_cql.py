"""CQL2 filters on the OGC API items (Part 3): each operator, in text and JSON, gives
exactly the rows the source data says; what cannot be answered is a 400 naming it."""

import csv
import io
import json
from datetime import date

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import PLAYGROUNDS, publish_csv

# The playgrounds and one without a place, a count or an opening day: empty cells.
DATA = PLAYGROUNDS + "Ohne Ort;09;;;;ja;\n"
ITEMS = "/ogc/collections/spielplaetze/items"


def _source() -> list[dict]:
    rows = []
    for raw in csv.DictReader(io.StringIO(DATA), delimiter=";"):
        number = lambda text: float(text.replace(",", ".")) if text else None  # noqa: E731
        rows.append({
            "spielplatz": raw["spielplatz"], "bezirk": raw["bezirk"],
            "lat": number(raw["lat"]), "lon": number(raw["lon"]),
            "geraete": int(raw["geraete"]) if raw["geraete"] else None,
            "saniert": raw["saniert"] == "ja",
            "eroeffnet": date.fromisoformat(raw["eroeffnet"]) if raw["eroeffnet"] else None})
    return rows


SOURCE = _source()


def expected(predicate) -> list[str]:
    return [r["spielplatz"] for r in SOURCE if predicate(r)]


def _inside(r, west, south, east, north):
    return r["lon"] is not None and west <= r["lon"] <= east and south <= r["lat"] <= north


@pytest.fixture
def client(town):
    publish_csv(town, DATA, name="spielplaetze", title="Spielplätze")
    return Client(HTTP_HOST="leichlingen.localhost")


def names(client, cql, lang="cql2-text", **extra) -> list[str]:
    text = cql if lang == "cql2-text" else json.dumps(cql)
    answer = client.get(ITEMS, {"filter": text, "filter-lang": lang, "limit": 100, **extra})
    assert answer.status_code == 200, answer.content
    found = answer.json()
    assert found["numberMatched"] == found["numberReturned"]
    return [f["properties"]["spielplatz"] for f in found["features"]]


def prop(name):
    return {"property": name}


BOX = (7.0, 51.1, 7.03, 51.11)
# (text, JSON, what the source data says)
CASES = [
    ("geraete >= 5", {"op": ">=", "args": [prop("geraete"), 5]},
     lambda r: r["geraete"] is not None and r["geraete"] >= 5),
    ("geraete <> 5", {"op": "<>", "args": [prop("geraete"), 5]},
     lambda r: r["geraete"] is not None and r["geraete"] != 5),
    ("lat < 51.11", {"op": "<", "args": [prop("lat"), 51.11]},
     lambda r: r["lat"] is not None and r["lat"] < 51.11),
    ("bezirk = '01' AND saniert = TRUE",
     {"op": "and", "args": [{"op": "=", "args": [prop("bezirk"), "01"]},
                            {"op": "=", "args": [prop("saniert"), True]}]},
     lambda r: r["bezirk"] == "01" and r["saniert"]),
    ("bezirk = '05' OR geraete = 8",
     {"op": "or", "args": [{"op": "=", "args": [prop("bezirk"), "05"]},
                           {"op": "=", "args": [prop("geraete"), 8]}]},
     lambda r: r["bezirk"] == "05" or r["geraete"] == 8),
    ("NOT (geraete = 5)", {"op": "not", "args": [{"op": "=", "args": [prop("geraete"), 5]}]},
     lambda r: r["geraete"] is not None and r["geraete"] != 5),
    ("spielplatz LIKE 'B%'", {"op": "like", "args": [prop("spielplatz"), "B%"]},
     lambda r: r["spielplatz"].startswith("B")),
    ("spielplatz LIKE '_ilghausen'", {"op": "like", "args": [prop("spielplatz"), "_ilghausen"]},
     lambda r: r["spielplatz"] == "Pilghausen"),
    ("spielplatz LIKE 'b%'", {"op": "like", "args": [prop("spielplatz"), "b%"]},
     lambda r: r["spielplatz"].startswith("b")),  # case-sensitive: none
    ("spielplatz NOT LIKE '%e%'",
     {"op": "not", "args": [{"op": "like", "args": [prop("spielplatz"), "%e%"]}]},
     lambda r: "e" not in r["spielplatz"]),
    ("geraete IN (2, 8)", {"op": "in", "args": [prop("geraete"), [2, 8]]},
     lambda r: r["geraete"] in (2, 8)),
    ("bezirk NOT IN ('01', '07')",
     {"op": "not", "args": [{"op": "in", "args": [prop("bezirk"), ["01", "07"]]}]},
     lambda r: r["bezirk"] not in ("01", "07")),
    ("geraete BETWEEN 3 AND 4", {"op": "between", "args": [prop("geraete"), 3, 4]},
     lambda r: r["geraete"] is not None and 3 <= r["geraete"] <= 4),
    ("geraete IS NULL", {"op": "isNull", "args": [prop("geraete")]},
     lambda r: r["geraete"] is None),
    ("eroeffnet IS NOT NULL",
     {"op": "not", "args": [{"op": "isNull", "args": [prop("eroeffnet")]}]},
     lambda r: r["eroeffnet"] is not None),
    ("eroeffnet > DATE('2019-04-01')",
     {"op": ">", "args": [prop("eroeffnet"), {"date": "2019-04-01"}]},
     lambda r: r["eroeffnet"] is not None and r["eroeffnet"] > date(2019, 4, 1)),
    ("S_INTERSECTS(geometry, BBOX(7.0, 51.1, 7.03, 51.11))",
     {"op": "s_intersects", "args": [prop("geometry"), {"bbox": list(BOX)}]},
     lambda r: _inside(r, *BOX)),
    ("S_INTERSECTS(geometry, POLYGON((7.0 51.1, 7.03 51.1, 7.03 51.11, 7.0 51.11, 7.0 51.1)))",
     {"op": "s_intersects", "args": [prop("geometry"), {
         "type": "Polygon", "coordinates": [[[7.0, 51.1], [7.03, 51.1], [7.03, 51.11],
                                             [7.0, 51.11], [7.0, 51.1]]]}]},
     lambda r: _inside(r, *BOX)),
    # A triangle: the north-west half of the box up to Wupperaue's corner.
    ("S_INTERSECTS(geometry, POLYGON((7.0 51.09, 7.1 51.15, 7.0 51.15, 7.0 51.09)))",
     {"op": "s_intersects", "args": [prop("geometry"), {
         "type": "Polygon", "coordinates": [[[7.0, 51.09], [7.1, 51.15], [7.0, 51.15],
                                             [7.0, 51.09]]]}]},
     lambda r: r["lon"] is not None and r["lon"] >= 7.0 and r["lat"] <= 51.15
     and (r["lat"] - 51.09) >= (r["lon"] - 7.0) * 0.6),
    ("S_INTERSECTS(geometry, POINT(7.0982 51.1231))",
     {"op": "s_intersects", "args": [prop("geometry"),
                                     {"type": "Point", "coordinates": [7.0982, 51.1231]}]},
     lambda r: (r["lon"], r["lat"]) == (7.0982, 51.1231)),
]
# CQL2 text of pygeofilter 0.4 reads the temporal operators only infix; JSON as standard.
TEMPORAL = [
    ("eroeffnet T_BEFORE DATE('2019-04-01')",
     {"op": "t_before", "args": [prop("eroeffnet"), {"date": "2019-04-01"}]},
     lambda r: r["eroeffnet"] is not None and r["eroeffnet"] < date(2019, 4, 1)),
    ("eroeffnet T_AFTER TIMESTAMP('2020-01-01T23:30:00Z')",
     {"op": "t_after", "args": [prop("eroeffnet"), {"timestamp": "2020-01-01T23:30:00Z"}]},
     lambda r: r["eroeffnet"] is not None and r["eroeffnet"] > date(2020, 1, 1)),
    ("eroeffnet T_EQUALS DATE('2019-04-01')",
     {"op": "t_equals", "args": [prop("eroeffnet"), {"date": "2019-04-01"}]},
     lambda r: r["eroeffnet"] == date(2019, 4, 1)),
    (None, {"op": "t_during", "args": [prop("eroeffnet"),
                                       {"interval": ["2019-04-01", "2021-09-30"]}]},
     lambda r: r["eroeffnet"] is not None
     and date(2019, 4, 1) <= r["eroeffnet"] <= date(2021, 9, 30)),
    (None, {"op": "t_during", "args": [prop("eroeffnet"), {"interval": ["2020-01-01", ".."]}]},
     lambda r: r["eroeffnet"] is not None and r["eroeffnet"] >= date(2020, 1, 1)),
    (None, {"op": "t_before", "args": [prop("eroeffnet"), {"interval": ["..", "2020-01-01"]}]},
     lambda r: False),  # nothing lies before an interval open at its start
]


@pytest.mark.parametrize(("text", "as_json", "truth"), CASES + TEMPORAL)
def test_each_operator_gives_the_rows_of_the_source_data(client, text, as_json, truth):
    want = expected(truth)
    assert names(client, as_json, "cql2-json") == want
    if text is not None:
        assert names(client, text) == want


def test_the_conformance_classes_and_the_openapi_parameters_announce_the_filters(client):
    classes = client.get("/ogc/conformance").json()["conformsTo"]
    for name in ("ogcapi-features-3/1.0/conf/filter", "ogcapi-features-3/1.0/conf/features-filter",
                 "cql2/1.0/conf/cql2-text", "cql2/1.0/conf/cql2-json", "cql2/1.0/conf/basic-cql2",
                 "cql2/1.0/conf/advanced-comparison-operators",
                 "cql2/1.0/conf/basic-spatial-functions"):
        assert f"http://www.opengis.net/spec/{name}" in classes
    document = client.get("/ogc/api").json()
    declared = document["paths"]["/collections/spielplaetze/items"]["get"]["parameters"]
    refs = {p.get("$ref", "").rsplit("/", 1)[-1] for p in declared}
    assert {"filter", "filter-lang", "filter-crs"} <= refs
    assert document["components"]["parameters"]["filter-lang"]["schema"]["enum"] == [
        "cql2-text", "cql2-json"]


def test_filters_combine_with_the_other_parameters_and_page(client):
    answer = client.get(ITEMS, {"filter": "geraete >= 4", "bbox": "7.0,51.09,7.05,51.12",
                                "limit": 1}).json()
    want = expected(lambda r: r["geraete"] is not None and r["geraete"] >= 4
                    and _inside(r, 7.0, 51.09, 7.05, 51.12))
    assert answer["numberMatched"] == len(want)
    assert [f["properties"]["spielplatz"] for f in answer["features"]] == want[:1]
    following = next(link["href"] for link in answer["links"] if link["rel"] == "next")
    assert "filter=geraete+%3E%3D+4" in following
    assert names(client, "saniert = TRUE", bezirk="07") == ["Balken"]


def _nested(depth: int) -> str:
    node = {"op": "=", "args": [prop("geraete"), 5]}
    for _ in range(depth):
        node = {"op": "not", "args": [node]}
    return json.dumps(node)


@pytest.mark.parametrize(("parameters", "naming"), [
    ({"filter": "farbe = 'rot'"}, "farbe"),
    ({"filter": "geraete = 'fünf'"}, "number, text"),
    ({"filter": "saniert > TRUE"}, "="),
    ({"filter": "CASEI(spielplatz) = 'am wall'"}, "CASEI"),
    ({"filter": "geraete + 1 = 6"}, "+"),
    ({"filter": "S_WITHIN(geometry, POINT(7 51))"}, "WITHIN"),
    ({"filter": "geraete LIKE '5%'"}, "LIKE"),
    ({"filter": "eroeffnet T_MEETS DATE('2019-04-01')"}, "MEETS"),
    ({"filter": "spielplatz = "}, "CQL2"),
    ({"filter": "   "}, "filter"),
    ({"filter": "geraete = 5", "filter-lang": "ecql"}, "cql2-json"),
    ({"filter": "geraete = 5", "filter-crs": "http://www.opengis.net/def/crs/EPSG/0/4326"},
     "CRS84"),
    ({"filter": "{\"op\": \"=\"", "filter-lang": "cql2-json"}, "JSON"),
    ({"filter": "[1]", "filter-lang": "cql2-json"}, "condition"),
    ({"filter": json.dumps({"op": "t_intersects", "args": [prop("eroeffnet"),
                                                          {"date": "2019-04-01"}]}),
      "filter-lang": "cql2-json"}, "T_INTERSECTS"),
    ({"filter": json.dumps({"op": "s_intersects", "args": [
        prop("geometry"), {"type": "LineString", "coordinates": [[7, 51], [8, 52]]}]}),
      "filter-lang": "cql2-json"}, "POLYGON"),
    ({"filter": "S_INTERSECTS(geometry, BBOX(8, 51, 7, 52))"}, "BBOX"),
    ({"filter": json.dumps({"op": "in", "args": [prop("geraete"), 5]}),
      "filter-lang": "cql2-json"}, "IN"),
    ({"filter": json.dumps({"op": "and", "args": {"a": 1}}), "filter-lang": "cql2-json"},
     "filter"),
    ({"filter": _nested(50), "filter-lang": "cql2-json"}, "nested"),
    ({"filter": _nested(300), "filter-lang": "cql2-json"}, "nested"),
    ({"filter": "geraete = 1 OR " * 2000 + "geraete = 1"}, "too long"),
])
def test_filters_that_cannot_be_answered_are_refused_naming_what(client, parameters, naming):
    answer = client.get(ITEMS, {**parameters, "f": "json"}, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400, answer.content
    assert answer.json()["code"] == "InvalidParameterValue"
    assert naming in answer.json()["description"]


def test_a_string_literal_is_only_ever_a_value(client):
    hostile = "Am Wall' OR '1'='1"
    as_json = {"op": "=", "args": [prop("spielplatz"), hostile]}
    assert names(client, as_json, "cql2-json") == []
    assert names(client, {"op": "like", "args": [prop("spielplatz"), "%' OR 1=1 --"]},
                 "cql2-json") == []
    assert names(client, "spielplatz = 'x; DROP TABLE rows; --'") == []
    assert names(client, "spielplatz = \"bezirk\"") == []  # a quoted name is a property…
    assert names(client, "geraete >= 0") != []  # …and the table is still there


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                     st.text(max_size=5), st.sampled_from(
                         [{"property": "geraete"}, {"property": "geometry"},
                          {"property": "eroeffnet"}, {"date": "2019-04-01"},
                          {"bbox": [7, 51, 8, 52]}, {"interval": ["2019-04-01", ".."]}]))
_TREES = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.builds(lambda op, args: {"op": op, "args": args},
              st.sampled_from(["and", "or", "not", "=", "<", "like", "in", "between",
                               "isNull", "s_intersects", "t_before", "t_during", "casei",
                               "+", "a_equals", "s_within"]),
              st.one_of(inner, st.lists(inner, max_size=3)))), max_leaves=8)


@settings(max_examples=100, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(tree=_TREES)
def test_any_json_filter_is_answered_or_refused_never_an_error(client, tree):
    answer = client.get(ITEMS, {"filter": json.dumps(tree), "filter-lang": "cql2-json"})
    assert answer.status_code in (200, 400), answer.content


@pytest.mark.parametrize("cql", [
    "geraete >= 4", "S_INTERSECTS(geometry, POLYGON((7.0 51.09, 7.1 51.15, 7.0 51.15, 7.0 51.09)))",
    "bezirk = '99'", "saniert = TRUE AND S_INTERSECTS(geometry, BBOX(7.0, 51.09, 7.07, 51.15))"])
def test_a_filtered_page_is_the_same_found_in_one_pass_or_by_counting(client, monkeypatch, cql):
    from rathaus.opendata.store import queries

    def pages():
        return [client.get(ITEMS, {"filter": cql, "limit": 2, "offset": offset}).json()
                for offset in (0, 1, 2, 3, 7, 50)]

    def shape(answers):
        return [(a["numberMatched"], [f["id"] for f in a["features"]]) for a in answers]

    one_pass = shape(pages())
    monkeypatch.setattr(queries, "FEW", 0)  # every page counted, then paged
    assert shape(pages()) == one_pass
    assert one_pass[0][0] == len(names(client, cql))


def test_the_same_filter_on_another_collection_is_translated_for_it(client, town):
    # Translated filters are kept per store: here "geraete" is text, not a number.
    publish_csv(town, "spielplatz;lat;lon;geraete\nNeu;51,1;7,0;viele\n", name="neue",
                title="Neue Spielplätze")
    other = "/ogc/collections/neue/items"
    for _ in range(2):
        assert client.get(ITEMS, {"filter": "geraete = 5"}).status_code == 200
        refused = client.get(other, {"filter": "geraete = 5"}, HTTP_ACCEPT_LANGUAGE="en")
        assert refused.status_code == 400
        assert "number, text" in refused.json()["description"]
        found = client.get(other, {"filter": "geraete = 'viele'"}).json()
        assert [f["properties"]["spielplatz"] for f in found["features"]] == ["Neu"]
