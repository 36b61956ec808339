import pytest

from rathaus.records import blobs
from rathaus.records.errors import ContentIntegrityError
from rathaus.records.responses import content_disposition, document_response
from rathaus.records.services import add_document, open_case_file

from . import samples


@pytest.fixture
def case_file(dog_tax_plan):
    return open_case_file(plan_code="32.41.01", title="Hundeanmeldung")


def stored(case_file, content, media_type, filename):
    return add_document(case_file=case_file, title="Dokument", kind="notice", content=content,
                        media_type=media_type, filename=filename)


def test_download_carries_safe_headers(case_file):
    version = stored(case_file, samples.pdf(), "application/pdf", "Bescheid Müller.pdf")
    response = document_response(version)
    assert b"".join(response.streaming_content) == samples.pdf()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(samples.pdf()))
    assert response["Content-Disposition"] == (
        "attachment; filename=\"Bescheid Mueller.pdf\"; "
        "filename*=UTF-8''Bescheid%20M%C3%BCller.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["ETag"] == f'"{version.sha256}"'
    assert response["Cache-Control"] == "private, no-store"
    assert "Content-Security-Policy" not in response


def test_inline_pdf_is_sandboxed(case_file):
    version = stored(case_file, samples.pdf(), "application/pdf", "Bescheid.pdf")
    response = document_response(version, as_attachment=False)
    assert response["Content-Disposition"].startswith('inline; filename="Bescheid.pdf"')
    assert response["Content-Security-Policy"] == "sandbox"


def test_active_content_is_never_shown_inline(case_file):
    version = stored(case_file, samples.HTML, "text/html", "seite.html")
    response = document_response(version, as_attachment=False)
    assert response["Content-Disposition"].startswith("attachment;")


def test_tampered_document_is_not_served(case_file, storage_dir):
    version = stored(case_file, samples.pdf(), "application/pdf", "Bescheid.pdf")
    (storage_dir / version.storage_name).write_bytes(samples.pdf_with_link())
    with pytest.raises(ContentIntegrityError):
        document_response(version)


def test_download_streams_in_chunks_and_breaks_off_when_changed_while_sent(
    case_file, storage_dir, monkeypatch
):
    monkeypatch.setattr(blobs, "CHUNK_SIZE", 1024)
    content = samples.pdf() + b"%" * 5000
    version = stored(case_file, content, "application/pdf", "Bescheid.pdf")
    chunks = list(document_response(version).streaming_content)
    assert len(chunks) > 1 and b"".join(chunks) == content
    response = document_response(version)  # checked here, before the first byte
    (storage_dir / version.storage_name).write_bytes(content.replace(b"%", b"#"))
    with pytest.raises(ContentIntegrityError):
        b"".join(response.streaming_content)


@pytest.mark.parametrize(("filename", "expected"), [
    ('Straße "neu".pdf', "attachment; filename=\"Strasse _neu_.pdf\"; "
                         "filename*=UTF-8''Stra%C3%9Fe%20%22neu%22.pdf"),
    ("Café Ελλάς.pdf", "attachment; filename=\"Cafe _____.pdf\"; "
                       "filename*=UTF-8''Caf%C3%A9%20%CE%95%CE%BB%CE%BB%CE%AC%CF%82.pdf"),
])
def test_content_disposition_has_an_ascii_fallback_and_the_utf8_name(filename, expected):
    assert content_disposition(filename) == expected


@pytest.mark.urls("tests.records.urls")
def test_site_wide_security_headers_do_not_replace_the_sandbox(case_file, client):
    version = stored(case_file, samples.pdf(), "application/pdf", "Bescheid.pdf")
    response = client.get(f"/version/{version.pk}/?inline", HTTP_HOST="leichlingen.localhost")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
