"""Only public columns are published; personal-looking ones need a recorded reason."""

import gzip

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rathaus.authorities.tenancy import authority_context
from rathaus.opendata.ingest.decisions import ColumnDecision
from rathaus.opendata.ingest.privacy import (
    PrivacyRefusal,
    check_publishable,
    kind_by_name,
    kind_by_value,
)
from rathaus.opendata.publish import services
from tests.factories import make_uploader

PEOPLE = ("ortsteil;geburtsdatum;anzahl\n"
          "Witzhelden;12.04.1956;4\nUnterberg;01.02.1980;7\n")


@pytest.mark.parametrize(("name", "kind"), [
    ("Geburtsdatum", "birth_date"), ("date_of_birth", "birth_date"), ("E-Mail", "email"),
    ("Nachname", "name"), ("IBAN", "iban"), ("Straße", "address"), ("Hausnr", "address"),
    ("Ortsteil", None), ("Anzahl", None), ("lat", None), ("Bezeichnung", None),
])
def test_column_names_that_look_personal(name, kind):
    assert kind_by_name(name) == kind


def test_values_that_look_personal():
    assert kind_by_value("b.beispiel@example.org") == "email"
    assert kind_by_value("DE89 3704 0044 0532 0130 00") == "iban"
    assert kind_by_value("DE89 3704 0044 0532 0130 01") is None  # wrong check digits
    assert kind_by_value("Marktplatz 1") is None


def _upload(town, text):
    with authority_context(town):
        dataset = services.create_dataset(
            actor=make_uploader(), name="menschen", title="Menschen", description="Test",
            theme="SOCI", contact_name="Bürgerbüro", contact_email="b@leichlingen.example")
        return services.receive_upload(dataset=dataset, actor=make_uploader(),
                                       file=SimpleUploadedFile("p.csv", text.encode()))


def test_privacy_guard_refuses_a_csv_with_a_birth_date_column(town):
    upload = _upload(town, PEOPLE)
    assert {c["name"]: c["personal_kind"] for c in upload.columns}["geburtsdatum"] == \
        "birth_date"
    everything = {c["name"]: {"public": True} for c in upload.columns}
    with authority_context(town), pytest.raises(PrivacyRefusal) as refused:
        services.confirm_upload(upload=upload, actor=upload.uploaded_by, decisions=everything)
    assert refused.value.problems[0][0] == "geburtsdatum"
    assert "Geburtsdaten" in refused.value.problems[0][1]
    with authority_context(town):
        assert not upload.dataset.versions.exists()


def test_withheld_column_is_not_in_any_published_file(town, opendata_dir,
                                                      django_capture_on_commit_callbacks):
    upload = _upload(town, PEOPLE)
    decisions = {"ortsteil": {"public": True}, "geburtsdatum": {"public": False},
                 "anzahl": {"public": True}}
    with authority_context(town), django_capture_on_commit_callbacks(execute=True):
        version = services.confirm_upload(upload=upload, actor=upload.uploaded_by,
                                          decisions=decisions)
        withheld = version.columns.get(name="geburtsdatum")
    assert not withheld.public
    files = list(opendata_dir.glob(f"{version.sha256}.*"))
    assert len(files) == 5  # CSV, SQLite and JSON, the CSV and JSON also gzipped
    for path in files:
        content = path.read_bytes()
        if path.suffix == ".gz":
            content = gzip.decompress(content)
        assert b"1956" not in content and b"geburtsdatum" not in content
    assert not list((opendata_dir / "uploads").iterdir())  # the raw upload is gone


def test_recorded_reason_lets_a_personal_looking_column_through(town):
    upload = _upload(town, "bezeichnung;adresse\nRathaus;Am Büscherhof 1\n")
    decisions = {"bezeichnung": {"public": True},
                 "adresse": {"public": True, "reason": "Anschriften öffentlicher Gebäude"}}
    with authority_context(town):
        version = services.confirm_upload(upload=upload, actor=upload.uploaded_by,
                                          decisions=decisions)
        assert version.columns.get(name="adresse").reason == "Anschriften öffentlicher Gebäude"


def test_email_values_are_caught_whatever_the_column_is_called(town):
    upload = _upload(town, "kontakt;ort\nb.beispiel@example.org;Mitte\n")
    assert upload.columns[0]["personal_kind"] == "email"
    with pytest.raises(PrivacyRefusal):
        check_publishable([ColumnDecision.from_json({**upload.columns[0], "public": True})])
