"""The public pages and the downloads: streamed, with ETag, Last-Modified and gzip."""

import gzip
import json

from tests.factories import DISPENSERS, publish_csv


def test_catalogue_search_and_facets(town, public):
    publish_csv(town, DISPENSERS)
    publish_csv(town, "bezirk;wahlberechtigte\nMitte;1200\nSüd;980\nNord;1010\n",
                name="wahlbezirke", title="Wahlbezirke", keywords=("Wahlen",), theme="GOVE")
    page = public.get("/daten/")
    assert page.status_code == 200
    assert "Hundekotbeutelspender" in page.text and "Wahlbezirke" in page.text
    assert "GeoJSON (1)" in page.text and "CSV (2)" in page.text
    found = public.get("/daten/", {"q": "spender"})
    assert [e.dataset.name for e in found.context["result"].entries] == ["spender"]
    themed = public.get("/daten/", {"theme": "GOVE"})
    assert [e.dataset.name for e in themed.context["result"].entries] == ["wahlbezirke"]
    by_format = public.get("/daten/", {"format": "GeoJSON"})
    assert [e.dataset.name for e in by_format.context["result"].entries] == ["spender"]
    assert public.get("/daten/", {"theme": "<script>"}).status_code == 200


def test_dataset_page_shows_preview_downloads_api_and_history(town, public):
    publish_csv(town, DISPENSERS)
    page = public.get("/daten/spender/")
    assert "Brückenstraße" in page.text
    assert "/daten/spender/download.geojson" in page.text
    assert "package_show?id=spender" in page.text
    assert "Datenlizenz Deutschland – Namensnennung – Version 2.0" in page.text
    assert "Version 1" in page.text


def test_csv_download_with_etag_conditional_and_gzip(town, public):
    publish_csv(town, DISPENSERS)
    response = public.get("/daten/spender/download.csv")
    body = b"".join(response.streaming_content)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith(b"standort,ortsteil,lat,lon,aufgestellt,beutel_je_woche,aktiv\r\n")
    assert "Brückenstraße,Leichlingen-Mitte,51.1049,7.0201,2021-05-01,95.5,true".encode() in body
    etag = response["ETag"]
    assert public.get("/daten/spender/download.csv", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert public.get("/daten/spender/download.csv",
                      HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304
    zipped = public.get("/daten/spender/download.csv", HTTP_ACCEPT_ENCODING="br, gzip")
    assert zipped["Content-Encoding"] == "gzip" and zipped["ETag"] != etag
    assert gzip.decompress(b"".join(zipped.streaming_content)) == body
    assert "Accept-Encoding" in zipped["Vary"]


def test_json_and_geojson_downloads(town, public):
    publish_csv(town, DISPENSERS)
    rows = json.loads(b"".join(public.get("/daten/spender/download.json").streaming_content))
    assert rows[0] == {"standort": "Marktplatz", "ortsteil": "Leichlingen-Mitte",
                       "lat": 51.1056, "lon": 7.0186, "aufgestellt": "2021-04-01",
                       "beutel_je_woche": 120.0, "aktiv": True}
    response = public.get("/daten/spender/download.geojson", HTTP_ACCEPT_ENCODING="gzip")
    collection = json.loads(gzip.decompress(b"".join(response.streaming_content)))
    assert response["Content-Type"] == "application/geo+json"
    assert collection["features"][2]["geometry"] == {"type": "Point",
                                                     "coordinates": [7.0982, 51.1231]}
    assert collection["features"][2]["properties"]["standort"] == "Witzhelden Kirche"


def test_geojson_only_for_data_with_coordinates_and_unknown_names_404(town, public):
    publish_csv(town, "bezirk;wahlberechtigte\nMitte;1200\n", name="wahlbezirke")
    assert public.get("/daten/wahlbezirke/download.geojson").status_code == 404
    assert public.get("/daten/gibt-es-nicht/download.csv").status_code == 404
