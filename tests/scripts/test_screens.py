"""scripts/screens.py (`make screens`): what can be checked without starting an
instance; the whole run takes about two minutes and is not part of the suite."""

import base64
import secrets

from django.core.files.uploadedfile import SimpleUploadedFile
from django_otp.oath import TOTP

from rathaus.records.uploads import check_upload


def test_the_totp_codes_are_those_the_office_accepts(screens):
    key = secrets.token_bytes(20)
    for moment in (0, 59, 1_800_000_000, 1_800_000_029, 1_800_000_030):
        expected = TOTP(key)
        expected.time = moment
        assert screens.totp(base64.b32encode(key).decode(), at=moment) == (
            f"{expected.token():06d}")


def test_the_sample_proof_passes_the_upload_check(screens):
    checked = check_upload(SimpleUploadedFile("nachweis.pdf", screens.sample_pdf()),
                           max_bytes=1_000_000)
    assert checked.media_type == "application/pdf"


def test_the_journey_covers_both_sides_with_unique_names(screens):
    shots = [step for step in screens.JOURNEY if step.name]
    names = [step.name for step in shots]
    assert len(names) == len(set(names))
    assert all(step.title for step in shots)
    assert {step.person for step in screens.JOURNEY} == set(screens.PEOPLE)
    for wanted in ("startseite", "leistung", "leichte-sprache", "schritt-1", "schritt-4",
                   "zusammenfassung", "eingang", "meine-antraege", "postfach", "bescheid",
                   "abmelden", "verwaltung-anmeldung", "arbeitskorb", "vorschlag",
                   "bestaetigt", "fehlgeschlagen"):
        assert wanted in names, wanted


def test_the_index_lists_every_screenshot_with_a_text(screens, tmp_path):
    step = screens.JOURNEY[0]
    files = [f"01-{step.name}-{width}.png" for width in screens.WIDTHS]
    index = screens.write_index(tmp_path, [(step, files)], error=None)
    page = index.read_text()
    assert '<html lang="de">' in page
    for name in files:
        assert f'src="{name}"' in page
    assert f'alt="{step.title}, 360 px breit"' in page
    failed = screens.write_index(tmp_path, [], error="step x: timeout").read_text()
    assert "Abgebrochen" in failed and "step x: timeout" in failed


def test_the_instance_never_inherits_the_developers_database(screens, monkeypatch,
                                                              tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://me@db/mine")
    monkeypatch.setenv("RATHAUS_MASTER_KEY", "mine")
    env = screens.instance_env(tmp_path, 8123)
    assert "DATABASE_URL" not in env and "RATHAUS_MASTER_KEY" not in env
    assert env["RATHAUS_VAR_DIR"] == str(tmp_path)
    assert env["RATHAUS_BIND"] == "127.0.0.1:8123"
